//! Conferences in progress (the status API) and call control (the command API).

use super::BffError;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use crate::requests::CallCommand;
use pexip::ListResponse;
use pexip::client::{Api, ObjectId};
use pexip::query::Query;
use serde_json::{Value, json};

impl CallCommand {
    /// The command's category and name in the command API, and its body.
    fn request(&self) -> (&'static str, &'static str, Value) {
        use CallCommand::*;
        match self {
            Dial {
                conference_alias,
                destination,
                role,
                protocol,
                system_location,
                remote_display_name,
            } => {
                let mut body = json!({ "conference_alias": conference_alias, "destination": destination, "role": role });
                for (key, value) in [
                    ("protocol", protocol),
                    ("system_location", system_location),
                    ("remote_display_name", remote_display_name),
                ] {
                    if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                        body[key] = json!(value);
                    }
                }
                ("participant", "dial", body)
            }
            Disconnect { participant_id } => (
                "participant",
                "disconnect",
                json!({ "participant_id": participant_id }),
            ),
            Mute { participant_id } => (
                "participant",
                "mute",
                json!({ "participant_id": participant_id }),
            ),
            Unmute { participant_id } => (
                "participant",
                "unmute",
                json!({ "participant_id": participant_id }),
            ),
            UnlockParticipant { participant_id } => (
                "participant",
                "unlock",
                json!({ "participant_id": participant_id }),
            ),
            Transfer {
                participant_id,
                conference_alias,
                role,
            } => (
                "participant",
                "transfer",
                json!({ "participant_id": participant_id, "conference_alias": conference_alias, "role": role }),
            ),
            MuteGuests { conference_id } => (
                "conference",
                "mute_guests",
                json!({ "conference_id": conference_id }),
            ),
            UnmuteGuests { conference_id } => (
                "conference",
                "unmute_guests",
                json!({ "conference_id": conference_id }),
            ),
            Lock { conference_id } => (
                "conference",
                "lock",
                json!({ "conference_id": conference_id }),
            ),
            Unlock { conference_id } => (
                "conference",
                "unlock",
                json!({ "conference_id": conference_id }),
            ),
            DisconnectConference { conference_id } => (
                "conference",
                "disconnect",
                json!({ "conference_id": conference_id }),
            ),
        }
    }

    /// The status resource the command acts on, for the audit trail.
    fn target_uri(&self) -> Option<String> {
        use CallCommand::*;
        match self {
            Disconnect { participant_id }
            | Mute { participant_id }
            | Unmute { participant_id }
            | UnlockParticipant { participant_id }
            | Transfer { participant_id, .. } => Some(format!(
                "/api/admin/status/v1/participant/{participant_id}/"
            )),
            MuteGuests { conference_id }
            | UnmuteGuests { conference_id }
            | Lock { conference_id }
            | Unlock { conference_id }
            | DisconnectConference { conference_id } => {
                Some(format!("/api/admin/status/v1/conference/{conference_id}/"))
            }
            Dial { .. } => None,
        }
    }
}

impl Portal {
    /// A page of a status resource (`conference`, `participant`, `worker_vm`, `alarm`...) with
    /// the given filters (validated against the resource's schema).
    pub async fn live_list(
        &self,
        actor: &Actor,
        resource: &str,
        filters: &[(String, String)],
        limit: u64,
        offset: u64,
    ) -> Result<ListResponse<Value>, BffError> {
        self.scope(actor, Operation::LiveView)?;
        self.list_checked(Api::Status, resource, &super::page(filters, limit, offset))
            .await
    }

    /// The media streams of one participant in a conference (packet loss, jitter, bitrate
    /// per direction), from the status API.
    pub async fn live_media_streams(
        &self,
        actor: &Actor,
        participant_id: &str,
    ) -> Result<Vec<Value>, BffError> {
        self.scope(actor, Operation::LiveView)?;
        let id = ObjectId::parse(participant_id)?;
        let query = Query::new().limit(super::MAX_PAGE);
        let list = self
            .pexip
            .list_nested(Api::Status, "participant", &id, "media_stream", &query)
            .await?;
        Ok(list.objects)
    }

    /// Runs a call-control command; returns the command's `data` (e.g. the dialled participant).
    pub async fn call_control(
        &self,
        actor: &Actor,
        command: &CallCommand,
    ) -> Result<Value, BffError> {
        self.scope(actor, Operation::CallControl)?;
        let (category, name, body) = command.request();
        let changes = json!({ "command": { "before": null, "after": body } });
        let outcome = self
            .pexip
            .command(category, name, &body)
            .await
            .map(|answer| answer.get("data").cloned().unwrap_or(Value::Null))
            .map_err(BffError::from);
        self.audit(
            actor,
            &format!("call.{category}.{name}"),
            command.target_uri(),
            changes,
            None,
            outcome,
        )
        .await
    }
}
