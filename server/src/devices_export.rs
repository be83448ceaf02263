//! `GET /api/devices/export.csv?alias=`: every device alias of the signed-in person's scope
//! whose alias contains the devices list's search, as a CSV download in the device import
//! format. A plain GET so that a link downloads it; who may see what is decided by the policy in
//! the BFF (the same as the devices list: admins all, tenant admins their tenant's, others 403).

use crate::signed_in::SignedIn;
use crate::usage_export::{download, refused};
use app::api::AppError;
use app::api::devices_bulk::DEVICES_CSV_PATH;
use axum::{
    Router,
    extract::{Query, State},
    response::Response,
    routing::get,
};
use bff::portal::Portal;
use bff::requests::DeviceQuery;
use serde::Deserialize;

pub fn router(portal: Portal) -> Router {
    Router::new()
        .route(DEVICES_CSV_PATH, get(export))
        .with_state(portal)
}

/// The devices list's URL parameters (`page` and `size` are ignored: the export holds every
/// matching device alias).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    alias: String,
}

async fn export(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Query(params): Query<Params>,
) -> Response {
    let alias = params.alias.trim();
    let query = DeviceQuery {
        alias: (!alias.is_empty()).then(|| alias.to_string()),
        order_by: Some("alias".into()),
        limit: 0,
        offset: 0,
    };
    match portal.devices_export_csv(&actor, &query).await {
        Ok(csv) => download(csv, "devices.csv"),
        Err(error) => refused(AppError::from(error)),
    }
}
