//! `GET /metrics`: the portal's metrics in the Prometheus text format ([`bff::metrics`]), and
//! who may read them (`[metrics]`). Served outside the session layer and the CSRF check: a
//! scrape neither needs nor creates a session.
//!
//! Access: without `metrics.token`, only loopback peers may scrape. With a token, every scrape
//! must send it (`Authorization: Bearer <token>`, else 401), and peers other than loopback may
//! scrape only when `metrics.allow_remote` is true (else 404, as if there were no such route).

use std::net::{IpAddr, SocketAddr};

use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, State},
    http::{HeaderValue, Request, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use bff::metrics::{CONTENT_TYPE, Sample, resident_memory_bytes};
use bff::portal::Portal;
use bff::sessions::{PortalSessionStore, count_active_sessions};
use pexip::client::Secret;
use serde::{Deserialize, Serialize};

pub const PATH: &str = "/metrics";

/// Who may read `/metrics` (`[metrics]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// The bearer token every scrape must send. Unset (or empty): no token, and only loopback
    /// peers may scrape.
    pub token: Option<Secret>,
    /// Whether peers other than loopback may scrape (with the token; without one this has no
    /// effect).
    pub allow_remote: bool,
}

impl MetricsConfig {
    /// The configured token, if not empty.
    fn token(&self) -> Option<&str> {
        self.token
            .as_ref()
            .map(Secret::expose)
            .filter(|token| !token.is_empty())
    }
}

/// What the route reads its metrics from.
#[derive(Clone)]
struct Scrape {
    portal: Portal,
    sessions: PortalSessionStore,
    access: MetricsConfig,
}

/// The `/metrics` route. `sessions` is the session store, whose live sessions are counted at
/// each scrape.
pub fn router(portal: Portal, sessions: PortalSessionStore, config: &MetricsConfig) -> Router {
    if config.allow_remote && config.token().is_none() {
        tracing::warn!(
            "metrics.allow_remote has no effect without metrics.token: only loopback peers may \
             read /metrics"
        );
    }
    Router::new().route(PATH, get(metrics)).with_state(Scrape {
        portal,
        sessions,
        access: config.clone(),
    })
}

/// The outcome of the access rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Allowed,
    /// A peer that may not scrape at all: 404.
    Hidden,
    /// A peer that may scrape with the token, which it did not send: 401.
    Unauthorized,
}

/// The access rule for a scrape from `peer` (unknown: treated as remote) with the request's
/// `Authorization` header.
fn access(config: &MetricsConfig, peer: Option<IpAddr>, authorization: Option<&str>) -> Access {
    let loopback = peer.is_some_and(|ip| ip.to_canonical().is_loopback());
    let token = config.token();
    let reachable = loopback || (config.allow_remote && token.is_some());
    if !reachable {
        return Access::Hidden;
    }
    let Some(token) = token else {
        return Access::Allowed;
    };
    let sent = authorization.and_then(|value| {
        value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, rest)| rest.trim())
    });
    match sent {
        Some(sent) if bff::constant_time::eq(sent.as_bytes(), token.as_bytes()) => Access::Allowed,
        _ => Access::Unauthorized,
    }
}

async fn metrics(State(scrape): State<Scrape>, request: Request<Body>) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    match access(&scrape.access, peer, authorization) {
        Access::Allowed => {}
        Access::Hidden => {
            tracing::warn!(
                peer = ?peer,
                "refused a metrics scrape: only loopback peers may read /metrics (see \
                 metrics.allow_remote)"
            );
            return StatusCode::NOT_FOUND.into_response();
        }
        Access::Unauthorized => {
            tracing::warn!(
                peer = ?peer,
                "refused a metrics scrape: missing or wrong metrics token"
            );
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
            )
                .into_response();
        }
    }
    let active_sessions = match count_active_sessions(&scrape.sessions, &scrape.portal.db).await {
        Ok(count) => count,
        Err(error) => {
            // The other metrics are still worth serving; the gauge is left out.
            tracing::warn!(%error, "cannot count the sessions for /metrics");
            None
        }
    };
    let sample = Sample {
        upstream: scrape.portal.pexip.request_stats(),
        active_sessions,
        resident_memory_bytes: resident_memory_bytes(),
    };
    let text = scrape.portal.metrics.render(&sample);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(token: Option<&str>, allow_remote: bool) -> MetricsConfig {
        MetricsConfig {
            token: token.map(|t| Secret::new(t.to_owned())),
            allow_remote,
        }
    }

    const LOOPBACK: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    const REMOTE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7)));

    #[test]
    fn without_a_token_only_loopback_peers_scrape() {
        for allow_remote in [false, true] {
            let config = config(None, allow_remote);
            assert_eq!(access(&config, LOOPBACK, None), Access::Allowed);
            assert_eq!(
                access(&config, Some("::1".parse().unwrap()), None),
                Access::Allowed
            );
            assert_eq!(
                access(&config, Some("::ffff:127.0.0.1".parse().unwrap()), None),
                Access::Allowed
            );
            assert_eq!(access(&config, REMOTE, None), Access::Hidden);
            assert_eq!(access(&config, None, None), Access::Hidden);
        }
        // An empty token is no token.
        assert_eq!(
            access(&config(Some(""), true), REMOTE, Some("Bearer ")),
            Access::Hidden
        );
    }

    #[test]
    fn with_a_token_every_scrape_sends_it() {
        let local = config(Some("s3cret"), false);
        assert_eq!(
            access(&local, LOOPBACK, Some("Bearer s3cret")),
            Access::Allowed
        );
        assert_eq!(
            access(&local, LOOPBACK, Some("bearer  s3cret")),
            Access::Allowed
        );
        assert_eq!(access(&local, LOOPBACK, None), Access::Unauthorized);
        assert_eq!(
            access(&local, LOOPBACK, Some("Bearer s3cre")),
            Access::Unauthorized
        );
        assert_eq!(
            access(&local, LOOPBACK, Some("Basic s3cret")),
            Access::Unauthorized
        );
        // Outside callers are not told that the route exists, token or not.
        assert_eq!(
            access(&local, REMOTE, Some("Bearer s3cret")),
            Access::Hidden
        );

        let remote = config(Some("s3cret"), true);
        assert_eq!(
            access(&remote, REMOTE, Some("Bearer s3cret")),
            Access::Allowed
        );
        assert_eq!(access(&remote, REMOTE, None), Access::Unauthorized);
    }
}
