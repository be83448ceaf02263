//! The TLS set-up: rustls with the ring provider, trusting a CA file, a PEM given in code (the
//! demo simulator's certificate), SHA-256 pins or the system's roots; verification off only on
//! request. And the words for a refused certificate.
//!
//! Management Nodes often present a self-signed certificate made like `openssl req -x509`
//! makes them: `CA:TRUE`, and often a common name without subject alternative names. WebPKI
//! refuses a CA certificate as an end entity, so a certificate of the trusted PEM presented as
//! it is, byte for byte, is accepted here once its validity period and names are checked;
//! anything else is verified by WebPKI against the PEM's roots (a real CA chain).

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, OtherError, RootCertStore,
    SignatureScheme,
};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;

use super::error::ConfigError;
use super::pin::Sha256Pin;

/// Which certificates to trust.
pub(crate) enum Trust {
    /// The platform's roots (rustls-platform-verifier: the OS store, read locally).
    System,
    /// The certificates of this PEM text: as they are, or as the roots of a chain.
    Pem(String),
    /// Only a certificate matching one of these pins (never empty).
    Pins(Vec<Sha256Pin>),
    /// Anything (no verification).
    Insecure,
}

/// A rustls configuration for `trust`.
pub(crate) fn client_config(trust: Trust) -> Result<ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::Tls(e.to_string()))?;
    let algorithms = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match trust {
        Trust::System => Arc::new(
            rustls_platform_verifier::Verifier::new(provider)
                .map_err(|e| ConfigError::Tls(e.to_string()))?,
        ),
        Trust::Pem(pem) => {
            let certificates = certificates_from_pem(&pem)?;
            let mut roots = RootCertStore::empty();
            for certificate in &certificates {
                roots
                    .add(certificate.clone())
                    .map_err(|e| ConfigError::CaPem(e.to_string()))?;
            }
            let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| ConfigError::Tls(e.to_string()))?;
            Arc::new(NodeVerifier {
                rule: Rule::Anchors {
                    certificates,
                    chain,
                },
                algorithms,
            })
        }
        Trust::Pins(pins) => Arc::new(NodeVerifier {
            rule: Rule::Pins(pins),
            algorithms,
        }),
        Trust::Insecure => Arc::new(NodeVerifier {
            rule: Rule::Anything,
            algorithms,
        }),
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The certificates of a PEM text; at least one is required.
fn certificates_from_pem(pem: &str) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::CaPem(e.to_string()))?;
    if certificates.is_empty() {
        return Err(ConfigError::CaPem("no certificate found in the PEM".into()));
    }
    Ok(certificates)
}

/// What makes the node's certificate acceptable.
enum Rule {
    /// It is one of these certificates (then its validity period and names are checked here,
    /// whatever its basic constraints), or it chains to one of them (`chain` decides).
    Anchors {
        certificates: Vec<CertificateDer<'static>>,
        chain: Arc<WebPkiServerVerifier>,
    },
    /// Its SHA-256 or its public key's is one of these, and it is within its validity period.
    Pins(Vec<Sha256Pin>),
    /// Anything (`pexip.insecure_skip_verify`).
    Anything,
}

/// Verifies the node's certificate by [`Rule`]; the handshake's signatures are always checked
/// against the certificate's key with the ring provider's algorithms.
struct NodeVerifier {
    rule: Rule,
    algorithms: WebPkiSupportedAlgorithms,
}

impl fmt::Debug for NodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = match &self.rule {
            Rule::Anchors { certificates, .. } => format!("{} anchors", certificates.len()),
            Rule::Pins(pins) => format!("{} pins", pins.len()),
            Rule::Anything => "anything".to_owned(),
        };
        f.debug_struct("NodeVerifier").field("rule", &rule).finish()
    }
}

