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
        #[cfg(feature = "ssr")]
        if let Some(refused) = from_bff::undecodable_arguments(&value) {
            return refused;
        }
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
pub use from_bff::elide_quoted;

#[cfg(feature = "ssr")]
mod from_bff {
    use super::AppError;
    use bff::gateway::BffError;
    use http::StatusCode;
    use leptos::server_fn::error::ServerFnErrorErr;

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

    /// On the server, arguments that server_fn could not decode (not UTF-8, not JSON, a missing
    /// or mistyped argument) are the caller's mistake: a 400 `Invalid` naming what serde names,
    /// and one WARN line with the endpoint and the reason (quoted values elided), never ERROR.
    /// The server's `/api/` guard refuses such bodies before they get here; this covers anything
    /// it lets through. `None` for the other kinds of error.
    pub(super) fn undecodable_arguments(error: &ServerFnErrorErr) -> Option<AppError> {
        let reason = match error {
            ServerFnErrorErr::Args(reason) | ServerFnErrorErr::Deserialization(reason) => {
                reason.clone()
            }
            ServerFnErrorErr::MissingArg(name) => format!("missing field `{name}`"),
            _ => return None,
        };
        let reason: String = if reason.chars().count() > 400 {
            reason.chars().take(400).chain(['…']).collect()
        } else {
            reason
        };
        let endpoint = leptos::prelude::use_context::<http::request::Parts>()
            .map(|parts| parts.uri.path().to_string())
            .unwrap_or_default();
        tracing::warn!(
            endpoint,
            reason = %elide_quoted(&reason),
            "refused a server function call: its arguments could not be decoded"
        );
        let fields = reason
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(|name| (name.to_string(), vec![reason.clone()]))
            .into_iter()
            .collect();
        Some(
            AppError::Invalid {
                message: format!("invalid request: {reason}"),
                fields,
            }
            .with_status(),
        )
    }

    /// `reason` with the contents of `"..."` (values serde copies from the input) and control
    /// characters left out: fit for a log line.
    pub fn elide_quoted(reason: &str) -> String {
        let mut out = String::with_capacity(reason.len());
        let mut quoted = false;
        for c in reason.chars() {
            if c == '"' {
                out.push_str(if quoted { "\"" } else { "\"…" });
                quoted = !quoted;
            } else if !quoted && !c.is_control() {
                out.push(c);
            }
        }
        out
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use http::StatusCode;

    #[test]
    fn arguments_server_fn_cannot_decode_are_a_bad_request() {
        let missing =
            AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `limit`".into()));
        assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
        assert_eq!(missing.field("limit"), ["missing field `limit`"]);
        assert_eq!(
            missing.to_string(),
            "invalid request: missing field `limit`"
        );
        let mistyped = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization(
            "invalid type: string \"x\", expected u64 at line 1 column 12".into(),
        ));
        assert!(
            matches!(&mistyped, AppError::Invalid { message, .. } if message.starts_with("invalid request: invalid type")),
            "{mistyped:?}"
        );
        let long = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".repeat(5000)));
        assert!(long.to_string().chars().count() < 500);
        // Anything else stays what it was.
        let other = AppError::from_server_fn_error(ServerFnErrorErr::ServerError("boom".into()));
        assert!(matches!(other, AppError::Request(_)), "{other:?}");
    }

    #[test]
    fn logged_reasons_leave_out_quoted_values() {
        assert_eq!(
            from_bff::elide_quoted(r#"invalid type: string "hunter2", expected u64"#),
            r#"invalid type: string "…", expected u64"#
        );
    }
}
