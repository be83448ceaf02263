//! Who is acting, for the plain HTTP routes beside the server functions: an extractor that
//! reads the signed-in person from the session (401 when there is none) and errors in the same
//! JSON shape the server functions use, so the UI shows them alike. An unreachable session store
//! or accounts database is `503` with `Retry-After` (as for the server functions), not `500`.

use app::api::AppError;
use axum::{
    Json,
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use bff::portal::{Actor, Portal};
use std::net::SocketAddr;
use tower_sessions::Session;

/// The signed-in person making the request.
pub struct SignedIn(pub Actor);

impl FromRequestParts<Portal> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, portal: &Portal) -> Result<Self, Response> {
        let Some(session) = parts.extensions.get::<Session>().cloned() else {
            tracing::error!("no session layer in front of a signed-in route");
            return Err(error_response(AppError::Internal(
                "your session could not be read; sign in again".into(),
            )));
        };
        let principal = bff::sessions::current_principal(&session, &portal.db, &portal.sessions)
            .await
            .map_err(|error| {
                if error.is_unavailable() {
                    tracing::warn!(
                        path = parts.uri.path(),
                        %error,
                        "cannot read the session: the database is unavailable"
                    );
                    return crate::api_guard::database_unavailable();
                }
                tracing::error!(%error, "cannot read the session");
                error_response(AppError::Internal(
                    "your session could not be read; sign in again".into(),
                ))
            })?
            .ok_or_else(|| error_response(AppError::NotSignedIn))?;
        let client_addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string());
        Ok(SignedIn(Actor {
            principal,
            client_addr,
        }))
    }
}

/// An error as JSON (`"Forbidden"`, `{"Invalid":{...}}`: as the server functions write it), with
/// its status.
pub fn error_response(error: AppError) -> Response {
    (error.status(), Json(error)).into_response()
}
