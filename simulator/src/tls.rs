//! The HTTPS certificate: generated at start, self-signed, valid for `localhost` and
//! `127.0.0.1`, so clients can trust exactly it instead of skipping verification.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use rcgen::{CertificateParams, DnType, KeyPair, SanType};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A generated certificate and the server configuration that presents it.
pub struct Tls {
    /// The certificate in PEM, for clients to use as their trusted root.
    pub cert_pem: String,
    pub server_config: Arc<ServerConfig>,
}

/// Why the certificate could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("generating the certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("configuring TLS: {0}")]
    Rustls(#[from] rustls::Error),
}

/// Generates a fresh key and certificate and the rustls configuration serving them.
pub fn generate() -> Result<Tls, TlsError> {
    let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
    params.subject_alt_names.extend([
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ]);
    params
        .distinguished_name
        .push(DnType::CommonName, "Pexip Management Node simulator");
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        cert_pem: cert.pem(),
        server_config: Arc::new(config),
    })
}
