//! A Pexip Infinity Management Node simulator serving the Management API over HTTPS.
//!
//! [`start`] runs it in-process (tests, the portal's demo mode); the `pexip-sim` binary runs it
//! from the command line with the same options.

pub mod auth;
pub mod catalogue;
pub mod cli;
pub mod demo;
pub mod faults;
pub mod http;
pub mod list;
pub mod live;
pub mod persist;
pub mod sinks;
pub mod state;
pub mod store;
pub mod tls;
pub mod traffic;
pub mod validate;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faults::{FaultConfig, RateLimit};
pub use state::{AppState, DataSet, Profile, SimOptions, SimState};
pub use traffic::TrafficStats;

use crate::catalogue::Catalogue;
use crate::faults::Faults;
use crate::store::ConfigStore;

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("cannot write the certificate to {path}: {source}")]
    CertOut {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid fault configuration: {0}")]
    Faults(String),
    #[error("{0}")]
    StateFile(String),
}

/// A running simulator.
pub struct RunningSim {
    url: String,
    addr: SocketAddr,
    cert_pem: Option<String>,
    state: AppState,
    shutdown: ShutdownHandle,
}

impl RunningSim {
    /// The base URL, `https://127.0.0.1:PORT` (or `http://` with plain HTTP), no trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the listener is bound to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The certificate in PEM for clients to trust; `None` with plain HTTP.
    pub fn cert_pem(&self) -> Option<&str> {
        self.cert_pem.as_deref()
    }

    /// Switches faults at run time.
    pub fn faults(&self) -> FaultHandle {
        FaultHandle(self.state.clone())
    }

    /// What reached the simulator so far: connections accepted, API requests per method.
    pub fn traffic(&self) -> TrafficStats {
        self.state.traffic.snapshot()
    }

    /// The delivery state of the event sinks (`GET /_sim/event_sinks`).
    pub fn event_sinks(&self) -> Vec<crate::sinks::status::SinkStatus> {
        self.state.live.sinks().status()
    }

    /// The provisioning emails the command API sent, oldest first.
    pub fn emails(&self) -> Vec<crate::live::outbox::SentEmail> {
        self.state.live.emails()
    }

    /// The simulator's state (its configuration store, for instance).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle that stops the simulator.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.shutdown.clone()
    }

    /// Stops accepting, lets open requests finish, and returns once the listener is closed.
    pub async fn shutdown(self) {
        self.shutdown.shutdown().await;
    }
}

/// Switches the faults of a running simulator.
#[derive(Clone)]
pub struct FaultHandle(AppState);

impl FaultHandle {
    /// The active faults.
    pub fn get(&self) -> FaultConfig {
        self.0.faults.get()
    }

    /// Replaces the active faults; an out-of-range value is refused and changes nothing.
    pub fn set(&self, config: FaultConfig) -> Result<(), String> {
        self.0.faults.set(config)
    }
}

/// Stops a running simulator.
#[derive(Clone)]
pub struct ShutdownHandle {
    signal: Arc<watch::Sender<bool>>,
    server: Arc<tokio::sync::Mutex<Option<JoinHandle<()>>>>,
    /// The live simulation's clock, stopped with the server.
    ticker: Arc<std::sync::Mutex<Option<JoinHandle<()>>>>,
    /// Saved to the state file once stopped (changes made outside the configuration API, such
    /// as licences or a restored backup, are kept too).
    state: AppState,
}

impl ShutdownHandle {
    /// Signals shutdown and waits until the server has stopped.
    pub async fn shutdown(&self) {
        let _ = self.signal.send(true);
        if let Some(server) = self.server.lock().await.take() {
            let _ = server.await;
        }
        let ticker = self.ticker.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(ticker) = ticker {
            ticker.abort();
        }
        self.state.live.sinks().stop();
        let store = self.state.config.read().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = persist::save_if_configured(&self.state, &store) {
            tracing::error!("cannot write the state file at shutdown: {e}");
        }
    }
}

/// Starts a simulator with `options`: binds the listener, generates the certificate (unless
/// plain HTTP), writes it to `cert_out` once the listener accepts, and serves in the background.
pub async fn start(options: SimOptions) -> Result<RunningSim, StartError> {
    let faults = Faults::new(options.faults.clone(), options.seed);
    options.faults.validate().map_err(StartError::Faults)?;
    let tls = if options.plain_http {
        None
    } else {
        Some(tls::generate()?)
    };
    let listener =
        TcpListener::bind(options.listen)
            .await
            .map_err(|source| StartError::Listen {
                addr: options.listen,
                source,
            })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: options.listen,
        source,
    })?;
    let cert_pem = tls.as_ref().map(|t| t.cert_pem.clone());
    if let (Some(path), Some(pem)) = (&options.cert_out, &cert_pem) {
        write_atomically(path, pem.as_bytes()).map_err(|source| StartError::CertOut {
            path: path.display().to_string(),
            source,
        })?;
    }

    let catalogue = Catalogue::for_profile(options.profile);
    let store = initial_store(&options, &catalogue)?;
    let config = store.shared();
    let live = live::Live::for_options(&options, config.clone(), faults.sink_switch());
    live.reconcile_sinks();
    let ticker = live.spawn_ticker();
    let state: AppState = Arc::new(SimState {
        catalogue,
        config,
        faults,
        reverse_cache: Default::default(),
        options,
        live,
        traffic: Default::default(),
        files: Default::default(),
    });
    let router = http::router::router(state.clone());
    let (signal, receiver) = watch::channel(false);
    let server = tokio::spawn(http::serve::serve_counted(
        listener,
        tls.map(|t| t.server_config),
        router,
        receiver,
        state.traffic.clone(),
    ));
    let scheme = if cert_pem.is_some() { "https" } else { "http" };
    Ok(RunningSim {
        url: format!("{scheme}://{addr}"),
        addr,
        cert_pem,
        state: state.clone(),
        shutdown: ShutdownHandle {
            signal: Arc::new(signal),
            server: Arc::new(tokio::sync::Mutex::new(Some(server))),
            ticker: Arc::new(std::sync::Mutex::new(ticker)),
            state,
        },
    })
}

/// The configuration to start with: the state file's when it exists, else the data set's; with
/// the singletons (`global`) created when missing. Written back to the state file at once.
fn initial_store(options: &SimOptions, catalogue: &Catalogue) -> Result<ConfigStore, StartError> {
    let loaded = match &options.state_file {
        Some(path) => persist::load(path).map_err(StartError::StateFile)?,
        None => None,
    };
    let mut store = match loaded {
        Some(store) => store,
        None => {
            let mut store = ConfigStore::new();
            if options.data == DataSet::Demo {
                demo::config::load(&mut store, options.profile);
            }
            store
        }
    };
    for resource in catalogue.resources().filter(|r| r.singleton) {
        if store.count(resource.name) == 0 {
            let mut draft = store.clone();
            let created = http::config::ops::create(
                &mut draft,
                catalogue,
                resource,
                &serde_json::Map::new(),
                Some(store::ObjectId::Int(1)),
            );
            match created {
                Ok(_) => store = draft,
                Err(e) => {
                    return Err(StartError::StateFile(format!(
                        "cannot create the {} singleton: {e}",
                        resource.name
                    )));
                }
            }
        }
    }
    if let Some(path) = &options.state_file {
        persist::save(path, options.profile.as_str(), &store).map_err(|e| {
            StartError::StateFile(format!(
                "cannot write the state file {}: {e}",
                path.display()
            ))
        })?;
    }
    Ok(store)
}

/// Writes `bytes` to `path` through a temporary file and a rename, so readers never see a
/// partial file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
