//! The shapes of the simulator's answers: JSON bodies, empty bodies, tastypie's error bodies.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Tastypie's body for an unexpected server error.
pub const SERVER_ERROR_MESSAGE: &str =
    "Sorry, this request could not be processed. Please try again later.";

/// A JSON body with `status`.
pub fn json(status: StatusCode, value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An empty body with `status`.
pub fn empty(status: StatusCode) -> Response {
    (status, Body::empty()).into_response()
}

/// A 400 `{"error": message}`, for client errors not tied to a field (a bad filter...).
pub fn bad_request(message: impl Into<String>) -> Response {
    json(StatusCode::BAD_REQUEST, &json!({ "error": message.into() }))
}

/// A 500 with tastypie's generic body.
pub fn server_error() -> Response {
    json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({ "error_message": SERVER_ERROR_MESSAGE }),
    )
}

/// A 404 with an empty body.
pub fn not_found() -> Response {
    empty(StatusCode::NOT_FOUND)
}

/// A 405 naming the allowed methods, with an empty body.
pub fn method_not_allowed(allowed: &[&str]) -> Response {
    let mut response = empty(StatusCode::METHOD_NOT_ALLOWED);
    let list = allowed
        .iter()
        .map(|m| m.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(",");
    if let Ok(value) = HeaderValue::from_str(&list) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}
