//! The HTTP surface: health endpoints, the Leptos pages and static files, and the layers every
//! request passes through.

use crate::{config::Config, health, security};
use app::{App, shell};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Duration;
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer, trace::TraceLayer};

pub fn router(leptos: LeptosOptions, config: &Config) -> Router {
    let routes = generate_route_list(App);
    let pages = Router::new()
        .leptos_routes(&leptos, routes, {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos);

    let router = health::router()
        .merge(pages)
        .layer(RequestBodyLimitLayer::new(config.server.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.server.request_timeout_secs),
        ))
        .layer(TraceLayer::new_for_http());
    security::headers(router)
}
