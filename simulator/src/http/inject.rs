//! Applies the active faults to requests under `/api/admin/` (and counts those requests).

use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::FaultAction;
use crate::http::response;
use crate::http::serve::DropConnection;
use crate::state::AppState;

/// The largest body the malformed-JSON fault reads back to cut short.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Decides the request's fate and carries it out.
pub async fn faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/admin/") {
        return next.run(request).await;
    }
    state.traffic.request(request.method().as_str());
    let decision = state.faults.decide(Instant::now());
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    match decision.action {
        FaultAction::None => next.run(request).await,
        FaultAction::ServerError => response::server_error(),
        FaultAction::Unavailable => {
            let mut r = response::empty(StatusCode::SERVICE_UNAVAILABLE);
            *r.body_mut() = Body::from("Service Temporarily Unavailable");
            r
        }
        FaultAction::RateLimited { retry_after_secs } => {
            let mut r = response::empty(StatusCode::TOO_MANY_REQUESTS);
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            r
        }
        FaultAction::Drop => {
            let mut r = response::empty(StatusCode::INTERNAL_SERVER_ERROR);
            r.extensions_mut().insert(DropConnection);
            r
        }
        FaultAction::Malformed => malformed(next.run(request).await).await,
    }
}

/// Cuts the body short (an empty body becomes a lone `{`), keeping status and content type.
async fn malformed(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let cut = if bytes.is_empty() {
        b"{".to_vec()
    } else {
        bytes[..bytes.len() / 2].to_vec()
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(cut))
}