impl ServerCertVerifier for NodeVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.rule {
            Rule::Anything => {}
            Rule::Pins(pins) => {
                let certificate = parse(end_entity)?;
                let presented = Sha256Pin::of(end_entity);
                let key = Sha256Pin::of(certificate.public_key().raw);
                if !pins.iter().any(|pin| *pin == presented || *pin == key) {
                    return Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                        OtherError(Arc::new(NotPinned(presented))),
                    )));
                }
                check_period(&certificate, now)?;
            }
            Rule::Anchors {
                certificates,
                chain,
            } => {
                if !certificates
                    .iter()
                    .any(|c| c.as_ref() == end_entity.as_ref())
                {
                    return chain.verify_server_cert(
                        end_entity,
                        intermediates,
                        server_name,
                        ocsp_response,
                        now,
                    );
                }
                let certificate = parse(end_entity)?;
                check_period(&certificate, now)?;
                check_name(&certificate, server_name)?;
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The node's certificate matches none of the pins; holds its SHA-256.
#[derive(Debug)]
struct NotPinned(Sha256Pin);

impl fmt::Display for NotPinned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the node's certificate is not the pinned one (SHA-256 {})",
            self.0
        )
    }
}

impl std::error::Error for NotPinned {}

fn parse<'a>(der: &'a CertificateDer<'_>) -> Result<X509Certificate<'a>, rustls::Error> {
    X509Certificate::from_der(der.as_ref())
        .map(|(_, certificate)| certificate)
        .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))
}

/// Refuses a certificate outside its validity period, as WebPKI would (with the dates).
fn check_period(certificate: &X509Certificate<'_>, now: UnixTime) -> Result<(), rustls::Error> {
    let at = |timestamp: i64| {
        UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(timestamp).unwrap_or(0)))
    };
    let validity = certificate.validity();
    let (not_before, not_after) = (
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    );
    let time = now.as_secs();
    if u64::try_from(not_before).is_ok_and(|not_before| time < not_before) {
        return Err(rustls::Error::InvalidCertificate(
            CertificateError::NotValidYetContext {
                time: now,
                not_before: at(not_before),
            },
        ));
    }
    if u64::try_from(not_after).map_or(true, |not_after| time > not_after) {
        return Err(rustls::Error::InvalidCertificate(
            CertificateError::ExpiredContext {
                time: now,
                not_after: at(not_after),
            },
        ));
    }
    Ok(())
}

/// A name a certificate is issued for.
#[derive(Debug, PartialEq)]
enum Name {
    Dns(String),
    Ip(IpAddr),
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Dns(name) => f.write_str(name),
            Name::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// The names of a certificate: its subject alternative DNS names and IP addresses, or, when it
/// has none (as `openssl req -x509` makes them by default), its subject's common names.
fn names_of(certificate: &X509Certificate<'_>) -> Vec<Name> {
    let mut names = Vec::new();
    if let Ok(Some(san)) = certificate.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(dns) => names.push(Name::Dns((*dns).to_owned())),
                GeneralName::IPAddress(bytes) => {
                    if let Ok(octets) = <[u8; 4]>::try_from(*bytes) {
                        names.push(Name::Ip(IpAddr::from(octets)));
                    } else if let Ok(octets) = <[u8; 16]>::try_from(*bytes) {
                        names.push(Name::Ip(IpAddr::from(octets)));
                    }
                }
                _ => {}
            }
        }
    }
    if names.is_empty() {
        for common_name in certificate.subject().iter_common_name() {
            if let Ok(text) = common_name.as_str() {
                names.push(match text.parse::<IpAddr>() {
                    Ok(ip) => Name::Ip(ip),
                    Err(_) => Name::Dns(text.to_owned()),
                });
            }
        }
    }
    names
}

/// Whether `presented` names the host `expected` (a lowercase DNS name without a final dot):
/// equal ignoring case, or a `*.` wildcard standing for exactly the first label.
fn dns_matches(presented: &str, expected: &str) -> bool {
    let presented = presented.trim_end_matches('.').to_ascii_lowercase();
    if presented == expected {
        return true;
    }
    match (presented.strip_prefix("*."), expected.split_once('.')) {
        (Some(parent), Some((label, rest))) => {
            !label.is_empty() && !parent.is_empty() && parent == rest
        }
        _ => false,
    }
}

