//! Meeting rooms (services): list, read, create, change, delete — scoped by the policy.

use super::AppError;
use bff::requests::RoomQuery;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use pexip::ListResponse;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A page of the rooms the signed-in person may see, each room as the node wrote it (passed on
/// without being parsed into a tree and written out again).
#[server(endpoint = "rooms/list", input = Json, output = crate::api::JsonText)]
pub async fn list_rooms(query: RoomQuery) -> Result<ListResponse<Box<RawValue>>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.rooms_list_raw(&actor, &query).await?)
}

/// One room (404 when it does not exist or is outside the caller's scope).
#[server(endpoint = "rooms/get", input = Json, output = crate::api::JsonText)]
pub async fn get_room(id: u64) -> Result<Value, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_get(&actor, id).await?)
}

/// Creates a room from its fields; returns the new id.
#[server(endpoint = "rooms/create", input = Json, output = crate::api::JsonText)]
pub async fn create_room(fields: Map<String, Value>) -> Result<u64, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_create(&actor, fields).await?)
}

/// Changes the given fields of a room (explicit nulls clear them).
#[server(endpoint = "rooms/update", input = Json, output = crate::api::JsonText)]
pub async fn update_room(id: u64, changes: Map<String, Value>) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_update(&actor, id, changes).await?)
}

/// Deletes a room.
#[server(endpoint = "rooms/delete", input = Json, output = crate::api::JsonText)]
pub async fn delete_room(id: u64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_delete(&actor, id).await?)
}

/// The automatic participants of a room.
#[server(endpoint = "rooms/participants", input = Json, output = crate::api::JsonText)]
pub async fn room_participants(id: u64) -> Result<Vec<Value>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_participants(&actor, id).await?)
}

/// Adds an automatic participant to a room; returns its URI.
#[server(endpoint = "rooms/participants/add", input = Json, output = crate::api::JsonText)]
pub async fn add_room_participant(id: u64, fields: Map<String, Value>) -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.room_participant_add(&actor, id, fields).await?)
}

/// Removes an automatic participant from a room.
#[server(endpoint = "rooms/participants/remove", input = Json, output = crate::api::JsonText)]
pub async fn remove_room_participant(id: u64, participant: u64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .room_participant_remove(&actor, id, participant)
        .await?)
}

/// The room fields an end user's room card edits in place (those the policy lets them change).
pub const PIN_FIELDS: [&str; 3] = ["pin", "allow_guests", "guest_pin"];

/// Changes a room's PINs and guest access from the room card's plain HTML form, posted before
/// (or without) the wasm; once hydrated the card sends [`update_room`] instead. The form names
/// its fields: a text field left out (disabled, or not offered) stays as it is, an unticked
/// `allow_guests` box is `false` (and clears the guest PIN); only the fields the caller's room
/// schema lets them change are read, and only those that differ from the room are sent. A browser's form post is answered
/// with `303 See Other` back to `/rooms` (`?saved=<id>`, or `?pins=<id>` with the error as
/// `__path`/`__err` for the card to show); other callers get the usual answer and status.
#[server(endpoint = "rooms/pins", output = crate::api::JsonText)]
pub async fn change_room_pins(
    id: u64,
    pin: Option<String>,
    allow_guests: Option<String>,
    guest_pin: Option<String>,
) -> Result<(), AppError> {
    let outcome = async {
        let (portal, actor) = super::context::signed_in().await?;
        // The schema first: it usually comes from the cache, without a request upstream.
        let schema = portal.form_schema(&actor, "conference").await?;
        let room = portal.room_get(&actor, id).await?;
        let changes = pin_changes(&schema, &room, pin, allow_guests, guest_pin);
        if changes.is_empty() {
            return Err(AppError::Invalid {
                message: "Nothing has changed.".into(),
                fields: [("__all__".to_string(), vec!["Nothing has changed.".into()])].into(),
            }
            .with_status());
        }
        Ok(portal.room_update(&actor, id, changes).await?)
    }
    .await;
    if let Err(error) = &outcome {
        tracing::info!(room = id, %error, "PIN change refused");
    }
    answer_form_post(id, &outcome);
    outcome
}

/// The changes a PIN form asks for: the editable fields whose value differs from the room's.
#[cfg(feature = "ssr")]
fn pin_changes(
    schema: &pexip::Schema,
    room: &Value,
    pin: Option<String>,
    allow_guests: Option<String>,
    guest_pin: Option<String>,
) -> Map<String, Value> {
    let editable = |name: &str| schema.field(name).is_some_and(|f| !f.readonly);
    let text = |value: Option<String>| value.map(|v| Value::String(v.trim().to_string()));
    let guests = allow_guests.is_some();
    // A guest PIN only means something while guests are allowed (Pexip refuses one without):
    // unticking guest access clears it.
    let guest_pin = if guests || !editable("allow_guests") {
        text(guest_pin)
    } else {
        Some(Value::String(String::new()))
    };
    let asked = [
        ("pin", text(pin)),
        ("allow_guests", Some(Value::Bool(guests))),
        ("guest_pin", guest_pin),
    ];
    let same = |field: &str, value: &Value| match (room.get(field), value) {
        (None | Some(Value::Null), Value::String(s)) => s.is_empty(),
        (None | Some(Value::Null), Value::Bool(b)) => !b,
        (Some(current), value) => current == value,
        _ => false,
    };
    asked
        .into_iter()
        .filter_map(|(field, value)| value.map(|v| (field, v)))
        .filter(|(field, value)| editable(field) && !same(field, value))
        .map(|(field, value)| (field.to_string(), value))
        .collect()
}

/// A browser's plain form post goes back to the rooms page with the outcome in the address.
#[cfg(feature = "ssr")]
fn answer_form_post(id: u64, outcome: &Result<(), AppError>) {
    use leptos::server_fn::ServerFn;
    use leptos::server_fn::error::ServerFnUrlError;
    if !super::form_post::from_plain_form() {
        return;
    }
    let place = match outcome {
        Ok(()) => format!("/rooms?saved={id}"),
        Err(error) => {
            let base = format!("http://portal.invalid/rooms?pins={id}");
            match ServerFnUrlError::new(ChangeRoomPins::PATH, error.clone()).to_url(&base) {
                Ok(url) => format!("{}?{}", url.path(), url.query().unwrap_or_default()),
                Err(_) => format!("/rooms?pins={id}"),
            }
        }
    };
    leptos_axum::redirect(&format!("{place}#card-{id}"));
    super::form_post::see_other();
}
