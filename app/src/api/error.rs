//! The error every server function returns: what the UI can show, nothing internal.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in.")]
    NotSignedIn,
    #[error("Your role does not allow this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// Values refused: messages per field (`__all__` for the whole form).
    #[error("{message}")]
    Invalid {
        message: String,
        fields: BTreeMap<String, Vec<String>>,
    },
    /// Too many failed sign-ins.
    #[error("{0}")]
    Throttled(String),
    /// The Management Node failed, timed out, is unreachable or busy.
    #[error("{0}")]
    Unavailable(String),
    /// Something failed on the portal's side.
    #[error("{0}")]
    Internal(String),
    /// The request did not reach the server function (network, encoding).
    #[error("{0}")]
    Request(String),
}

impl AppError {
    /// The messages for one form field.
    pub fn field(&self, name: &str) -> Vec<String> {
        match self {
            AppError::Invalid { fields, .. } => fields.get(name).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod from_bff {
    use super::AppError;
    use bff::gateway::BffError;
    use http::StatusCode;

    impl AppError {
        /// The HTTP status the server function's response carries.
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
                AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Invalid { .. } | AppError::Request(_) => StatusCode::BAD_REQUEST,
                AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                AppError::Unavailable(_) => StatusCode::BAD_GATEWAY,
                AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }

        /// Sets this error's status on the current server function response.
        pub fn with_status(self) -> Self {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(self.status());
            }
            self
        }
    }

    impl From<BffError> for AppError {
        fn from(error: BffError) -> Self {
            let app = match error {
                BffError::Unauthenticated => AppError::NotSignedIn,
                BffError::Forbidden => AppError::Forbidden,
                BffError::NotFound => AppError::NotFound,
                BffError::Invalid(fields) => AppError::Invalid {
                    message: BffError::Invalid(fields.clone()).to_string(),
                    fields,
                },
                BffError::Upstream(error) => {
                    tracing::warn!(%error, "Management API request failed");
                    AppError::Unavailable(error.to_string())
                }
                BffError::Internal(message) => AppError::Internal(message),
            };
            app.with_status()
        }
    }
}
