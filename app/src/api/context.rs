//! What every server function needs from the request: the portal state and who is acting.

use super::AppError;
use bff::accounts::Principal;
use bff::portal::{Actor, Portal};
use leptos::prelude::use_context;
use std::net::SocketAddr;

/// The server's shared state, provided to every request by the server binary.
pub fn portal() -> Result<Portal, AppError> {
    use_context::<Portal>()
        .ok_or_else(|| AppError::Internal("the portal state is missing".into()).with_status())
}

/// The request's session.
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|error| AppError::Internal(format!("no session: {error}")).with_status())
}

/// The client's address as the server sees it.
pub async fn client_addr() -> Option<SocketAddr> {
    leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0)
}

/// The person the server's `/api/` guard found signed in to this request's session: it reads the
/// session before a server function runs (401 without one) and leaves the `Principal` in the
/// request's extensions, so it is not read twice. `None` outside `/api/` (server functions
/// called while a page renders) and on the public endpoints.
fn checked_principal() -> Option<Principal> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<Principal>()
        .cloned()
}

/// The signed-in person making this request, or `NotSignedIn`.
pub async fn actor(portal: &Portal) -> Result<Actor, AppError> {
    let principal = match checked_principal() {
        Some(principal) => principal,
        None => {
            let session = session().await?;
            bff::sessions::current_principal_cached(&session, &portal.db, &portal.sessions)
                .await
                .map_err(session_unread)?
                .ok_or_else(|| AppError::NotSignedIn.with_status())?
        }
    };
    Ok(Actor {
        principal,
        client_addr: client_addr().await.map(|addr| addr.ip().to_string()),
    })
}

/// The error for a session that could not be read: `503` "database unavailable, try again" when
/// the session store or the accounts database could not be reached (a WARN line), otherwise a
/// `500` (an ERROR line).
fn session_unread(error: bff::sessions::SessionError) -> AppError {
    if error.is_unavailable() {
        tracing::warn!(%error, "cannot read the session: the database is unavailable");
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            response.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static("1"),
            );
        }
        return AppError::Unavailable(bff::sessions::DATABASE_UNAVAILABLE.into());
    }
    tracing::error!(%error, "cannot read the session");
    AppError::Internal("your session could not be read; sign in again".into()).with_status()
}

/// The portal state and the signed-in person: what every server function starts with.
pub async fn signed_in() -> Result<(Portal, Actor), AppError> {
    let portal = portal()?;
    let actor = actor(&portal).await?;
    Ok((portal, actor))
}
