//! Starts a simulator on an ephemeral port and talks to it over real HTTPS, trusting exactly
//! its generated certificate.

#![allow(dead_code)] // Each test file uses a different part of this support module.

use std::sync::Arc;

use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use simulator::{RunningSim, SimOptions};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "s3cret-pass";

/// Options for a test simulator: ephemeral port, empty data, the test account.
pub fn options() -> SimOptions {
    SimOptions {
        admin_user: USER.to_owned(),
        admin_password: PASSWORD.to_owned(),
        ..SimOptions::default()
    }
}

/// A running simulator and a client that trusts its certificate.
pub struct Sim {
    pub sim: RunningSim,
    pub client: Client,
}

/// An answer: status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A client trusting only `cert_pem` (no verification skipped).
pub fn client_trusting(cert_pem: &str) -> Client {
    let mut roots = rustls::RootCertStore::empty();
    let mut reader = std::io::BufReader::new(cert_pem.as_bytes());
    for cert in rustls_pemfile_certs(&mut reader) {
        roots
            .add(cert)
            .expect("the simulator's certificate is a valid root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .expect("client")
}

/// The DER certificates of a PEM text.
fn rustls_pemfile_certs(
    reader: &mut dyn std::io::BufRead,
) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    let mut text = String::new();
    reader.read_to_string(&mut text).expect("PEM text");
    rustls::pki_types::CertificateDer::pem_slice_iter(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("PEM certificates")
}

impl Sim {
    pub async fn start() -> Sim {
        Sim::start_with(options()).await
    }

    pub async fn start_with(options: SimOptions) -> Sim {
        let sim = simulator::start(options).await.expect("simulator starts");
        let client = client_trusting(sim.cert_pem().expect("HTTPS"));
        Sim { sim, client }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.url())
    }

    /// Sends `body` as the guide's examples do: raw bytes, no content type.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut request = self
            .client
            .request(method, self.url(path))
            .basic_auth(USER, Some(PASSWORD));
        if let Some(body) = body {
            request = request.body(serde_json::to_vec(body).unwrap());
        }
        let response = request.send().await.expect("request");
        Answer {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.expect("body"),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None).await
    }

    /// POSTs and returns the path of the `Location` (asserting 201 and an empty body).
    pub async fn create(&self, path: &str, body: &Value) -> String {
        let a = self.post(path, body).await;
        assert_eq!(a.status, StatusCode::CREATED, "POST {path}: {}", a.text);
        assert_eq!(a.text, "", "a 201 has an empty body");
        let location = a.header("location").expect("Location").to_owned();
        let start = location.find("/api/").expect("a resource URI");
        location[start..].to_owned()
    }
}
