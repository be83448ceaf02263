//! Conferences in progress (the status API) and call control (the command API).

use super::BffError;
use crate::live::model::LiveConference;
use crate::live::model::{LiveState, ViewerRights};
use crate::live::{LiveSubscription, Viewer};
use crate::policy::{self, Denied, Operation, Scope};
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
    /// What `actor` may see of the live feed and do on it (403 when they may not watch).
    pub fn live_viewer(&self, actor: &Actor) -> Result<Viewer, BffError> {
        let scope = self.scope(actor, Operation::LiveView)?;
        let rights =
            policy::viewer_rights(&actor.principal, &self.policy).ok_or(Denied::Forbidden)?;
        Ok(Viewer { scope, rights })
    }

    /// The live feed's state as `actor` may see it, and what they may do; no upstream request.
    pub fn live_snapshot(&self, actor: &Actor) -> Result<(LiveState, ViewerRights), BffError> {
        let viewer = self.live_viewer(actor)?;
        let state = self.live.hub.with_state(|state| viewer.filter_state(state));
        Ok((state, viewer.rights))
    }

    /// `actor`'s live stream: a snapshot first (or, resuming after `last_event_id`, what they
    /// missed), then the changes they may see.
    pub fn live_subscribe(
        &self,
        actor: &Actor,
        last_event_id: Option<u64>,
    ) -> Result<LiveSubscription, BffError> {
        let viewer = self.live_viewer(actor)?;
        Ok(LiveSubscription::new(
            self.live.hub.subscribe(last_event_id),
            viewer,
        ))
    }

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
        let scope = self.scope(actor, Operation::LiveView)?;
        if scope == Scope::All {
            return self
                .list_checked(Api::Status, resource, &super::page(filters, limit, offset))
                .await;
        }
        // Tenants and owners see conferences and participants, and only those of their
        // conferences.
        let name_field = match resource {
            "conference" => "name",
            "participant" => "conference",
            _ => return Err(BffError::Forbidden),
        };
        let mut filters = filters.to_vec();
        if let (Scope::Tenant { tag, .. }, "conference") = (&scope, resource) {
            filters.push((policy::TENANT_FIELD.to_string(), tag.clone()));
        }
        let mut page: ListResponse<Value> = self
            .list_checked(Api::Status, resource, &super::page(&filters, limit, offset))
            .await?;
        let mut inside = std::collections::HashMap::new();
        let mut kept = Vec::with_capacity(page.objects.len());
        for object in page.objects {
            let name = object
                .get(name_field)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let allowed = match inside.get(&name) {
                Some(allowed) => *allowed,
                None => {
                    let allowed = self.conference_in_scope(&scope, &name).await?;
                    inside.insert(name, allowed);
                    allowed
                }
            };
            if allowed {
                kept.push(object);
            }
        }
        page.objects = kept;
        Ok(page)
    }

    /// Whether the conference of this name is inside `scope`: as the live feed knows it, else
    /// as its service's configuration says (a conference with no service is nobody's).
    async fn conference_in_scope(&self, scope: &Scope, name: &str) -> Result<bool, BffError> {
        if *scope == Scope::All {
            return Ok(true);
        }
        if name.is_empty() {
            return Ok(false);
        }
        if let Some(known) = self.live.hub.with_state(|state| {
            state
                .conferences
                .get(name)
                .map(|c| scope.contains_conference(c))
        }) && known
        {
            return Ok(true);
        }
        let query = Query::new().filter("name", name).limit(1);
        let services = self
            .pexip
            .list(Api::Configuration, super::SERVICE_RESOURCE, &query)
            .await?;
        Ok(services.objects.first().is_some_and(|service| {
            let text = |key| {
                service
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let owner = text(policy::OWNER_FIELD);
            scope.contains_conference(&LiveConference {
                name: name.to_string(),
                tag: text(policy::TENANT_FIELD),
                owner: (!owner.is_empty()).then_some(owner),
                ..Default::default()
            })
        }))
    }

    /// The name of the conference a participant is in (the live feed's, else the status API's).
    async fn participant_conference(&self, participant_id: &str) -> Result<String, BffError> {
        let known = self.live.hub.with_state(|state| {
            state
                .conferences
                .values()
                .find(|c| c.participants.iter().any(|p| p.id == participant_id))
                .map(|c| c.name.clone())
        });
        if let Some(name) = known {
            return Ok(name);
        }
        let record = self
            .pexip
            .get(
                Api::Status,
                "participant",
                &ObjectId::parse(participant_id)?,
            )
            .await?;
        Ok(record
            .get("conference")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string())
    }

    /// The name of a conference in progress by its status id.
    async fn conference_name(&self, conference_id: &str) -> Result<String, BffError> {
        let known = self.live.hub.with_state(|state| {
            state
                .conferences
                .values()
                .find(|c| !c.id.is_empty() && c.id == conference_id)
                .map(|c| c.name.clone())
        });
        if let Some(name) = known {
            return Ok(name);
        }
        let record = self
            .pexip
            .get(Api::Status, "conference", &ObjectId::parse(conference_id)?)
            .await?;
        Ok(record
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string())
    }

    /// Whether the service an alias reaches is inside `scope`.
    async fn alias_in_scope(&self, scope: &Scope, alias: &str) -> Result<bool, BffError> {
        let query = Query::new().filter("alias", alias).limit(1);
        let aliases = self
            .pexip
            .list(Api::Configuration, "conference_alias", &query)
            .await?;
        let Some(uri) = aliases
            .objects
            .first()
            .and_then(|a| a.get("conference"))
            .and_then(Value::as_str)
        else {
            return Ok(false);
        };
        let service = pexip::client::ObjectRef::parse_uri(uri)?;
        let room = self
            .pexip
            .get(Api::Configuration, &service.resource, &service.id)
            .await?;
        Ok(scope.contains_room(&room))
    }

    /// `Ok` when every conference `command` touches is inside `scope` (404 otherwise, as for a
    /// missing one).
    async fn require_command_target(
        &self,
        scope: &Scope,
        command: &CallCommand,
    ) -> Result<(), BffError> {
        use CallCommand::*;
        let inside = match command {
            Disconnect { participant_id }
            | Mute { participant_id }
            | Unmute { participant_id }
            | UnlockParticipant { participant_id } => {
                let name = self.participant_conference(participant_id).await?;
                self.conference_in_scope(scope, &name).await?
            }
            Transfer {
                participant_id,
                conference_alias,
                ..
            } => {
                let name = self.participant_conference(participant_id).await?;
                self.conference_in_scope(scope, &name).await?
                    && self.alias_in_scope(scope, conference_alias).await?
            }
            MuteGuests { conference_id }
            | UnmuteGuests { conference_id }
            | Lock { conference_id }
            | Unlock { conference_id }
            | DisconnectConference { conference_id } => {
                let name = self.conference_name(conference_id).await?;
                self.conference_in_scope(scope, &name).await?
            }
            Dial {
                conference_alias, ..
            } => self.alias_in_scope(scope, conference_alias).await?,
        };
        if inside {
            Ok(())
        } else {
            Err(Denied::NotFound.into())
        }
    }

    /// The media streams of one participant in a conference (packet loss, jitter, bitrate
    /// per direction), from the status API.
    pub async fn live_media_streams(
        &self,
        actor: &Actor,
        participant_id: &str,
    ) -> Result<Vec<Value>, BffError> {
        let scope = self.scope(actor, Operation::LiveView)?;
        let id = ObjectId::parse(participant_id)?;
        if scope != Scope::All {
            let name = self.participant_conference(participant_id).await?;
            if !self.conference_in_scope(&scope, &name).await? {
                return Err(Denied::NotFound.into());
            }
        }
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
        let scope = policy::decide_call_command(&actor.principal, command, &self.policy)?;
        if scope != Scope::All {
            self.require_command_target(&scope, command).await?;
        }
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
