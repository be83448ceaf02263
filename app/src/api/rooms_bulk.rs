//! Bulk import of meeting rooms: the server reads and checks a CSV file and answers what it
//! would create; the page then creates the valid rooms one at a time with `rooms/create`.
//! (The CSV export is a plain download, `GET /api/rooms/export.csv`, served by the server crate.)

use super::AppError;
use bff::bulk::ImportPreview;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Reads and checks a rooms CSV file (Pexip v14 import columns); creates nothing.
#[server(endpoint = "rooms/import/preview", input = Json, output = crate::api::JsonText)]
pub async fn preview_rooms_import(csv: String) -> Result<ImportPreview, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.rooms_import_preview(&actor, &csv).await?)
}
