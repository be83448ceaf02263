//! The whole URL space of the simulator.
//!
//! Layers, outermost first: Basic authentication (every path), then fault injection (only
//! `/api/admin/`), then the routes. Other parts of the simulator add their routes here.
//! Request bodies may be up to [`MAX_BODY`] (theme packages and backups are uploaded whole).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;

use crate::auth;
use crate::http::{config, control, inject, response};
use crate::state::AppState;

/// The largest request body accepted.
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// The router serving `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/_sim/faults",
            get(control::get_faults).put(control::put_faults),
        )
        .route("/_sim/stats", get(control::get_stats))
        .route("/_sim/emails", get(control::get_emails))
        .route("/_sim/files", get(control::get_files))
        .route("/_sim/event_sinks", get(control::get_event_sinks))
        .merge(config::routes())
        .merge(crate::live::router(
            state.live.clone(),
            std::sync::Arc::new(state.catalogue.clone()),
            state.options.plain_http,
        ))
        .fallback(|| async { response::not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            inject::faults,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_admin,
        ))
        .with_state(state)
}
