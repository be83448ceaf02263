//! Counters of the traffic the simulator served, for tests and benchmarks that must know what
//! reached the "Management Node": TCP connections accepted, and authenticated `/api/admin/`
//! requests per method (every one that arrived, including those answered by an injected fault).
//!
//! Read with [`crate::RunningSim::traffic`] or `GET /_sim/stats`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// The live counters, shared by the listener and the router.
#[derive(Debug, Default)]
pub struct Traffic {
    connections: AtomicU64,
    requests: Mutex<BTreeMap<String, u64>>,
}

impl Traffic {
    /// A TCP connection was accepted.
    pub fn connection_accepted(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    /// An `/api/admin/` request with `method` arrived.
    pub fn request(&self, method: &str) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *requests.entry(method.to_owned()).or_default() += 1;
    }

    /// The counts since the simulator started.
    pub fn snapshot(&self) -> TrafficStats {
        let requests_by_method = self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        TrafficStats {
            connections_accepted: self.connections.load(Ordering::Relaxed),
            requests: requests_by_method.values().sum(),
            requests_by_method,
        }
    }
}

/// A snapshot of [`Traffic`]; differences of two snapshots count what happened in between.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrafficStats {
    /// TCP connections accepted (before any TLS handshake).
    pub connections_accepted: u64,
    /// Authenticated `/api/admin/` requests, all methods.
    pub requests: u64,
    /// The same per HTTP method (`GET`, `POST`, ...).
    pub requests_by_method: BTreeMap<String, u64>,
}

impl TrafficStats {
    /// Requests with `method` (upper case).
    pub fn with_method(&self, method: &str) -> u64 {
        self.requests_by_method.get(method).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_connections_and_requests_per_method() {
        let traffic = Traffic::default();
        traffic.connection_accepted();
        traffic.request("GET");
        traffic.request("GET");
        traffic.request("PATCH");
        let stats = traffic.snapshot();
        assert_eq!(stats.connections_accepted, 1);
        assert_eq!(stats.requests, 3);
        assert_eq!(stats.with_method("GET"), 2);
        assert_eq!(stats.with_method("PATCH"), 1);
        assert_eq!(stats.with_method("DELETE"), 0);
    }
}
