//! The TLS set-up: rustls with the ring provider, trusting a CA file, a PEM given in code (the
//! demo simulator's certificate) or the system's roots; verification off only on request.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::error::ConfigError;

/// Which certificates to trust.
pub(crate) enum Trust {
    /// The platform's roots (rustls-platform-verifier: the OS store, read locally).
    System,
    /// Only the certificates of this PEM text.
    Pem(String),
    /// Anything (no verification).
    Insecure,
}

/// A rustls configuration for `trust`.
pub(crate) fn client_config(trust: Trust) -> Result<ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::Tls(e.to_string()))?;
    let config = match trust {
        Trust::System => {
            let verifier = rustls_platform_verifier::Verifier::new(provider)
                .map_err(|e| ConfigError::Tls(e.to_string()))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth()
        }
        Trust::Pem(pem) => builder
            .with_root_certificates(roots_from_pem(&pem)?)
            .with_no_client_auth(),
        Trust::Insecure => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(
                provider.signature_verification_algorithms,
            )))
            .with_no_client_auth(),
    };
    Ok(config)
}

/// The certificates of a PEM text as trust roots; at least one is required.
fn roots_from_pem(pem: &str) -> Result<RootCertStore, ConfigError> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        let cert = cert.map_err(|e| ConfigError::CaPem(e.to_string()))?;
        roots
            .add(cert)
            .map_err(|e| ConfigError::CaPem(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(ConfigError::CaPem("no certificate found in the PEM".into()));
    }
    Ok(roots)
}

/// Accepts every certificate, still checking that the handshake is signed by its key.
#[derive(Debug)]
struct AcceptAnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_without_certificates_is_refused() {
        assert!(matches!(
            roots_from_pem("not a pem"),
            Err(ConfigError::CaPem(_))
        ));
        assert!(matches!(
            roots_from_pem("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
            Err(ConfigError::CaPem(_))
        ));
    }

    #[test]
    fn every_trust_mode_builds() {
        assert!(client_config(Trust::Insecure).is_ok());
        assert!(client_config(Trust::System).is_ok());
    }
}
