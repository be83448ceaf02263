//! The event sink receiver: where the Conferencing Nodes POST their events (path
//! `live.event_sink.path`, default `/api/live/event-sink`). It is outside the session layer,
//! the CSRF check and the API guard (the node has no session and no browser headers): HTTP
//! Basic with `live.event_sink.username`/`password` instead (401 otherwise). A readable body is
//! queued and answered 200 at once; the live feed's worker processes it. A body that is not an
//! event sink body gets 400 and one WARN line. Only the instance running the live feed (the
//! lease holder) takes events; the others answer 503 with `Retry-After: 1`, and the node delivers
//! the event again (to another instance behind a load balancer), in order.

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use bff::live::SinkAnswer;
use bff::portal::Portal;

/// The receiver's route, when a receiver is configured (a password set).
pub fn router(portal: &Portal) -> Option<Router> {
    let config = &portal.live.config.event_sink;
    if !config.is_configured() {
        return None;
    }
    Some(
        Router::new()
            .route(&config.path, post(receive))
            .with_state(portal.clone()),
    )
}

async fn receive(State(portal): State<Portal>, headers: HeaderMap, body: Bytes) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    match portal.live.receive_sink_body(authorization, &body) {
        SinkAnswer::Accepted => StatusCode::OK.into_response(),
        SinkAnswer::Unauthorized => {
            tracing::warn!("event sink: a delivery without the sink's credentials was refused");
            let mut response = StatusCode::UNAUTHORIZED.into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"event sink\""),
            );
            response
        }
        SinkAnswer::NotLeading => {
            tracing::debug!(
                "event sink: another instance runs the live feed; asked the node to retry"
            );
            let mut response = (
                StatusCode::SERVICE_UNAVAILABLE,
                "another portal instance runs the live feed; deliver again",
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        SinkAnswer::Malformed(reason) => {
            tracing::warn!(%reason, bytes = body.len(), "event sink: a body was refused");
            (StatusCode::BAD_REQUEST, reason).into_response()
        }
    }
}
