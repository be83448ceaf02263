//! What can go wrong talking to the Management Node, in words a portal user can act on.

use std::time::Duration;

use crate::error::FormErrors;

/// A failed request. `Display` is a user-facing message; none carries the password.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// No connection (refused, DNS, TLS handshake, or the connection was lost).
    #[error("The Pexip Management Node is unreachable ({0}). Try again later.")]
    Unreachable(String),
    /// The node's TLS certificate was refused (not trusted, not the pinned one, expired, issued
    /// for another name); the reason says which. Nothing was sent. Not retried: only a change
    /// of certificate or of `pexip.ca_file` / `pexip.pin_sha256` helps.
    #[error("Cannot connect securely to the Pexip Management Node: {0}.")]
    Untrusted(String),
    /// No answer in time.
    #[error("The Pexip Management Node did not answer in time. Try again later.")]
    Timeout,
    /// 401 or 403.
    #[error("The Management Node rejected the portal's credentials.")]
    Unauthorized,
    /// 404.
    #[error("Not found.")]
    NotFound,
    /// 400 with per-field messages.
    #[error("Some values were refused: {0}")]
    Validation(FormErrors),
    /// 400 (or 405) with a message not tied to fields.
    #[error("The Management Node refused the request: {0}")]
    BadRequest(String),
    /// 429.
    #[error("{}", rate_limited_message(*.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// 5xx.
    #[error("The Management Node failed ({status}): {message}")]
    Upstream { status: u16, message: String },
    /// An answer that is not what the API sends (malformed JSON, unexpected status, bad
    /// `Location`).
    #[error("The Management Node sent an invalid answer: {0}")]
    InvalidResponse(String),
    /// Refused before any request: a resource name, id or query that is not valid.
    #[error("Invalid request: {0}")]
    InvalidInput(String),
}

fn rate_limited_message(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(
            "The Management Node is busy (rate limited). Try again in {} s.",
            d.as_secs().max(1)
        ),
        None => "The Management Node is busy (rate limited). Try again shortly.".to_owned(),
    }
}

impl ClientError {
    /// The per-field messages of a validation failure.
    pub fn form_errors(&self) -> Option<&FormErrors> {
        match self {
            ClientError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// Whether the same GET may succeed if sent again (connection errors, 429, 502-504).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Unreachable(_) | ClientError::RateLimited { .. } => true,
            ClientError::Upstream { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }
}

/// Why a client could not be built from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("pexip.url is not set")]
    MissingUrl,
    #[error("pexip.url '{url}' is not usable: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("set either pexip.password or pexip.password_file, not both")]
    PasswordTwice,
    #[error("neither pexip.password nor pexip.password_file is set")]
    MissingPassword,
    #[error("cannot read pexip.password_file {path}: {source}")]
    PasswordFile {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot use pexip.ca_file {path}: {reason}")]
    CaFile { path: String, reason: String },
    #[error("invalid CA certificate: {0}")]
    CaPem(String),
    #[error("cannot set up TLS: {0}")]
    Tls(String),
    #[error("invalid setting: {0}")]
    Invalid(String),
    #[error("cannot build the HTTP client: {0}")]
    Build(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_user_facing() {
        assert_eq!(
            ClientError::Unauthorized.to_string(),
            "The Management Node rejected the portal's credentials."
        );
        assert_eq!(
            ClientError::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
            .to_string(),
            "The Management Node is busy (rate limited). Try again in 7 s."
        );
        assert_eq!(
            ClientError::Untrusted("the node's certificate expired on 2026-01-31".into())
                .to_string(),
            "Cannot connect securely to the Pexip Management Node: the node's certificate \
             expired on 2026-01-31."
        );
        assert!(!ClientError::Untrusted(String::new()).is_retryable());
        assert!(
            ClientError::Upstream {
                status: 503,
                message: "x".into()
            }
            .is_retryable()
        );
        assert!(
            !ClientError::Upstream {
                status: 500,
                message: "x".into()
            }
            .is_retryable()
        );
    }
}