/// Refuses a certificate not issued for `server_name`, with the names it is issued for.
fn check_name(
    certificate: &X509Certificate<'_>,
    server_name: &ServerName<'_>,
) -> Result<(), rustls::Error> {
    let names = names_of(certificate);
    let matches = match server_name {
        ServerName::DnsName(dns) => {
            let expected = dns.as_ref().trim_end_matches('.').to_ascii_lowercase();
            names.iter().any(|name| match name {
                Name::Dns(presented) => dns_matches(presented, &expected),
                Name::Ip(_) => false,
            })
        }
        ServerName::IpAddress(ip) => {
            let expected = IpAddr::from(*ip);
            names.contains(&Name::Ip(expected))
        }
        _ => false,
    };
    if matches {
        return Ok(());
    }
    Err(rustls::Error::InvalidCertificate(
        CertificateError::NotValidForNameContext {
            expected: server_name.to_owned(),
            presented: names.iter().map(Name::to_string).collect(),
        },
    ))
}

/// What to tell the portal's users when the node's certificate is refused.
pub(crate) const NOT_TRUSTED: &str = "the node's certificate is not trusted (set pexip.ca_file \
     to the node's certificate or its CA, or pexip.pin_sha256)";

/// The reason a certificate was refused, in words, when `error` is about the node's
/// certificate; `None` for other TLS failures.
pub(crate) fn certificate_problem(error: &rustls::Error) -> Option<String> {
    let rustls::Error::InvalidCertificate(error) = error else {
        return None;
    };
    Some(match error {
        CertificateError::ExpiredContext { not_after, .. } => format!(
            "the node's certificate expired on {}",
            utc_date(not_after.as_secs())
        ),
        CertificateError::Expired => "the node's certificate has expired".to_owned(),
        CertificateError::NotValidYetContext { not_before, .. } => format!(
            "the node's certificate is not valid before {}",
            utc_date_time(not_before.as_secs())
        ),
        CertificateError::NotValidYet => "the node's certificate is not valid yet".to_owned(),
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => {
            let presented: Vec<String> = presented.iter().map(|n| plain_name(n)).collect();
            if presented.is_empty() {
                format!(
                    "the node's certificate names no host (expected {})",
                    expected.to_str()
                )
            } else {
                format!(
                    "the node's certificate is issued for another name: {} (expected {})",
                    presented.join(", "),
                    expected.to_str()
                )
            }
        }
        CertificateError::NotValidForName => {
            "the node's certificate is issued for another name".to_owned()
        }
        CertificateError::Revoked => "the node's certificate has been revoked".to_owned(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "the node's certificate is not meant for a TLS server".to_owned()
        }
        CertificateError::Other(OtherError(other)) => match other.downcast_ref::<NotPinned>() {
            Some(not_pinned) => not_pinned.to_string(),
            None => NOT_TRUSTED.to_owned(),
        },
        _ => NOT_TRUSTED.to_owned(),
    })
}

