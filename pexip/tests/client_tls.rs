//! TLS trust: only the configured certificates are trusted; verification is skipped only when
//! configured so.

mod client_support;

use client_support::Upstream;
use pexip::client::{Api, Client, ClientError, PexipConfig};

#[tokio::test]
async fn the_configured_ca_file_is_trusted() {
    let up = Upstream::start().await;
    let dir = std::env::temp_dir().join(format!("pexip-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &up.cert_pem).unwrap();
    let client = Client::new(&PexipConfig {
        ca_file: Some(ca),
        ..up.config()
    })
    .unwrap();
    client.ping().await.unwrap();
    client
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_untrusted_certificate_fails_unless_verification_is_skipped() {
    let up = Upstream::start().await;
    let other = Upstream::start().await;
    let system_roots = Client::new(&up.config()).unwrap();
    let wrong_ca = Client::with_ca_pem(&up.config(), &other.cert_pem).unwrap();
    for client in [system_roots, wrong_ca] {
        let err = client.ping().await.unwrap_err();
        match &err {
            ClientError::Untrusted(reason) => assert!(
                reason.starts_with("the node's certificate is not trusted (set pexip.ca_file"),
                "{reason}"
            ),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        up.counts.total(),
        0,
        "no request was sent over the untrusted connection"
    );

    let insecure = Client::new(&PexipConfig {
        insecure_skip_verify: true,
        ..up.config()
    })
    .unwrap();
    insecure.ping().await.unwrap();
    assert_eq!(up.counts.total(), 1);
}

#[tokio::test]
async fn skipping_verification_warns_at_every_construction() {
    let up = Upstream::start().await;
    let (logs, _guard) = client_support::Logs::capture();
    let config = PexipConfig {
        insecure_skip_verify: true,
        ..up.config()
    };
    Client::new(&config).unwrap();
    Client::new(&config).unwrap();
    let text = logs.text();
    let warnings = text
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("NOT verified"))
        .count();
    assert_eq!(warnings, 2, "{text}");
    Client::new(&up.config()).unwrap();
    assert_eq!(logs.text().matches("NOT verified").count(), 2);
}
