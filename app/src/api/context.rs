//! What every server function needs from the request: the portal state and who is acting.

use super::AppError;
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

/// The signed-in person making this request, or `NotSignedIn`.
pub async fn actor(portal: &Portal) -> Result<Actor, AppError> {
    let session = session().await?;
    let principal = bff::sessions::current_principal(&session, &portal.db, &portal.sessions)
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot read the session");
            AppError::Internal("your session could not be read; sign in again".into()).with_status()
        })?
        .ok_or_else(|| AppError::NotSignedIn.with_status())?;
    Ok(Actor {
        principal,
        client_addr: client_addr().await.map(|addr| addr.ip().to_string()),
    })
}

/// The portal state and the signed-in person: what every server function starts with.
pub async fn signed_in() -> Result<(Portal, Actor), AppError> {
    let portal = portal()?;
    let actor = actor(&portal).await?;
    Ok((portal, actor))
}
