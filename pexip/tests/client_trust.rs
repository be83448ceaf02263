//! TLS trust with certificates made like real Management Nodes' (issue #10, item 4): a
//! self-signed `CA:TRUE` certificate given in `pexip.ca_file`, expired ones, wrong names, a
//! proper CA chain, and `pexip.pin_sha256` by certificate or public key; every refusal in
//! words, with nothing sent over the refused connection.
//!
//! Each test starts the simulator behind a TLS listener presenting the certificate under test
//! (made here with rcgen, or `fixtures/openssl-node.*`, made by
//! `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 36500`).

mod client_support;

use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine as _;
use client_support::Upstream;
use pexip::Query;
use pexip::client::{Api, Client, ClientError, PexipConfig, Sha256Pin};
use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DistinguishedName, DnType, IsCa, Issuer,
    KeyPair, PublicKeyData, date_time_ymd,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const NOT_TRUSTED: &str = "the node's certificate is not trusted (set pexip.ca_file to the \
                           node's certificate or its CA, or pexip.pin_sha256)";

/// The fixture made by `openssl req -x509` (CA:TRUE, CN=localhost, no subject alternative
/// names, RSA 2048), its key, and its pins as the README's commands print them.
const OPENSSL_CRT: &str = include_str!("fixtures/openssl-node.crt");
const OPENSSL_KEY: &str = include_str!("fixtures/openssl-node.key");
const OPENSSL_FINGERPRINT: &str = "sha256 Fingerprint=BD:05:D7:F6:CA:36:EB:B7:65:42:A2:5F:5C:37:\
                                   AC:23:B7:24:F8:9B:9D:68:02:8C:2C:06:70:D3:ED:BE:A9:F5";
const OPENSSL_SPKI_BASE64: &str = "t/I6OgMvtZ1iiRvZqT/QM3RU7JbynOdaZxc7WkuLPEA=";

/// A date: year, month, day.
type Ymd = (i32, u8, u8);

/// How a test certificate is made.
struct Spec {
    /// Subject alternative names (IP addresses or DNS names).
    names: &'static [&'static str],
    common_name: &'static str,
    /// `CA:TRUE`, as `openssl req -x509` makes it.
    ca: bool,
    /// Not before, not after (year, month, day); rcgen's defaults (1975, 4096) when `None`.
    period: Option<(Ymd, Ymd)>,
}

impl Spec {
    /// A node's self-signed certificate as appliances ship them: `CA:TRUE`, issued for
    /// `names`.
    fn node(names: &'static [&'static str]) -> Spec {
        Spec {
            names,
            common_name: "pexip-mgr",
            ca: true,
            period: None,
        }
    }

    fn params(&self) -> CertificateParams {
        let names: Vec<String> = self.names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, self.common_name);
        if self.ca {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        if let Some(((y1, m1, d1), (y2, m2, d2))) = self.period {
            params.not_before = date_time_ymd(y1, m1, d1);
            params.not_after = date_time_ymd(y2, m2, d2);
        }
        params
    }

    fn self_signed(&self) -> (Certificate, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let certificate = self.params().self_signed(&key).unwrap();
        (certificate, key)
    }

    fn signed_by(&self, issuer: &Issuer<'_, KeyPair>) -> (Certificate, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let certificate = self.params().signed_by(&key, issuer).unwrap();
        (certificate, key)
    }
}

fn private_key(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()))
}

/// The simulator presenting this self-signed certificate.
async fn node(spec: &Spec) -> (Upstream, Certificate, KeyPair) {
    let (certificate, key) = spec.self_signed();
    let up = Upstream::start_presenting(vec![certificate.der().clone()], private_key(&key)).await;
    (up, certificate, key)
}

/// A client of `config` with `pem` as its `ca_file` (written to a directory of its own,
/// removed once the client has read it).
fn client_with_ca_file(config: PexipConfig, pem: &str) -> Client {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pexip-trust-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca.pem");
    std::fs::write(&file, pem).unwrap();
    let client = Client::new(&PexipConfig {
        ca_file: Some(file),
        ..config
    });
    std::fs::remove_dir_all(&dir).unwrap();
    client.unwrap()
}

fn with_ca_file(up: &Upstream, pem: &str) -> Client {
    client_with_ca_file(up.config(), pem)
}

fn with_pins(up: &Upstream, pins: &[&str]) -> Client {
    Client::new(&PexipConfig {
        pin_sha256: pins.iter().map(|p| p.parse().unwrap()).collect(),
        ..up.config()
    })
    .unwrap()
}

/// The reason of a refused certificate, after checking that nothing was sent.
async fn refused(up: &Upstream, client: &Client) -> String {
    let before = up.counts.total();
    let error = client.ping().await.unwrap_err();
    assert_eq!(up.counts.total(), before, "nothing is sent: {error}");
    let ClientError::Untrusted(reason) = &error else {
        panic!("not a certificate refusal: {error:?}");
    };
    assert_eq!(
        error.to_string(),
        format!("Cannot connect securely to the Pexip Management Node: {reason}.")
    );
    for debug in [
        "Other(",
        "OtherError",
        "Context",
        "DnsName(",
        "invalid peer",
    ] {
        assert!(!reason.contains(debug), "library text in {reason:?}");
    }
    reason.clone()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256Pin::of(bytes).to_string()
}

