//! `GET /healthz` (the process is up) and `GET /readyz` (its dependencies answer).

use axum::{Json, Router, http::StatusCode, routing::get};
use serde::Serialize;

#[derive(Debug, Serialize, PartialEq)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Readiness {
    pub status: &'static str,
    /// One entry per dependency: `"ok"` or what is wrong with it.
    pub checks: std::collections::BTreeMap<&'static str, String>,
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Ready when every dependency answers. The server has none yet of its own: the Pexip and
/// database checks are added with those dependencies.
async fn readyz() -> (StatusCode, Json<Readiness>) {
    let checks = std::collections::BTreeMap::new();
    let ready = checks.values().all(|result: &String| result == "ok");
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            status: if ready { "ready" } else { "not ready" },
            checks,
        }),
    )
}
