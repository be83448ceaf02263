//! `GET /api/rooms/export.csv?name=&alias=&type=&order=`: every room of the signed-in person's
//! scope matching the rooms list's filters, as a CSV download in the import format. A plain GET
//! so that a link downloads it; the session is checked here like in every server function.

use app::api::AppError;
use axum::{
    Json, Router,
    body::Body,
    extract::{ConnectInfo, Query, State},
    http::{Request, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use bff::portal::{Actor, Portal};
use bff::requests::RoomQuery;
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

pub const PATH: &str = "/api/rooms/export.csv";

pub fn router(portal: Portal) -> Router {
    Router::new().route(PATH, get(export)).with_state(portal)
}

/// The rooms list's URL parameters (the same names as on `/rooms`); others (`page`, `size`)
/// are ignored.
#[derive(Debug, Default, Deserialize)]
struct Filters {
    name: Option<String>,
    alias: Option<String>,
    #[serde(rename = "type")]
    service_type: Option<String>,
    order: Option<String>,
}

async fn export(
    State(portal): State<Portal>,
    Query(filters): Query<Filters>,
    request: Request<Body>,
) -> Response {
    let Some(session) = request.extensions().get::<Session>() else {
        return failure(AppError::NotSignedIn);
    };
    let principal =
        match bff::sessions::current_principal(session, &portal.db, &portal.sessions).await {
            Ok(Some(principal)) => principal,
            Ok(None) => return failure(AppError::NotSignedIn),
            Err(error) => {
                tracing::error!(%error, "cannot read the session");
                return failure(AppError::Internal(
                    "your session could not be read; sign in again".into(),
                ));
            }
        };
    let actor = Actor {
        principal,
        client_addr: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string()),
    };
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let query = RoomQuery {
        name: given(filters.name),
        alias: given(filters.alias),
        service_type: given(filters.service_type),
        order_by: given(filters.order),
        limit: 0,
        offset: 0,
    };
    match portal.rooms_export_csv(&actor, &query).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"rooms.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            csv,
        )
            .into_response(),
        Err(error) => failure(AppError::from(error)),
    }
}

/// An error answer with the server functions' JSON shape and status.
fn failure(error: AppError) -> Response {
    let status = error.status();
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(%error, "rooms export failed");
    }
    (status, Json(error)).into_response()
}
