//! The HTTP surface: health endpoints, the Leptos pages, server functions and static files, and
//! the layers every request passes through.

use crate::{
    api_guard, auth_guard, backup_files, config::Config, csrf, health, metrics, rooms_export,
    security, sso,
};
use app::{App, shell};
use axum::{Router, middleware};
use bff::portal::Portal;
use bff::sessions::PortalSessionStore;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Duration;
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer, trace::TraceLayer};

pub fn router(
    leptos: LeptosOptions,
    config: &Config,
    public_url: &str,
    portal: Portal,
    sessions: PortalSessionStore,
) -> Router {
    let assets = crate::assets::router(&leptos);
    let routes = generate_route_list(App);
    let upload_limits = app::api::uploads::FileLimits {
        max_file_bytes: config.uploads.max_file_bytes,
        max_bundle_bytes: crate::file_uploads::MAX_BUNDLE_BYTES.min(config.uploads.max_file_bytes),
    };
    let sign_out_origins = app::csp::SignOutOrigins(portal.identity.sign_out_origins().into());
    let context = {
        let portal = portal.clone();
        let sign_out_origins = sign_out_origins.clone();
        move || {
            provide_context(portal.clone());
            provide_context(upload_limits);
            provide_context(sign_out_origins.clone());
        }
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
    let scrape = metrics::router(portal.clone(), sessions.clone(), &config.metrics);
    // The live stream needs the session store to notice a sign-out while it runs.
    let live_stream = crate::live_stream::router(portal.clone(), sessions.clone());
    // The nodes' event sink deliveries carry Basic credentials, no session and no browser
    // headers: outside the session layer, the CSRF check and the API guard.
    let event_sink = crate::event_sink::router(&portal).unwrap_or_default();
    let session_layer = bff::sessions::session_layer(sessions, &config.sessions, false);
    let secure_cookie = config.sessions.secure_cookie.resolve(false);

    // Backup restores carry whole backup files: that route has its own, larger body limit
    // (`backups.max_upload_bytes`) and receives them into the data dir.
    let uploads = backup_files::Uploads::prepare(&config.data_dir, &config.backups);
    // The configuration browser's files (theme packages, certificate bundles) likewise, with
    // `uploads.max_file_bytes`, into the same folder.
    let config_files = crate::file_uploads::router(portal.clone(), &uploads, &config.uploads);
    let files = backup_files::router(portal.clone(), uploads).merge(config_files);
    // Everything under `/api/`: the session first, then a server function's body (type, size,
    // arguments) before its handler reads it.
    let api = api_guard::Guard::new(portal.clone(), config.server.body_limit_bytes);
    let router = health::router(portal.clone())
        .merge(assets)
        .merge(rooms_export::router(portal.clone()))
        .merge(crate::devices_export::router(portal.clone()))
        .merge(crate::usage_export::router(portal.clone()))
        .merge(crate::licence_files::router(portal.clone()))
        .merge(sso::router(portal, public_url, secure_cookie))
        .merge(pages)
        .merge(live_stream)
        .layer(RequestBodyLimitLayer::new(config.server.body_limit_bytes))
        .merge(files)
        .layer(middleware::from_fn_with_state(api, api_guard::check))
        .layer(middleware::from_fn(csrf::check))
        .layer(session_layer)
        // Scrapes need no session and make none, and change nothing (no CSRF check).
        .merge(scrape)
        .merge(event_sink)
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.server.request_timeout_secs),
        ))
        // HTML and JSON compressed on the fly; the bundle precompressed; the SSE stream never.
        .layer(crate::assets::compression())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_failure(crate::request_log::LogFailure),
        );
    security::headers(router, &sign_out_origins.0)
}

/// The span of one request: tower-http's default (DEBUG, method, URI, version, and its target, so
/// `RUST_LOG=tower_http=debug` shows it as before) without the query of the single sign-on
/// routes. A callback's query carries the authorization code and `state`, and at
/// `RUST_LOG=debug` the span is printed on every log line of the request. The fields are written
/// only when the span is enabled (not at the default level).
fn request_span<B>(request: &http::Request<B>) -> tracing::Span {
    tracing::debug_span!(
        target: "tower_http::trace::make_span",
        "request",
        method = %request.method(),
        uri = %ShownUri(request.uri()),
        version = ?request.version(),
    )
}

/// A request's URI as its span shows it (see [`request_span`]).
struct ShownUri<'a>(&'a http::Uri);

impl std::fmt::Display for ShownUri<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let uri = self.0;
        match uri.query() {
            Some(_) if uri.path().starts_with("/auth/oidc/") => {
                write!(formatter, "{}?…", uri.path())
            }
            _ => write!(formatter, "{uri}"),
        }
    }
}
