//! Meeting rooms (services): list, read, create, change, delete — scoped by the policy.

use super::AppError;
use bff::requests::RoomQuery;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use pexip::ListResponse;
use serde_json::{Map, Value};

/// A page of the rooms the signed-in person may see.
#[server(endpoint = "rooms/list", input = Json)]
pub async fn list_rooms(query: RoomQuery) -> Result<ListResponse<Value>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.rooms_list(&actor, &query).await?)
}

/// One room (404 when it does not exist or is outside the caller's scope).
#[server(endpoint = "rooms/get", input = Json)]
pub async fn get_room(id: u64) -> Result<Value, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_get(&actor, id).await?)
}

/// Creates a room from its fields; returns the new id.
#[server(endpoint = "rooms/create", input = Json)]
pub async fn create_room(fields: Map<String, Value>) -> Result<u64, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_create(&actor, fields).await?)
}

/// Changes the given fields of a room (explicit nulls clear them).
#[server(endpoint = "rooms/update", input = Json)]
pub async fn update_room(id: u64, changes: Map<String, Value>) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_update(&actor, id, changes).await?)
}

/// Deletes a room.
#[server(endpoint = "rooms/delete", input = Json)]
pub async fn delete_room(id: u64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_delete(&actor, id).await?)
}

/// The automatic participants of a room.
#[server(endpoint = "rooms/participants", input = Json)]
pub async fn room_participants(id: u64) -> Result<Vec<Value>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_participants(&actor, id).await?)
}

/// Adds an automatic participant to a room; returns its URI.
#[server(endpoint = "rooms/participants/add", input = Json)]
pub async fn add_room_participant(id: u64, fields: Map<String, Value>) -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_participant_add(&actor, id, fields).await?)
}

/// Removes an automatic participant from a room.
#[server(endpoint = "rooms/participants/remove", input = Json)]
pub async fn remove_room_participant(id: u64, participant: u64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .room_participant_remove(&actor, id, participant)
        .await?)
}
