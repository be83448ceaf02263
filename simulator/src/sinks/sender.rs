//! The HTTP(S) sender of one sink: a POST of a JSON body with HTTP Basic authentication when a
//! username is configured, a 7 s limit for connecting, sending and the answer (Pexip's
//! `es_connection_timeout`), any 2xx a success. HTTPS certificates are verified against the
//! system's roots only with `verify_tls_certificate`; otherwise any certificate is accepted.

use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use serde_json::Value;

use super::spec::SinkSpec;

/// How long one delivery may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(7);

/// Sends the bodies of one sink.
pub struct Sender {
    url: String,
    credentials: Option<(String, String)>,
    /// The client, or why none could be made (every delivery then fails with it).
    client: Result<reqwest::Client, String>,
}

impl Sender {
    /// A sender for `spec`.
    pub fn new(spec: &SinkSpec) -> Sender {
        Sender {
            url: spec.url.clone(),
            credentials: (!spec.username.is_empty())
                .then(|| (spec.username.clone(), spec.password.clone())),
            client: client(spec.verify_tls),
        }
    }

    /// POSTs `body`; the error says why it was not accepted.
    pub async fn post(&self, body: &Value) -> Result<(), String> {
        let client = self.client.as_ref().map_err(Clone::clone)?;
        let bytes = serde_json::to_vec(body).map_err(|e| e.to_string())?;
        let mut request = client
            .post(&self.url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(bytes);
        if let Some((user, password)) = &self.credentials {
            request = request.basic_auth(user, Some(password));
        }
        let response = request.send().await.map_err(|e| describe(&e))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("the sink answered {status}"))
        }
    }
}

/// A reqwest client with the ring provider, verifying certificates or not.
fn client(verify: bool) -> Result<reqwest::Client, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = if verify {
        Arc::new(
            rustls_platform_verifier::Verifier::new(provider)
                .map_err(|e| format!("TLS set-up: {e}"))?,
        )
    } else {
        Arc::new(AnyCertificate {
            algorithms: provider.signature_verification_algorithms,
        })
    };
    let tls = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .build()
        .map_err(|e| format!("HTTP client set-up: {e}"))
}

/// A failed request in words, with its causes (the TLS refusal, the refused connection).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut text = if e.is_connect() {
        "cannot connect".to_owned()
    } else if e.is_builder() {
        "invalid URL".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Accepts any certificate (`verify_tls_certificate` off); the handshake's signatures are
/// still checked against the certificate's key.
#[derive(Debug)]
struct AnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AnyCertificate {
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
