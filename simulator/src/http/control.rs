//! The control endpoint, outside `/api/admin/`: `GET /_sim/faults` shows the active faults,
//! `PUT /_sim/faults` replaces them with a JSON [`FaultConfig`] (absent keys: no such fault);
//! `GET /_sim/stats` shows the traffic served so far ([`crate::traffic::TrafficStats`]);
//! `GET /_sim/emails` lists the provisioning emails the command API sent
//! ([`crate::live::outbox::SentEmail`], oldest first); `GET /_sim/event_sinks` shows the
//! delivery state of the event sinks ([`crate::sinks::status::SinkStatus`]).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::faults::FaultConfig;
use crate::http::response;
use crate::state::AppState;

/// `GET /_sim/faults`.
pub async fn get_faults(State(state): State<AppState>) -> Response {
    faults_body(&state.faults.get())
}

/// `PUT /_sim/faults`.
pub async fn put_faults(State(state): State<AppState>, body: Bytes) -> Response {
    let config: FaultConfig = match serde_json::from_slice(&body) {
        Ok(config) => config,
        Err(e) => return response::bad_request(format!("invalid fault configuration: {e}")),
    };
    match state.faults.set(config) {
        Ok(()) => faults_body(&state.faults.get()),
        Err(e) => response::bad_request(e),
    }
}

/// `GET /_sim/stats`.
pub async fn get_stats(State(state): State<AppState>) -> Response {
    match serde_json::to_value(state.traffic.snapshot()) {
        Ok(value) => response::json(StatusCode::OK, &value),
        Err(_) => response::server_error(),
    }
}

/// `GET /_sim/emails`.
pub async fn get_emails(State(state): State<AppState>) -> Response {
    match serde_json::to_value(state.live.emails()) {
        Ok(value) => response::json(StatusCode::OK, &value),
        Err(_) => response::server_error(),
    }
}

/// `GET /_sim/files`: the files of file fields (an IVR theme's `package`) with their sizes and
/// SHA-256, as the configuration API received them.
pub async fn get_files(State(state): State<AppState>) -> Response {
    match serde_json::to_value(state.files.list()) {
        Ok(value) => response::json(StatusCode::OK, &value),
        Err(_) => response::server_error(),
    }
}

/// `GET /_sim/event_sinks`.
pub async fn get_event_sinks(State(state): State<AppState>) -> Response {
    match serde_json::to_value(state.live.sinks().status()) {
        Ok(value) => response::json(StatusCode::OK, &value),
        Err(_) => response::server_error(),
    }
}

fn faults_body(config: &FaultConfig) -> Response {
    match serde_json::to_value(config) {
        Ok(value) => response::json(StatusCode::OK, &value),
        Err(_) => response::server_error(),
    }
}
