//! Pages are for signed-in people: a page request without a signed-in session is redirected to
//! the login page (and back afterwards). Server functions check the session themselves and
//! answer 401; static files, health endpoints and the login page are public. While the session
//! store or the accounts database cannot be reached, a page is `503` (not a trip to the login
//! page, which needs the same database).

use axum::{
    body::Body,
    extract::State,
    http::{Method, Request, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};
use bff::portal::Portal;
use tower_sessions::Session;

/// Paths anyone may request.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.ico"
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
}

pub async fn require_sign_in(
    State(portal): State<Portal>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if request.method() != Method::GET || is_public(path) {
        return next.run(request).await;
    }
    let signed_in = match request.extensions().get::<Session>() {
        Some(session) => {
            match bff::sessions::current_principal(session, &portal.db, &portal.sessions).await {
                Ok(found) => found.is_some(),
                Err(error) if error.is_unavailable() => {
                    tracing::warn!(
                        path,
                        %error,
                        "cannot read the session: the database is unavailable"
                    );
                    return database_unavailable_page();
                }
                Err(error) => {
                    tracing::error!(%error, "cannot read the session");
                    false
                }
            }
        }
        None => false,
    };
    if signed_in {
        return next.run(request).await;
    }
    let target = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    Redirect::to(&format!("/login?next={}", encode(target))).into_response()
}

/// `503` for a page while the session store or the accounts database cannot be reached: a
/// short page saying so (sending a signed-in person to the sign-in page would not help, it needs
/// the same database), with `Retry-After`.
fn database_unavailable_page() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, "1"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Pexip Portal: try again in a moment</title></head><body>\
             <h1>Pexip Portal is briefly unavailable</h1>\
             <p>Its database cannot be reached right now. Reload the page in a moment.</p>\
             </body></html>",
        ),
    )
        .into_response()
}

/// Percent-encodes a path for a query value.
fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths() {
        for path in [
            "/login",
            "/healthz",
            "/readyz",
            "/pkg/pexip-portal.wasm",
            "/api/auth/login",
            "/favicon.ico",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in ["/", "/rooms", "/users", "/login/x", "/loginx"] {
            assert!(!is_public(path), "{path}");
        }
    }

    #[test]
    fn next_is_encoded() {
        assert_eq!(encode("/rooms?q=a b&x=1"), "/rooms%3Fq%3Da%20b%26x%3D1");
    }
}
