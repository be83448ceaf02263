//! The HTTP surface: health endpoints, the Leptos pages, server functions and static files, and
//! the layers every request passes through.

use crate::{auth_guard, backup_files, config::Config, csrf, health, rooms_export, security};
use app::{App, shell};
use axum::{Router, middleware};
use bff::portal::Portal;
use bff::sessions::PortalSessionStore;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Duration;
use tower_http::{
    limit::RequestBodyLimitLayer,
    services::{ServeDir, ServeFile},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

pub fn router(
    leptos: LeptosOptions,
    config: &Config,
    portal: Portal,
    sessions: PortalSessionStore,
) -> Router {
    let assets = assets(&leptos);
    let routes = generate_route_list(App);
    let context = {
        let portal = portal.clone();
        move || provide_context(portal.clone())
    };
    let pages = Router::new()
        .leptos_routes_with_context(&leptos, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(leptos)
        .layer(middleware::from_fn_with_state(
            portal.clone(),
            auth_guard::require_sign_in,
        ));

    // The served scheme decides `secure_cookie = "auto"`: this server speaks plain HTTP (TLS is
    // terminated in front of it when used), so "auto" leaves Secure off; set `always` there.
    let session_layer = bff::sessions::session_layer(sessions, &config.sessions, false);

    // Backup restores carry whole backup files: that route has its own, larger body limit.
    let files = backup_files::router(portal.clone(), backup_files::MAX_RESTORE_BYTES);
    let router = health::router(portal.clone())
        .merge(assets)
        .merge(rooms_export::router(portal))
        .merge(pages)
        .layer(RequestBodyLimitLayer::new(config.server.body_limit_bytes))
        .merge(files)
        .layer(middleware::from_fn(csrf::check))
        .layer(session_layer)
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.server.request_timeout_secs),
        ))
        .layer(TraceLayer::new_for_http());
    security::headers(router)
}

/// The built bundle (`/pkg/…`) and the favicon, served as files (conditional and range requests
/// included). They do not go through Leptos's file-and-error fallback: that handler applies
/// whatever response options its reactive owner finds, and under concurrent requests a file could
/// leave with another request's 404 status (seen in the browser tests as a wasm "404" carrying
/// the whole file).
fn assets(leptos: &LeptosOptions) -> Router {
    let root = std::path::Path::new(leptos.site_root.as_ref());
    let pkg = ServeDir::new(root.join(leptos.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", leptos.site_pkg_dir), pkg)
        .route_service("/favicon.ico", ServeFile::new(root.join("favicon.ico")))
}
