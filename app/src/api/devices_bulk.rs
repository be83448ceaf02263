//! Bulk import of device aliases: the server reads and checks a CSV file and answers what it
//! would do per line (create, change, nothing); the page then sends the valid lines one at a
//! time with `devices/create` and `devices/update`. The CSV export is a plain download,
//! [`DEVICES_CSV_PATH`], served by the server crate.

use super::AppError;
use bff::bulk::ImportPreview;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The CSV export of the device aliases list (`?alias=`: the list's search).
pub const DEVICES_CSV_PATH: &str = "/api/devices/export.csv";

/// Reads and checks a device aliases CSV file (Pexip v14 device import columns); writes nothing.
#[server(endpoint = "devices/import/preview", input = Json, output = crate::api::JsonText)]
pub async fn preview_devices_import(csv: String) -> Result<ImportPreview, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.devices_import_preview(&actor, &csv).await?)
}
