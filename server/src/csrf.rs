//! Cross-site request forgery defence for every mutation, in two layers:
//!
//! 1. The session cookie is `SameSite=Strict` (see `bff::sessions`), so browsers do not send it
//!    with requests started by other sites.
//! 2. Every request with an unsafe method (POST, PUT, PATCH, DELETE) must come from the portal's
//!    own pages: when the browser says where it comes from (`Sec-Fetch-Site`, `Origin`), that
//!    must be this origin; otherwise it is refused with 403 before any handler runs.
//!
//! Server functions are POSTs, so every mutation passes through this check.

use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn check(request: Request<Body>, next: Next) -> Response {
    if is_safe(request.method()) || same_origin(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(
            method = %request.method(),
            path = request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "refused a cross-site request"
        );
        (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not accepted.",
        )
            .into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request demonstrably comes from a page of this origin, or from a client that is
/// not a browser (no `Sec-Fetch-Site` and no `Origin`: such clients carry no ambient cookies of
/// a victim).
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => true,
        Some(Ok(origin)) => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default();
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(host)
        }
        Some(Err(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        // Sec-Fetch-Site wins over a forged-looking Origin.
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://portal"),
            ("host", "portal")
        ])));
    }

    #[test]
    fn origin_must_match_the_host() {
        assert!(same_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(same_origin(&headers(&[
            ("origin", "https://portal.example"),
            ("host", "portal.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "portal.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "portal.example")
        ])));
    }

    #[test]
    fn non_browser_clients_pass() {
        assert!(same_origin(&HeaderMap::new()));
    }
}