fn sha256_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256Pin::of(bytes).as_bytes())
}

#[tokio::test]
async fn a_self_signed_ca_true_certificate_is_trusted_through_ca_file() {
    let (up, certificate, _) = node(&Spec::node(&["127.0.0.1"])).await;
    let client = with_ca_file(&up, &certificate.pem());
    client.ping().await.unwrap();
    client
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert_eq!(up.counts.total(), 2);
}

#[tokio::test]
async fn an_openssl_made_node_certificate_is_trusted_by_its_common_name() {
    let key = PrivateKeyDer::from_pem_slice(OPENSSL_KEY.as_bytes()).unwrap();
    let der = CertificateDer::from_pem_slice(OPENSSL_CRT.as_bytes()).unwrap();
    let up = Upstream::start_presenting(vec![der], key).await;
    // The certificate names `localhost` in its common name only.
    let by_name = client_with_ca_file(
        PexipConfig {
            url: Some(up.url.replace("127.0.0.1", "localhost")),
            ..up.config()
        },
        OPENSSL_CRT,
    );
    by_name.ping().await.unwrap();
    let by_address = with_ca_file(&up, OPENSSL_CRT);
    assert_eq!(
        refused(&up, &by_address).await,
        "the node's certificate is issued for another name: localhost (expected 127.0.0.1)"
    );
    // Without the CA file: the system's roots do not know it.
    assert_eq!(
        refused(&up, &Client::new(&up.config()).unwrap()).await,
        NOT_TRUSTED
    );
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused_in_words() {
    let (up, certificate, _) = node(&Spec::node(&["pexip-mgr.example.com"])).await;
    let client = with_ca_file(&up, &certificate.pem());
    assert_eq!(
        refused(&up, &client).await,
        "the node's certificate is issued for another name: pexip-mgr.example.com \
         (expected 127.0.0.1)"
    );
}

#[tokio::test]
async fn an_expired_or_not_yet_valid_certificate_is_refused_in_words() {
    let expired = Spec {
        period: Some(((2024, 2, 1), (2026, 1, 31))),
        ..Spec::node(&["127.0.0.1"])
    };
    let (up, certificate, _) = node(&expired).await;
    let client = with_ca_file(&up, &certificate.pem());
    assert_eq!(
        refused(&up, &client).await,
        "the node's certificate expired on 2026-01-31"
    );

    let future = Spec {
        period: Some(((2099, 1, 1), (2100, 1, 1))),
        ..Spec::node(&["127.0.0.1"])
    };
    let (up, certificate, _) = node(&future).await;
    let client = with_ca_file(&up, &certificate.pem());
    assert_eq!(
        refused(&up, &client).await,
        "the node's certificate is not valid before 2099-01-01 00:00 UTC"
    );
}

#[tokio::test]
async fn a_certificate_issued_by_the_ca_of_ca_file_still_works() {
    let ca_spec = Spec {
        common_name: "Example Corp Issuing CA",
        ..Spec::node(&[])
    };
    let ca_key = KeyPair::generate().unwrap();
    let ca_certificate = ca_spec.params().self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_spec.params(), ca_key);
    let leaf_spec = Spec {
        ca: false,
        ..Spec::node(&["127.0.0.1", "pexip-mgr.example.com"])
    };

    let (leaf, key) = leaf_spec.signed_by(&issuer);
    let up = Upstream::start_presenting(vec![leaf.der().clone()], private_key(&key)).await;
    with_ca_file(&up, &ca_certificate.pem())
        .ping()
        .await
        .unwrap();
    // Another CA: not trusted.
    let (other_ca, _) = Spec::node(&[]).self_signed();
    assert_eq!(
        refused(&up, &with_ca_file(&up, &other_ca.pem())).await,
        NOT_TRUSTED
    );

    // Through the chain, the same words for a wrong name or an expired certificate.
    let (leaf, key) = Spec {
        ca: false,
        ..Spec::node(&["pexip-mgr.example.com"])
    }
    .signed_by(&issuer);
    let up = Upstream::start_presenting(vec![leaf.der().clone()], private_key(&key)).await;
    assert_eq!(
        refused(&up, &with_ca_file(&up, &ca_certificate.pem())).await,
        "the node's certificate is issued for another name: pexip-mgr.example.com \
         (expected 127.0.0.1)"
    );
    let (leaf, key) = Spec {
        ca: false,
        period: Some(((2024, 2, 1), (2026, 1, 31))),
        ..Spec::node(&["127.0.0.1"])
    }
    .signed_by(&issuer);
    let up = Upstream::start_presenting(vec![leaf.der().clone()], private_key(&key)).await;
    assert_eq!(
        refused(&up, &with_ca_file(&up, &ca_certificate.pem())).await,
        "the node's certificate expired on 2026-01-31"
    );
    // A CA certificate issued by the CA and presented as the node's (not itself in the
    // file) is not trusted: WebPKI's rule for chains stands.
    let (leaf, key) = Spec::node(&["127.0.0.1"]).signed_by(&issuer);
    let up = Upstream::start_presenting(vec![leaf.der().clone()], private_key(&key)).await;
    assert_eq!(
        refused(&up, &with_ca_file(&up, &ca_certificate.pem())).await,
        NOT_TRUSTED
    );
}

