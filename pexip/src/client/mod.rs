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
    /// This handle's requests are the portal's own background work ([`Client::background`]).
    background: bool,
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
    /// The share of `in_flight`'s permits background work may hold at once
    /// ([`background_permits`]); background requests take one of these first.
    background: Semaphore,
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

/// How many of `max_in_flight` permits background work may hold at once: half of them (at least
/// one), so that people's pages always have the other half however busy the portal's own polls
/// are (with one permit in all, both share it).
pub(crate) fn background_permits(max_in_flight: usize) -> usize {
    (max_in_flight / 2).max(1)
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

    /// A handle to the same node (the same connections, limits, schema cache and counters) for
    /// the portal's own background work: the live feed's polls and look-ups, the usage
    /// history's reads. Its requests (and its clones') hold together at most half of
    /// `pexip.max_in_flight`'s permits, so a person's page never waits for a permit behind them
    /// when the limit allows more than one request. Schema fetches are the exception: one
    /// serves every caller waiting for that schema, a page among them, so it goes as a
    /// person's request would.
    pub fn background(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            background: true,
        }
    }

    /// This handle as people's requests use it (not [`Client::background`]).
    fn foreground(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            background: false,
        }
    }

    /// An in-flight permit for one request: first a background one for background work, then
    /// one of `pexip.max_in_flight`.
    async fn in_flight_permit(&self) -> Result<InFlightPermit<'_>, ClientError> {
        let closed = |_| ClientError::Unreachable("the client is shutting down".into());
        let background = if self.background {
            Some(self.inner.background.acquire().await.map_err(closed)?)
        } else {
            None
        };
        let permit = self.inner.in_flight.acquire().await.map_err(closed)?;
        Ok(InFlightPermit { permit, background })
    }

    /// Gives back the permits of a request whose [`InFlightPermit`] was forgotten.
    fn release_in_flight(&self) {
        self.inner.in_flight.add_permits(1);
        if self.background {
            self.inner.background.add_permits(1);
        }
    }
}

/// The permits of one request in flight, given back when dropped.
struct InFlightPermit<'a> {
    permit: tokio::sync::SemaphorePermit<'a>,
    background: Option<tokio::sync::SemaphorePermit<'a>>,
}

impl InFlightPermit<'_> {
    /// Keeps the permits taken: [`Client::release_in_flight`] gives them back.
    fn forget(self) {
        self.permit.forget();
        if let Some(background) = self.background {
            background.forget();
        }
    }
}
