//! A list request the server refuses: 400 `{"error": "message"}`, as tastypie answers a bad
//! filter, ordering or page.

use axum::response::{IntoResponse, Response};

/// Why a list request was refused; the message is tastypie's wording where it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ListError(pub String);

impl ListError {
    pub fn new(message: impl Into<String>) -> Self {
        ListError(message.into())
    }
}

impl IntoResponse for ListError {
    fn into_response(self) -> Response {
        crate::http::response::bad_request(self.0)
    }
}
