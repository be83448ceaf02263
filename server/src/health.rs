//! `GET /healthz` (the process is up) and `GET /readyz` (its dependencies answer).

use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use bff::portal::Portal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// How long a readiness check waits for a dependency.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Serialize, PartialEq)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Readiness {
    pub status: &'static str,
    /// One entry per dependency: `"ok"` or what is wrong with it.
    pub checks: BTreeMap<&'static str, String>,
}

pub fn router(portal: Portal) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(portal)
}

async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Ready when the accounts database and the Pexip Management Node both answer.
async fn readyz(State(portal): State<Portal>) -> (StatusCode, Json<Readiness>) {
    let (database, pexip) = tokio::join!(
        check(async { portal.db.ping().await.map_err(|e| e.to_string()) }),
        check(async { portal.pexip.ping().await.map_err(|e| e.to_string()) }),
    );
    let mut checks = BTreeMap::from([("database", database), ("pexip", pexip)]);
    let ready = checks.values().all(|result| result == "ok");
    // Reported, but no reason to take the instance out: local accounts still sign in.
    if let Some(directory) = &portal.identity.directory {
        checks.insert("directory", check(directory.source.ping()).await);
    }
    if !ready {
        tracing::warn!(?checks, "not ready");
    }
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

async fn check(probe: impl Future<Output = Result<(), String>>) -> String {
    match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => "ok".into(),
        Ok(Err(error)) => error,
        Err(_) => format!("no answer within {} s", CHECK_TIMEOUT.as_secs()),
    }
}
