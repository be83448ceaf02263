//! Counters of what the client did upstream: connections opened (a connector layer) and
//! requests sent (every attempt, retries included).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use tower::{Layer, Service};

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
