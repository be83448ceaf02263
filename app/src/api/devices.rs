//! Device aliases (`device`): list, read, create, change, delete — scoped by the policy (admins:
//! all; tenant admins: their tenant's tag and alias domains).

use super::AppError;
use bff::requests::DeviceQuery;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use pexip::ListResponse;
use serde_json::{Map, Value};

/// A page of the device aliases the signed-in person may see.
#[server(endpoint = "devices/list", input = Json, output = crate::api::JsonText)]
pub async fn list_devices(query: DeviceQuery) -> Result<ListResponse<Value>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.devices_list(&actor, &query).await?)
}

/// One device alias (404 when it does not exist or is outside the caller's scope).
#[server(endpoint = "devices/get", input = Json, output = crate::api::JsonText)]
pub async fn get_device(id: u64) -> Result<Value, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.device_get(&actor, id).await?)
}

/// Creates a device alias from its fields; returns the new id.
#[server(endpoint = "devices/create", input = Json, output = crate::api::JsonText)]
pub async fn create_device(fields: Map<String, Value>) -> Result<u64, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.device_create(&actor, fields).await?)
}

/// Changes the given fields of a device alias (explicit nulls clear them).
#[server(endpoint = "devices/update", input = Json, output = crate::api::JsonText)]
pub async fn update_device(id: u64, changes: Map<String, Value>) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.device_update(&actor, id, changes).await?)
}

/// Deletes a device alias.
#[server(endpoint = "devices/delete", input = Json, output = crate::api::JsonText)]
pub async fn delete_device(id: u64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.device_delete(&actor, id).await?)
}
