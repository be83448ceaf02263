//! Pages are for signed-in people: a page request without a signed-in session is redirected to
//! the login page (and back afterwards). Server functions check the session themselves and
//! answer 401; static files, health endpoints and the login page are public.

use axum::{
    body::Body,
    extract::State,
    http::{Method, Request},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
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
        Some(session) => matches!(
            bff::sessions::current_principal(session, &portal.db, &portal.sessions).await,
            Ok(Some(_))
        ),
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
