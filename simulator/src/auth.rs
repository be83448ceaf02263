//! HTTP Basic authentication against the configured admin account. Anything else is a 401
//! with a `WWW-Authenticate` challenge and an empty body, as tastypie answers.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::state::AppState;

/// The realm named in the challenge.
const REALM: &str = "Basic realm=\"Pexip Management API\"";

/// Lets the request through only with the admin account's credentials.
pub async fn require_admin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(credentials)
        .is_some_and(|(user, password)| {
            constant_time_eq(user.as_bytes(), state.options.admin_user.as_bytes())
                & constant_time_eq(password.as_bytes(), state.options.admin_password.as_bytes())
        });
    if authorized {
        next.run(request).await
    } else {
        let mut response = StatusCode::UNAUTHORIZED.into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(REALM));
        response
    }
}

/// The user name and password of a `Basic` authorization header.
fn credentials(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_decoded() {
        let header = format!("Basic {}", STANDARD.encode("admin:pa:ss"));
        assert_eq!(
            credentials(&header),
            Some(("admin".to_owned(), "pa:ss".to_owned()))
        );
        assert_eq!(credentials("Bearer abc"), None);
        assert_eq!(credentials("Basic !!!"), None);
        assert_eq!(
            credentials(&format!("Basic {}", STANDARD.encode("nocolon"))),
            None
        );
    }
}
