//! The configuration browser (admins): every configuration resource the node serves.

use super::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use pexip::ListResponse;
use serde_json::{Map, Value};

/// The configuration resources the node serves, in its order.
#[server(endpoint = "config/resources", input = Json, output = crate::api::JsonText)]
pub async fn config_resources() -> Result<Vec<String>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.platform_resources(&actor).await?)
}

/// A page of a resource's objects.
#[server(endpoint = "config/list", input = Json, output = crate::api::JsonText)]
pub async fn config_list(
    resource: String,
    limit: u64,
    offset: u64,
) -> Result<ListResponse<Value>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .platform_list(&actor, &resource, limit, offset)
        .await?)
}

/// One object.
#[server(endpoint = "config/get", input = Json, output = crate::api::JsonText)]
pub async fn config_get(resource: String, id: String) -> Result<Value, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.platform_get(&actor, &resource, &id).await?)
}

/// Creates an object; returns its URI.
#[server(endpoint = "config/create", input = Json, output = crate::api::JsonText)]
pub async fn config_create(
    resource: String,
    fields: Map<String, Value>,
) -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.platform_create(&actor, &resource, fields).await?)
}

/// Changes the given fields of an object (explicit nulls clear them).
#[server(endpoint = "config/update", input = Json, output = crate::api::JsonText)]
pub async fn config_update(
    resource: String,
    id: String,
    changes: Map<String, Value>,
) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .platform_update(&actor, &resource, &id, changes)
        .await?)
}

/// Deletes one object (never a whole list).
#[server(endpoint = "config/delete", input = Json, output = crate::api::JsonText)]
pub async fn config_delete(resource: String, id: String) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.platform_delete(&actor, &resource, &id).await?)
}
