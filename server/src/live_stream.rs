//! The live stream at [`STREAM_PATH`]: Server-Sent Events carrying the live feed as the viewer
//! may see it. Each event is `id: <version>` and `data: <LiveMessage JSON>`; the first is a
//! snapshot, unless the browser resumes with `Last-Event-ID` and the messages it missed are
//! still at hand. A comment every 15 s keeps proxies from closing an idle stream. Every 30 s
//! the viewer is checked again: signed out, disabled or changed (role, tenant), the stream
//! ends (the browser reconnects and gets what its new rights allow, or a 401). At shutdown every
//! stream ends, so that open streams do not hold the graceful shutdown.
//!
//! The route sits behind the session layer and the API guard like every `/api/` route (401 in
//! the JSON shape without a session). The request timeout bounds only the wait for the
//! response's head, which this route answers at once, so long streams are not cut.

use crate::signed_in::{SignedIn, error_response};
use app::api::AppError;
use axum::{
    Router,
    extract::{FromRequestParts, State},
    http::HeaderMap,
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use bff::live::model::{LiveMessage, STREAM_PATH};
use bff::portal::{Actor, Portal};
use bff::sessions::PortalSessionStore;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc;
use tower_sessions::{Session, SessionStore};

/// How often an idle stream carries a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often the viewer's session and account are checked again.
const RECHECK: Duration = Duration::from_secs(30);

#[derive(Clone)]
struct StreamState {
    portal: Portal,
    sessions: PortalSessionStore,
}

/// The stream's route (to be merged inside the session layer and the API guard).
pub fn router(portal: Portal, sessions: PortalSessionStore) -> Router {
    Router::new()
        .route(STREAM_PATH, get(stream))
        .with_state(StreamState { portal, sessions })
}

async fn stream(State(state): State<StreamState>, request: axum::extract::Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let actor =
        match <SignedIn as FromRequestParts<Portal>>::from_request_parts(&mut parts, &state.portal)
            .await
        {
            Ok(SignedIn(actor)) => actor,
            Err(response) => return response,
        };
    let headers = &parts.headers;
    let last_event_id = match last_event_id(headers) {
        Ok(id) => id,
        Err(raw) => {
            tracing::warn!(value = %raw.chars().take(40).collect::<String>(), "live stream: a Last-Event-ID that is not a version");
            return error_response(AppError::Invalid {
                message: "Last-Event-ID: expected the id of an event of this stream".into(),
                fields: Default::default(),
            });
        }
    };
    let mut subscription = match state.portal.live_subscribe(&actor, last_event_id) {
        Ok(subscription) => subscription,
        Err(error) => return error_response(error.into()),
    };
    let Some(session) = parts.extensions.get::<Session>().cloned() else {
        tracing::error!("no session layer in front of the live stream");
        return error_response(AppError::Internal(
            "your session could not be read; sign in again".into(),
        ));
    };
    let (sender, receiver) = mpsc::channel::<Event>(16);
    let portal = state.portal.clone();
    tokio::spawn(async move {
        let _viewer = portal.metrics.viewer_connected();
        let mut recheck = tokio::time::interval(RECHECK);
        recheck.tick().await;
        loop {
            tokio::select! {
                message = subscription.next() => {
                    let Some(message) = message else { break };
                    if sender.send(event(&message)).await.is_err() {
                        break;
                    }
                }
                _ = recheck.tick() => {
                    if !still_signed_in(&portal, &state.sessions, &session, &actor).await {
                        tracing::info!(user = %actor.principal.username, "live stream ended: the viewer is signed out or changed");
                        break;
                    }
                }
                () = sender.closed() => break,
                () = portal.live.closed() => break,
            }
        }
    });
    Sse::new(Events(receiver))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

/// The `Last-Event-ID` header as a version (`Err` with the raw value when it is not one).
fn last_event_id(headers: &HeaderMap) -> Result<Option<u64>, String> {
    match headers.get("last-event-id") {
        None => Ok(None),
        Some(value) => {
            let raw = String::from_utf8_lossy(value.as_bytes()).to_string();
            match raw.trim() {
                "" => Ok(None),
                trimmed => trimmed.parse().map(Some).map_err(|_| raw),
            }
        }
    }
}

/// One message as an SSE event.
fn event(message: &LiveMessage) -> Event {
    let data = serde_json::to_string(message).unwrap_or_else(|error| {
        // Plain data types: serialising cannot fail; still, never a panic in a stream.
        tracing::error!(%error, "live stream: a message did not serialise");
        String::from("{}")
    });
    Event::default()
        .id(message.version().to_string())
        .data(data)
}

/// Whether the session still exists in the store and still gives the same person.
async fn still_signed_in(
    portal: &Portal,
    sessions: &PortalSessionStore,
    session: &Session,
    actor: &Actor,
) -> bool {
    let Some(id) = session.id() else {
        return false;
    };
    match sessions.load(&id).await {
        Ok(Some(_)) => {}
        Ok(None) => return false,
        Err(error) => {
            // A store that cannot answer right now is not a sign-out.
            tracing::warn!(%error, "live stream: cannot check the session");
            return true;
        }
    }
    match bff::sessions::current_principal(session, &portal.db, &portal.sessions).await {
        Ok(Some(principal)) => principal == actor.principal,
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "live stream: cannot check the account");
            true
        }
    }
}

/// The events of one stream.
struct Events(mpsc::Receiver<Event>);

impl futures_core::Stream for Events {
    type Item = Result<Event, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|event| event.map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn last_event_id_is_a_version_or_refused() {
        let mut headers = HeaderMap::new();
        assert_eq!(last_event_id(&headers), Ok(None));
        headers.insert("last-event-id", HeaderValue::from_static(" 42 "));
        assert_eq!(last_event_id(&headers), Ok(Some(42)));
        headers.insert("last-event-id", HeaderValue::from_static("abc"));
        assert_eq!(last_event_id(&headers), Err("abc".to_string()));
    }
}
