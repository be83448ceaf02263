//! Counters of what the client did upstream: connections opened (a connector layer), requests
//! sent (every attempt, retries included), and per-request records (API, method, outcome,
//! duration) for the portal's metrics.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::Method;
use tower::{Layer, Service};

use super::Client;
use super::error::ClientError;
use super::path::{API_PREFIX, Api};

/// A snapshot of the counters since the client was built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// TCP (+ TLS) connections established.
    pub connections_opened: u64,
    /// HTTP requests sent, retries included.
    pub requests_sent: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    connections: AtomicU64,
    requests: AtomicU64,
    /// Per-request records.
    pub(crate) outcomes: Requests,
}

impl Counters {
    pub(crate) fn request_sent(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> ClientStats {
        ClientStats {
            connections_opened: self.connections.load(Ordering::Relaxed),
            requests_sent: self.requests.load(Ordering::Relaxed),
        }
    }
}

impl Client {
    /// Every request attempt so far by API, method and outcome, and each API's latency.
    pub fn request_stats(&self) -> RequestStats {
        self.inner.counters.outcomes.snapshot()
    }
}

/// A connector layer counting the connections it establishes.
#[derive(Clone)]
pub(crate) struct CountConnections(pub(crate) Arc<Counters>);

impl<S> Layer<S> for CountConnections {
    type Service = Counted<S>;

    fn layer(&self, inner: S) -> Counted<S> {
        Counted {
            inner,
            counters: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub(crate) struct Counted<S> {
    inner: S,
    counters: Arc<Counters>,
}

impl<S, R> Service<R> for Counted<S>
where
    S: Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        let counters = self.counters.clone();
        Box::pin(async move {
            let connected = connecting.await;
            if connected.is_ok() {
                counters.connections.fetch_add(1, Ordering::Relaxed);
            }
            connected
        })
    }
}

/// Upper bounds, in seconds, of the buckets of the upstream latency histogram (each API's
/// [`LatencyHistogram`]); one more bucket, `+Inf`, takes the rest.
pub const LATENCY_BUCKETS_SECONDS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The APIs in the order [`RequestStats::latency`] lists them.
const APIS: [Api; 4] = [Api::Configuration, Api::Status, Api::History, Api::Command];

/// How one request attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The node answered with this HTTP status (whatever it was).
    Status(u16),
    /// No answer in time.
    Timeout,
    /// No connection, or the connection was lost.
    Unreachable,
    /// The node's certificate was refused.
    Untrusted,
    /// An answer that could not be read (too large, cut short).
    InvalidResponse,
}

impl Outcome {
    /// The outcome of a failed attempt that got no status.
    pub(crate) fn of_error(error: &ClientError) -> Outcome {
        match error {
            ClientError::Timeout => Outcome::Timeout,
            ClientError::Untrusted(_) => Outcome::Untrusted,
            ClientError::Unreachable(_) => Outcome::Unreachable,
            _ => Outcome::InvalidResponse,
        }
    }

    /// A short label: the status code (`"200"`), or `timeout`, `unreachable`, `untrusted`,
    /// `invalid_response`.
    pub fn label(self) -> String {
        match self {
            Outcome::Status(code) => code.to_string(),
            Outcome::Timeout => "timeout".to_owned(),
            Outcome::Unreachable => "unreachable".to_owned(),
            Outcome::Untrusted => "untrusted".to_owned(),
            Outcome::InvalidResponse => "invalid_response".to_owned(),
        }
    }
}

/// How many attempts of one kind ended one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCount {
    pub api: Api,
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    pub method: &'static str,
    pub outcome: Outcome,
    pub count: u64,
}

/// The durations of one API's request attempts, from sending to the end of the answer's body.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyHistogram {
    pub api: Api,
    /// Attempts per bucket of [`LATENCY_BUCKETS_SECONDS`], not cumulative; the last entry is
    /// the `+Inf` bucket (longer than the last bound).
    pub buckets: [u64; LATENCY_BUCKETS_SECONDS.len() + 1],
    /// Sum of the durations, in seconds.
    pub sum_seconds: f64,
    /// Attempts (the sum of `buckets`).
    pub count: u64,
}

/// A snapshot of the per-request records since the client was built: every attempt (retries
/// included) by API, method and outcome, and each API's latency histogram.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestStats {
    /// Sorted by API, method and outcome; only the combinations seen.
    pub requests: Vec<RequestCount>,
    /// One per API, in the order configuration, status, history, command.
    pub latency: Vec<LatencyHistogram>,
}

