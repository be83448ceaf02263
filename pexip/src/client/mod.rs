//! The HTTP client of the Management API (feature `client`): one pooled keep-alive reqwest
//! client over rustls, HTTP Basic auth, timeouts, retries of GETs, a cap on requests in flight
//! and one mutation at a time, a schema cache, and typed operations ([`ops`]) on paths that can
//! only ever be under `/api/admin/` of the configured node ([`path`]).

mod build;
pub mod config;
pub mod download;
pub mod error;
mod file_upload;
pub mod licence;
mod ops;
pub mod path;
pub mod pin;
mod retry;
mod schema_cache;
pub mod secret;
mod stats;
mod tls;
mod transport;
pub mod upload;

use std::sync::Arc;

use tokio::sync::{Mutex, Semaphore};

pub use config::PexipConfig;
pub use download::Download;
pub use error::{ClientError, ConfigError};
pub use ops::ResourceEndpoint;
pub use path::{Api, ObjectId, ObjectRef};
pub use pin::Sha256Pin;
pub use secret::Secret;
pub use stats::{
    ClientStats, LATENCY_BUCKETS_SECONDS, LatencyHistogram, Outcome, RequestCount, RequestStats,
};
pub use upload::UploadForm;

use retry::RetryPolicy;
use schema_cache::SchemaCache;
use stats::Counters;

/// A client of one Management Node. Cheap to clone (clones share the connection pool, the
/// limits and the schema cache).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// `https://host[:port]`, no trailing slash.
    origin: String,
    username: String,
    password: Secret,
    /// `pexip.request_timeout_secs`: the whole-request timeout, which file transfers extend
    /// by their size.
    request_timeout: std::time::Duration,
    /// Upstream requests in flight.
    in_flight: Semaphore,
    /// Mutations go one at a time.
    mutations: Mutex<()>,
    retry: RetryPolicy,
    /// The largest answer body read, for API answers and for downloads.
    max_response_bytes: u64,
    max_download_bytes: u64,
    schemas: SchemaCache,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("origin", &self.inner.origin)
            .field("username", &self.inner.username)
            .field("password", &self.inner.password)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The node's base URL (`https://host[:port]`).
    pub fn base_url(&self) -> &str {
        &self.inner.origin
    }

    /// What the client has done upstream so far.
    pub fn stats(&self) -> ClientStats {
        self.inner.counters.snapshot()
    }
}
