//! How a failed request is logged: tower-http's trace layer logs every 5xx at ERROR. A Management
//! Node that fails, is slow or unreachable (502, 504) and a database or a peer that is briefly
//! unavailable (503) are expected conditions, answered with a readable message and logged where
//! they happen: their response is one WARN line here. A 500 (the portal's own fault) and a
//! response that failed to be produced stay at ERROR.

use http::StatusCode;
use std::time::Duration;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::OnFailure;
use tracing::Span;

/// The trace layer's `on_failure` (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogFailure;

/// Whether a failed response's status is an expected condition rather than a fault.
pub fn expected(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
    )
}

impl OnFailure<ServerErrorsFailureClass> for LogFailure {
    fn on_failure(&mut self, class: ServerErrorsFailureClass, latency: Duration, _: &Span) {
        let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        match class {
            ServerErrorsFailureClass::StatusCode(status) if expected(status) => {
                tracing::warn!(status = status.as_u16(), latency_ms, "response unavailable");
            }
            ServerErrorsFailureClass::StatusCode(status) => {
                tracing::error!(status = status.as_u16(), latency_ms, "response failed");
            }
            ServerErrorsFailureClass::Error(error) => {
                tracing::error!(%error, latency_ms, "response failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_and_database_outages_are_expected_internal_errors_are_not() {
        assert!(expected(StatusCode::BAD_GATEWAY));
        assert!(expected(StatusCode::SERVICE_UNAVAILABLE));
        assert!(expected(StatusCode::GATEWAY_TIMEOUT));
        assert!(!expected(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!expected(StatusCode::NOT_IMPLEMENTED));
    }
}