/// One API's histogram, as atomics.
#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; LATENCY_BUCKETS_SECONDS.len() + 1],
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let bucket = LATENCY_BUCKETS_SECONDS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(LATENCY_BUCKETS_SECONDS.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn snapshot(&self, api: Api) -> LatencyHistogram {
        let buckets = std::array::from_fn(|i| self.buckets[i].load(Ordering::Relaxed));
        LatencyHistogram {
            api,
            buckets,
            sum_seconds: self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
            count: buckets.iter().sum(),
        }
    }
}

/// The per-request records behind [`RequestStats`].
#[derive(Debug, Default)]
pub(crate) struct Requests {
    /// Keyed by the API's index in [`APIS`], the method and the outcome.
    counts: Mutex<BTreeMap<(usize, &'static str, Outcome), u64>>,
    latency: [Histogram; APIS.len()],
}

impl Requests {
    /// Records one attempt to `path` (under `/api/admin/`) that took `elapsed`. Paths outside
    /// the four APIs are not recorded (the client builds none).
    pub(crate) fn record(&self, method: &Method, path: &str, outcome: Outcome, elapsed: Duration) {
        let Some(api) = api_of(path) else {
            return;
        };
        let method = match *method {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::PATCH => "PATCH",
            Method::PUT => "PUT",
            Method::DELETE => "DELETE",
            _ => "OTHER",
        };
        *self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry((api_index(api), method, outcome))
            .or_default() += 1;
        self.latency[api_index(api)].observe(elapsed);
    }

    pub(crate) fn snapshot(&self) -> RequestStats {
        let requests = self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .map(|(&(api, method, outcome), &count)| RequestCount {
                api: APIS[api],
                method,
                outcome,
                count,
            })
            .collect();
        let latency = APIS
            .iter()
            .map(|&api| self.latency[api_index(api)].snapshot(api))
            .collect();
        RequestStats { requests, latency }
    }
}

/// The API of a path under `/api/admin/`.
fn api_of(path: &str) -> Option<Api> {
    let rest = path.strip_prefix(API_PREFIX)?;
    Api::parse(rest.split('/').next()?)
}

fn api_index(api: Api) -> usize {
    match api {
        Api::Configuration => 0,
        Api::Status => 1,
        Api::History => 2,
        Api::Command => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_by_api_method_and_outcome() {
        let requests = Requests::default();
        let path = "/api/admin/configuration/v1/conference/";
        requests.record(
            &Method::GET,
            path,
            Outcome::Status(200),
            Duration::from_millis(3),
        );
        requests.record(
            &Method::GET,
            path,
            Outcome::Status(200),
            Duration::from_millis(40),
        );
        requests.record(
            &Method::POST,
            "/api/admin/command/v1/participant/disconnect/",
            Outcome::Timeout,
            Duration::from_secs(30),
        );
        // Not one of the four APIs: not recorded.
        requests.record(
            &Method::GET,
            "/api/admin/other/v1/",
            Outcome::Status(404),
            Duration::from_millis(1),
        );

        let stats = requests.snapshot();
        assert_eq!(
            stats.requests,
            [
                RequestCount {
                    api: Api::Configuration,
                    method: "GET",
                    outcome: Outcome::Status(200),
                    count: 2,
                },
                RequestCount {
                    api: Api::Command,
                    method: "POST",
                    outcome: Outcome::Timeout,
                    count: 1,
                },
            ]
        );
        let apis: Vec<Api> = stats.latency.iter().map(|h| h.api).collect();
        assert_eq!(apis, APIS);
        let configuration = &stats.latency[0];
        assert_eq!(configuration.count, 2);
        assert_eq!(configuration.buckets[0], 1, "3 ms <= 5 ms");
        assert_eq!(configuration.buckets[3], 1, "40 ms <= 50 ms");
        assert!((configuration.sum_seconds - 0.043).abs() < 1e-9);
        let command = &stats.latency[3];
        assert_eq!(command.buckets[LATENCY_BUCKETS_SECONDS.len()], 1, "+Inf");
        assert_eq!(stats.latency[1].count, 0);
    }

    #[test]
    fn outcome_labels() {
        assert_eq!(Outcome::Status(429).label(), "429");
        assert_eq!(
            Outcome::of_error(&ClientError::Unreachable("refused".into())).label(),
            "unreachable"
        );
        assert_eq!(
            Outcome::of_error(&ClientError::Untrusted("expired".into())).label(),
            "untrusted"
        );
        assert_eq!(Outcome::of_error(&ClientError::Timeout).label(), "timeout");
        assert_eq!(
            Outcome::of_error(&ClientError::InvalidResponse("too large".into())).label(),
            "invalid_response"
        );
    }
}
