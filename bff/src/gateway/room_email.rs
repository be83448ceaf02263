//! "Email me my room details": the Management Node's provisioning email
//! (`command/v1/conference/send_conference_email/`), sent to the room's owner
//! (`primary_owner_email_address`) with its aliases, PINs and join details.

use super::BffError;
use super::error::NON_FIELD;
use super::rooms::{room_uri, tag_of};
use crate::policy::{OWNER_FIELD, Operation};
use crate::portal::{Actor, Portal};
use serde_json::{Value, json};

/// What the person is told when the room has no owner to email.
pub const NO_OWNER: &str = "This room has no owner email address, so there is no one to send its details to. Ask an administrator to set one.";

impl Portal {
    /// Has the Management Node email a room's details to its owner; returns the address it
    /// went to. The room must be in the actor's scope (else `NotFound`) and have an owner.
    pub async fn room_send_email(&self, actor: &Actor, id: u64) -> Result<String, BffError> {
        let scope = self.scope(actor, Operation::RoomSendEmail)?;
        let room = self.room_in_scope(&scope, id).await?;
        let Some(to) = room
            .get(OWNER_FIELD)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|owner| !owner.is_empty())
            .map(String::from)
        else {
            return Err(BffError::field(NON_FIELD, NO_OWNER));
        };
        let body = json!({ "conference_id": id.to_string() });
        let changes = json!({ "email": { "before": null, "after": { "to": to } } });
        let outcome = self
            .pexip
            .command("conference", "send_conference_email", &body)
            .await
            .map(|_| to)
            .map_err(BffError::from);
        self.audit(
            actor,
            "room.send_email",
            Some(room_uri(id)),
            changes,
            tag_of(&room),
            outcome,
        )
        .await
    }
}
