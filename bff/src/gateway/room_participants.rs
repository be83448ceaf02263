//! The automatic participants of a meeting room: the `automatic_participant` objects whose
//! `conference` list names the room. Reading needs the room in scope; adding and removing is a
//! change of the room.

use super::{BffError, MAX_PAGE};
use crate::audit;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::client::{Api, ObjectId};
use serde_json::{Map, Value, json};

/// The configuration resource of automatically dialed participants.
pub const RESOURCE: &str = "automatic_participant";
/// The room field the policy judges for these changes.
const ROOM_FIELD: &str = "automatic_participants";

impl Portal {
    /// The automatic participants of a room the actor may see.
    pub async fn room_participants(&self, actor: &Actor, id: u64) -> Result<Vec<Value>, BffError> {
        let scope = self.scope(actor, Operation::RoomRead)?;
        self.room_in_scope(&scope, id).await?;
        let query = super::page(
            &[("conference".into(), super::rooms::room_uri(id))],
            MAX_PAGE,
            0,
        );
        Ok(self
            .pexip
            .list(Api::Configuration, RESOURCE, &query)
            .await?
            .objects)
    }

    /// Adds an automatic participant (its fields, without `conference`) to a room; returns its
    /// URI.
    pub async fn room_participant_add(
        &self,
        actor: &Actor,
        id: u64,
        mut fields: Map<String, Value>,
    ) -> Result<String, BffError> {
        let room = self.room_for_participants(actor, id).await?;
        let room_uri = super::rooms::room_uri(id);
        fields.insert("conference".into(), json!([room_uri]));
        let changes = audit::diff(None, &fields);
        let outcome = self
            .pexip
            .create(Api::Configuration, RESOURCE, &Value::Object(fields))
            .await;
        let uri = outcome.as_ref().ok().map(|created| created.uri());
        let outcome = outcome.map(|created| created.uri()).map_err(BffError::from);
        self.audit(
            actor,
            "room.participant.add",
            uri,
            changes,
            super::rooms::tag_of(&room),
            outcome,
        )
        .await
    }

    /// Removes an automatic participant from a room: it is deleted when this room was its only
    /// one, else the room is taken off its list.
    pub async fn room_participant_remove(
        &self,
        actor: &Actor,
        id: u64,
        participant: u64,
    ) -> Result<(), BffError> {
        let room = self.room_for_participants(actor, id).await?;
        let room_uri = super::rooms::room_uri(id);
        let participant_id = ObjectId::Int(participant);
        let before = self
            .pexip
            .get(Api::Configuration, RESOURCE, &participant_id)
            .await?;
        let rooms: Vec<Value> = before
            .get("conference")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !rooms.iter().any(|r| r.as_str() == Some(room_uri.as_str())) {
            return Err(BffError::NotFound);
        }
        let others: Vec<Value> = rooms
            .into_iter()
            .filter(|r| r.as_str() != Some(room_uri.as_str()))
            .collect();
        let uri = super::config_uri(RESOURCE, participant_id.clone());
        let (action, diff, outcome) = if others.is_empty() {
            let diff = before.as_object().map(audit::removed).unwrap_or_default();
            let outcome = self
                .pexip
                .delete(Api::Configuration, RESOURCE, &participant_id)
                .await;
            ("room.participant.remove", diff, outcome)
        } else {
            let changes: Map<String, Value> = [("conference".to_string(), Value::Array(others))]
                .into_iter()
                .collect();
            let diff = audit::diff(before.as_object(), &changes);
            let outcome = self
                .pexip
                .patch(
                    Api::Configuration,
                    RESOURCE,
                    &participant_id,
                    &Value::Object(changes),
                )
                .await;
            ("room.participant.detach", diff, outcome)
        };
        self.audit(
            actor,
            action,
            Some(uri),
            diff,
            super::rooms::tag_of(&room),
            outcome.map_err(BffError::from),
        )
        .await
    }

    /// The room (in scope) whose participants the actor may change.
    async fn room_for_participants(&self, actor: &Actor, id: u64) -> Result<Value, BffError> {
        let scope = self.scope(actor, Operation::RoomUpdate)?;
        let room = self.room_in_scope(&scope, id).await?;
        let change: Map<String, Value> = [(ROOM_FIELD.to_string(), Value::Null)]
            .into_iter()
            .collect();
        scope.check_room_update(&change)?;
        Ok(room)
    }
}