/// A name as WebPKI lists it (`DnsName("a.example")`, `IpAddress(10.0.0.1)`) or as this module
/// does (`a.example`), without the wrapping.
fn plain_name(name: &str) -> String {
    for prefix in ["DnsName(", "IpAddress(", "UniformResourceIdentifier("] {
        if let Some(inner) = name.strip_prefix(prefix).and_then(|n| n.strip_suffix(')')) {
            return inner.trim_matches('"').to_owned();
        }
    }
    name.to_owned()
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
fn utc_date(secs: u64) -> String {
    let (year, month, day) = civil_from_days(secs / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD HH:MM UTC` of a Unix time.
fn utc_date_time(secs: u64) -> String {
    let minutes = secs % 86_400 / 60;
    format!(
        "{} {:02}:{:02} UTC",
        utc_date(secs),
        minutes / 60,
        minutes % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_without_certificates_is_refused() {
        assert!(matches!(
            certificates_from_pem("not a pem"),
            Err(ConfigError::CaPem(_))
        ));
        assert!(matches!(
            certificates_from_pem("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
            Err(ConfigError::CaPem(_))
        ));
    }

    #[test]
    fn every_trust_mode_builds() {
        assert!(client_config(Trust::Insecure).is_ok());
        assert!(client_config(Trust::System).is_ok());
        assert!(client_config(Trust::Pins(vec![Sha256Pin::of(b"x")])).is_ok());
    }

    #[test]
    fn a_self_signed_ca_certificate_is_refused_by_webpki_alone_but_trusted_as_itself() {
        let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = rcgen::KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        let der = certificate.der().clone();
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let now = UnixTime::now();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(der.clone()).unwrap();
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .unwrap();
        let error = webpki
            .verify_server_cert(&der, &[], &name, &[], now)
            .unwrap_err();
        assert!(
            format!("{error:?}").contains("CaUsedAsEndEntity"),
            "{error:?}"
        );
        assert_eq!(certificate_problem(&error).as_deref(), Some(NOT_TRUSTED));

        let node = NodeVerifier {
            rule: Rule::Anchors {
                certificates: vec![der.clone()],
                chain: webpki,
            },
            algorithms: provider.signature_verification_algorithms,
        };
        assert!(node.verify_server_cert(&der, &[], &name, &[], now).is_ok());
        let other = ServerName::try_from("10.0.0.1").unwrap();
        let error = node
            .verify_server_cert(&der, &[], &other, &[], now)
            .unwrap_err();
        assert_eq!(
            certificate_problem(&error).unwrap(),
            "the node's certificate is issued for another name: 127.0.0.1 (expected 10.0.0.1)"
        );
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc_date(0), "1970-01-01");
        // 2026-01-31 00:00:00 UTC, 2024-02-29 12:34:56 UTC.
        assert_eq!(utc_date(1_769_817_600), "2026-01-31");
        assert_eq!(utc_date_time(1_709_210_096), "2024-02-29 12:34 UTC");
        assert_eq!(utc_date(4_102_444_800), "2100-01-01");
    }

    #[test]
    fn wildcards_stand_for_one_first_label() {
        assert!(dns_matches(
            "Pexip-Mgr.Example.com.",
            "pexip-mgr.example.com"
        ));
        assert!(dns_matches("*.example.com", "pexip-mgr.example.com"));
        assert!(!dns_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_matches("*.example.com", "example.com"));
        assert!(!dns_matches("*.", "a."));
        assert!(!dns_matches("other.example.com", "pexip-mgr.example.com"));
    }

    #[test]
    fn certificate_errors_are_words_not_debug_text() {
        let invalid = |e| rustls::Error::InvalidCertificate(e);
        let text = |e| certificate_problem(&invalid(e)).unwrap();
        assert_eq!(
            text(CertificateError::ExpiredContext {
                time: UnixTime::since_unix_epoch(Duration::from_secs(1_800_000_000)),
                not_after: UnixTime::since_unix_epoch(Duration::from_secs(1_769_817_600)),
            }),
            "the node's certificate expired on 2026-01-31"
        );
        assert_eq!(
            text(CertificateError::NotValidForNameContext {
                expected: ServerName::try_from("127.0.0.1").unwrap(),
                presented: vec![
                    "DnsName(\"pexip-mgr.example.com\")".into(),
                    "IpAddress(10.0.0.1)".into()
                ],
            }),
            "the node's certificate is issued for another name: pexip-mgr.example.com, \
             10.0.0.1 (expected 127.0.0.1)"
        );
        for refused in [
            CertificateError::UnknownIssuer,
            CertificateError::BadSignature,
            CertificateError::Other(OtherError(Arc::new(std::io::Error::other(
                "CaUsedAsEndEntity",
            )))),
        ] {
            assert_eq!(text(refused), NOT_TRUSTED);
        }
        assert_eq!(
            text(CertificateError::Other(OtherError(Arc::new(NotPinned(
                Sha256Pin::of(b"abc")
            ))))),
            "the node's certificate is not the pinned one (SHA-256 \
             ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad)"
        );
        assert_eq!(
            certificate_problem(&rustls::Error::NoCertificatesPresented),
            None
        );
    }
}
