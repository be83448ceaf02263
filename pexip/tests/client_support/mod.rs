//! An instrumented simulator for the client's tests: the real simulator's router and state,
//! served over HTTPS on a second listener whose certificate the client trusts, with a layer
//! counting the API requests it handles (in total, per method, and at most at once) and a TCP
//! proxy in front counting the connections clients open.

#![allow(dead_code)] // Each test file uses a different part of this module.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use pexip::client::{Client, PexipConfig, Secret};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use simulator::{FaultConfig, RunningSim, SimOptions};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub const USER: &str = "admin";
pub const PASSWORD: &str = "Pw-for-the-client-tests-9137";

/// What the server side saw.
#[derive(Default)]
pub struct Counts {
    requests: Mutex<Vec<(String, String)>>,
    in_flight: AtomicU64,
    peak: AtomicU64,
    connections: AtomicU64,
}

impl Counts {
    /// API requests handled (method, path and query).
    pub fn requests(&self) -> Vec<(String, String)> {
        self.requests.lock().unwrap().clone()
    }

    /// How many API requests were handled.
    pub fn total(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// How many API requests with `method` were handled.
    pub fn with_method(&self, method: &str) -> usize {
        self.requests().iter().filter(|(m, _)| m == method).count()
    }

    /// The most API requests handled at the same time.
    pub fn peak_in_flight(&self) -> u64 {
        self.peak.load(Ordering::SeqCst)
    }

    /// TCP connections accepted.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }

    /// Forgets everything seen so far.
    pub fn reset(&self) {
        self.requests.lock().unwrap().clear();
        self.peak.store(0, Ordering::SeqCst);
        self.connections.store(0, Ordering::SeqCst);
    }
}

/// Decrements the in-flight count when the request ends, however it ends.
struct InFlight(Arc<Counts>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn count(State(counts): State<Arc<Counts>>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/admin/") {
        return next.run(request).await;
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |p| p.to_string());
    counts
        .requests
        .lock()
        .unwrap()
        .push((request.method().to_string(), target));
    let now = counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    counts.peak.fetch_max(now, Ordering::SeqCst);
    let _guard = InFlight(counts.clone());
    next.run(request).await
}

/// A running instrumented simulator.
pub struct Upstream {
    pub sim: RunningSim,
    /// The URL clients use (through the counting proxy).
    pub url: String,
    /// The certificate of that URL, in PEM.
    pub cert_pem: String,
    pub counts: Arc<Counts>,
    _stop: watch::Sender<bool>,
}

impl Upstream {
    /// An instrumented simulator with nothing configured.
    pub async fn start() -> Upstream {
        Upstream::start_with(simulator::DataSet::Empty).await
    }

    pub async fn start_with(data: simulator::DataSet) -> Upstream {
        let tls = simulator::tls::generate().expect("certificate");
        Upstream::start_serving(data, tls.server_config, tls.cert_pem).await
    }

    /// An instrumented simulator presenting `chain` (the node's certificate first), signed
    /// with `key`; `cert_pem` is the PEM of the chain's first certificate.
    pub async fn start_presenting(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Upstream {
        let cert_pem = pem("CERTIFICATE", &chain[0]);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut server_config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("a usable certificate and key");
        server_config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Upstream::start_serving(simulator::DataSet::Empty, Arc::new(server_config), cert_pem).await
    }

    async fn start_serving(
        data: simulator::DataSet,
        server_config: Arc<rustls::ServerConfig>,
        cert_pem: String,
    ) -> Upstream {
        let sim = simulator::start(SimOptions {
            admin_user: USER.to_owned(),
            admin_password: PASSWORD.to_owned(),
            data,
            ..SimOptions::default()
        })
        .await
        .expect("simulator starts");
        let counts = Arc::new(Counts::default());
        let router = simulator::http::router::router(sim.state().clone())
            .layer(from_fn_with_state(counts.clone(), count));
        let backend = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let backend_addr = backend.local_addr().unwrap();
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(simulator::http::serve::serve(
            backend,
            Some(server_config),
            router,
            stopped,
        ));
        let front = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", front.local_addr().unwrap());
        let proxy_counts = counts.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = front.accept().await {
                proxy_counts.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(backend_addr).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Upstream {
            sim,
            url,
            cert_pem,
            counts,
            _stop: stop,
        }
    }

    /// A configuration for this upstream (short retry delays for quick tests).
    pub fn config(&self) -> PexipConfig {
        PexipConfig {
            url: Some(self.url.clone()),
            username: USER.to_owned(),
            password: Some(Secret::new(PASSWORD)),
            retry_base_delay_ms: 10,
            ..PexipConfig::default()
        }
    }

    /// A client trusting this upstream's certificate.
    pub fn client(&self) -> Client {
        self.client_with(self.config())
    }

    pub fn client_with(&self, config: PexipConfig) -> Client {
        Client::with_ca_pem(&config, &self.cert_pem).expect("client")
    }

    /// Switches faults on.
    pub fn faults(&self, config: FaultConfig) {
        self.sim.faults().set(config).expect("valid faults");
    }
}

/// `der` as PEM with this label.
pub fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// Log output captured from `tracing`, at every level, on the current thread.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Captures this thread's logs until the guard is dropped.
    pub fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
