//! End users' room cards: their rooms with how to join each one (dial strings, web app link
//! and its QR code, worked out on the server), and the room details email.

use super::AppError;
use bff::join::JoinDetails;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The most rooms the cards show (end users have one or two).
pub const MAX_CARDS: u64 = 50;

/// One room and how to join it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomCard {
    /// The `conference` object as the node serves it (aliases embedded).
    pub room: Value,
    pub join: JoinDetails,
}

/// The signed-in person's rooms, as cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomCardList {
    pub cards: Vec<RoomCard>,
    /// How many rooms the person may see in all (more than `cards` when over [`MAX_CARDS`]).
    pub total: u64,
}

/// The rooms the signed-in person may see (by name), with their join details.
#[server(endpoint = "rooms/cards", input = Json, output = crate::api::JsonText)]
pub async fn room_cards() -> Result<RoomCardList, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let query = bff::requests::RoomQuery {
        order_by: Some("name".into()),
        limit: MAX_CARDS,
        ..Default::default()
    };
    let list = portal.rooms_list(&actor, &query).await?;
    Ok(RoomCardList {
        total: list.meta.total_count,
        cards: list
            .objects
            .into_iter()
            .map(|room| RoomCard {
                join: bff::join::join_details(&room, &portal.rooms),
                room,
            })
            .collect(),
    })
}

/// Has the Management Node email a room's details to its owner; returns the address.
#[server(endpoint = "rooms/send-email", input = Json, output = crate::api::JsonText)]
pub async fn send_room_email(id: u64) -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_send_email(&actor, id).await?)
}
