//! HTTP to the provider: rustls on ring (the system's roots, or the configured `ca_file`),
//! timeouts, no redirects, capped answers, and failures described without secrets.

use reqwest::{Response, StatusCode, Url};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The largest answer read from a provider (discovery documents and key sets are a few KB).
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// An HTTP client for one provider.
pub(crate) fn client(ca_file: Option<&Path>, timeout: Duration) -> Result<reqwest::Client, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS set-up failed: {error}"))?;
    let tls = match ca_file {
        Some(path) => {
            let pem = std::fs::read(path)
                .map_err(|error| format!("cannot read ca_file {}: {error}", path.display()))?;
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert = cert
                    .map_err(|error| format!("ca_file {} is not PEM: {error}", path.display()))?;
                roots.add(cert).map_err(|error| {
                    format!(
                        "ca_file {} holds an unusable certificate: {error}",
                        path.display()
                    )
                })?;
            }
            if roots.is_empty() {
                return Err(format!("ca_file {} holds no certificate", path.display()));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        None => {
            let verifier = rustls_platform_verifier::Verifier::new(provider)
                .map_err(|error| format!("cannot load the system's certificates: {error}"))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth()
        }
    };
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(timeout)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("pexip-portal/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| format!("cannot build the HTTP client: {error}"))
}

/// Why a request to the provider failed, for the log (no bodies, no credentials).
#[derive(Debug)]
pub(crate) enum FetchError {
    /// No answer: connection refused, TLS, timeout.
    Unreachable(String),
    /// An HTTP error status; `error` is the OAuth `error` code of the body when there is one.
    Status {
        status: StatusCode,
        error: Option<String>,
        description: Option<String>,
    },
    /// An answer that is too large or not the JSON expected.
    Invalid(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Unreachable(reason) => write!(f, "no answer: {reason}"),
            FetchError::Status {
                status,
                error,
                description,
            } => {
                write!(f, "HTTP {status}")?;
                if let Some(error) = error {
                    write!(f, " {error}")?;
                }
                if let Some(description) = description {
                    write!(f, ": {description}")?;
                }
                Ok(())
            }
            FetchError::Invalid(reason) => write!(f, "invalid answer: {reason}"),
        }
    }
}

/// What reqwest says about a failed request, without its debug text.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    // The chain's innermost cause says most (refused connection, certificate problem…).
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    format!("{kind} ({cause})")
}

/// `GET url` and parse the JSON answer.
pub(crate) async fn get_json<T: DeserializeOwned>(
    http: &reqwest::Client,
    url: &Url,
) -> Result<T, FetchError> {
    let response = http
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|error| FetchError::Unreachable(describe(&error)))?;
    json_answer(response).await
}

/// `POST url` with a form body (and headers) and parse the JSON answer.
pub(crate) async fn post_form<T: DeserializeOwned>(
    http: &reqwest::Client,
    url: &Url,
    authorization: Option<String>,
    form: String,
) -> Result<T, FetchError> {
    let mut request = http
        .post(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form);
    if let Some(authorization) = authorization {
        request = request.header(reqwest::header::AUTHORIZATION, authorization);
    }
    let response = request
        .send()
        .await
        .map_err(|error| FetchError::Unreachable(describe(&error)))?;
    json_answer(response).await
}

/// The JSON body of a success, or the error status with the OAuth error fields of its body.
async fn json_answer<T: DeserializeOwned>(response: Response) -> Result<T, FetchError> {
    let status = response.status();
    let body = read_capped(response).await?;
    if !status.is_success() {
        #[derive(serde::Deserialize)]
        struct OAuthError {
            error: Option<String>,
            error_description: Option<String>,
        }
        let fields = serde_json::from_slice::<OAuthError>(&body).ok();
        let (error, description) = fields
            .map(|f| (f.error, f.error_description))
            .unwrap_or_default();
        return Err(FetchError::Status {
            status,
            error: error.map(|e| printable(&e, 64)),
            description: description.map(|d| printable(&d, 200)),
        });
    }
    serde_json::from_slice(&body).map_err(|error| FetchError::Invalid(error.to_string()))
}

async fn read_capped(mut response: Response) -> Result<Vec<u8>, FetchError> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
    {
        return Err(FetchError::Invalid(format!(
            "the answer is larger than {MAX_ANSWER_BYTES} bytes"
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| FetchError::Unreachable(describe(&error)))?
    {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(FetchError::Invalid(format!(
                "the answer is larger than {MAX_ANSWER_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `text` cut to `max` characters, control characters replaced (for the log).
pub(crate) fn printable(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