#[tokio::test]
async fn a_pin_of_the_certificate_or_of_its_key_is_trusted() {
    // Issued for another name: a pin is explicit trust in that certificate or key, so the
    // name is not checked.
    let (up, certificate, key) = node(&Spec::node(&["pexip-mgr.example.com"])).await;
    let certificate_hex = sha256_hex(certificate.der());
    let key_base64 = sha256_base64(&key.subject_public_key_info());
    with_pins(&up, &[&certificate_hex]).ping().await.unwrap();
    with_pins(&up, &[&key_base64]).ping().await.unwrap();
    // One of several; upper-case hex with colons; a CA file that does not matter.
    let colons = certificate_hex
        .to_ascii_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8(pair.to_vec()).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    let other = sha256_hex(b"another certificate");
    with_pins(&up, &[&other, &colons]).ping().await.unwrap();
    let (unrelated, _) = Spec::node(&["127.0.0.1"]).self_signed();
    client_with_ca_file(
        PexipConfig {
            pin_sha256: vec![key_base64.parse().unwrap()],
            ..up.config()
        },
        &unrelated.pem(),
    )
    .ping()
    .await
    .unwrap();
    assert_eq!(up.counts.total(), 4);

    // A pin of something else: refused, saying what the node presented.
    assert_eq!(
        refused(&up, &with_pins(&up, &[&other])).await,
        format!("the node's certificate is not the pinned one (SHA-256 {certificate_hex})")
    );
}

#[tokio::test]
async fn a_pinned_certificate_must_still_be_within_its_validity_period() {
    let expired = Spec {
        period: Some(((2024, 2, 1), (2026, 1, 31))),
        ..Spec::node(&["127.0.0.1"])
    };
    let (up, certificate, _) = node(&expired).await;
    let pin = sha256_hex(certificate.der());
    assert_eq!(
        refused(&up, &with_pins(&up, &[&pin])).await,
        "the node's certificate expired on 2026-01-31"
    );
}

#[tokio::test]
async fn the_fingerprints_openssl_prints_are_pins() {
    let key = PrivateKeyDer::from_pem_slice(OPENSSL_KEY.as_bytes()).unwrap();
    let der = CertificateDer::from_pem_slice(OPENSSL_CRT.as_bytes()).unwrap();
    let up = Upstream::start_presenting(vec![der], key).await;
    with_pins(&up, &[OPENSSL_FINGERPRINT]).ping().await.unwrap();
    with_pins(&up, &[OPENSSL_SPKI_BASE64]).ping().await.unwrap();
}

#[tokio::test]
async fn a_refused_certificate_is_not_retried() {
    let (up, _, _) = node(&Spec::node(&["127.0.0.1"])).await;
    let client = Client::new(&PexipConfig {
        max_retries: 3,
        ..up.config()
    })
    .unwrap();
    let error = client
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap_err();
    assert_eq!(error, ClientError::Untrusted(NOT_TRUSTED.into()));
    assert!(!error.is_retryable());
    assert_eq!(up.counts.connections(), 1, "one connection, no retry");
    assert_eq!(up.counts.total(), 0);
}

#[tokio::test]
async fn pins_and_skipping_verification_exclude_each_other() {
    let (up, certificate, _) = node(&Spec::node(&["127.0.0.1"])).await;
    let error = Client::new(&PexipConfig {
        insecure_skip_verify: true,
        pin_sha256: vec![Sha256Pin::of(certificate.der())],
        ..up.config()
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid setting: set either pexip.insecure_skip_verify or pexip.pin_sha256, not both"
    );
    // Skipping verification alone accepts the node.
    Client::new(&PexipConfig {
        insecure_skip_verify: true,
        ..up.config()
    })
    .unwrap()
    .ping()
    .await
    .unwrap();
}

#[tokio::test]
async fn the_demo_mode_pem_is_the_whole_trust() {
    // `Client::with_ca_pem` (demo mode) trusts its PEM and nothing else: pins and a CA file
    // in the configuration do not apply (the file is not even read).
    let (up, certificate, _) = node(&Spec::node(&["127.0.0.1"])).await;
    let (unrelated, _) = Spec::node(&["127.0.0.1"]).self_signed();
    let config = PexipConfig {
        pin_sha256: vec![Sha256Pin::of(b"something else")],
        ca_file: Some("/nonexistent/ca.pem".into()),
        ..up.config()
    };
    Client::with_ca_pem(&config, &certificate.pem())
        .unwrap()
        .ping()
        .await
        .unwrap();
    assert_eq!(
        refused(
            &up,
            &Client::with_ca_pem(&config, &unrelated.pem()).unwrap()
        )
        .await,
        NOT_TRUSTED
    );
}
