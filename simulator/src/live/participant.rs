//! A participant of a live conference instance, and its status and history records.

use serde_json::{Value, json};

use super::media::{MediaStream, StreamKind};
use super::profiles::Caller;
use super::time::{Instant, iso, seconds_between};

pub const STATUS_PARTICIPANT: &str = "/api/admin/status/v1/participant/";
pub const HISTORY_PARTICIPANT: &str = "/api/admin/history/v1/participant/";
pub const HISTORY_CONFERENCE: &str = "/api/admin/history/v1/conference/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Chair,
    Guest,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Guest => "guest",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "chair" => Some(Role::Chair),
            "guest" => Some(Role::Guest),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub id: String,
    pub call_uuid: String,
    /// The live conference instance (status id) it is in.
    pub conference_id: String,
    pub conference_name: String,
    pub service_type: String,
    pub service_tag: String,
    pub caller: Caller,
    pub role: Role,
    /// `true` for calls placed by the node (dial, automatic participants).
    pub outgoing: bool,
    /// The service alias the call reached (or came from, for calls out).
    pub local_alias: String,
    pub node_id: i64,
    pub node_address: String,
    pub system_location: String,
    pub connect_time: Instant,
    /// When the caller will hang up on their own.
    pub leave_at: Instant,
    pub is_muted: bool,
    /// Held at "Waiting for conference host" because the conference is locked.
    pub waiting: bool,
    pub is_presenting: bool,
    /// Dialed automatically when the conference started (an ADP).
    pub automatic: bool,
    pub streams: Vec<MediaStream>,
}

impl Participant {
    pub fn uri(&self) -> String {
        format!("{STATUS_PARTICIPANT}{}/", self.id)
    }

    pub fn license_count(&self) -> u64 {
        u64::from(!self.streams.is_empty())
    }

    /// Media tokens used on its node (Pexip's unit of media capacity).
    pub fn media_tokens(&self) -> u64 {
        let video = self.streams.iter().find(|s| s.kind == StreamKind::Video);
        match video.map(|v| v.rx.resolution) {
            None if self.streams.is_empty() => 0,
            None => 1,
            Some("1920x1080") => 12,
            Some("1280x720") => 6,
            Some(_) => 3,
        }
    }

    /// The call's source and destination aliases, by its direction.
    pub fn aliases(&self) -> (String, String) {
        if self.outgoing {
            (self.local_alias.clone(), self.caller.alias.clone())
        } else {
            (self.caller.alias.clone(), self.local_alias.clone())
        }
    }

    pub fn status_json(&self) -> Value {
        let (source, destination) = self.aliases();
        json!({
            "bandwidth": self.caller.bandwidth,
            "call_direction": if self.outgoing { "out" } else { "in" },
            "call_uuid": self.call_uuid,
            "conference": self.conference_name,
            "connect_time": iso(self.connect_time),
            "destination_alias": destination,
            "display_name": self.caller.display_name,
            "encryption": if self.caller.encrypted { "On" } else { "Off" },
            "has_media": !self.streams.is_empty(),
            "id": self.id,
            "is_muted": self.is_muted,
            "is_on_hold": self.waiting,
            "is_presentation_supported": self.caller.presentation_supported,
            "is_presenting": self.is_presenting,
            "is_streaming": self.caller.protocol == super::profiles::Protocol::Rtmp,
            "license_count": self.license_count(),
            "media_node": self.node_address,
            "parent_id": "",
            "participant_alias": self.caller.alias,
            "protocol": self.caller.protocol.api_name(),
            "remote_address": self.caller.remote_address,
            "remote_port": self.caller.remote_port,
            "resource_uri": self.uri(),
            "role": self.role.name(),
            "service_tag": self.service_tag,
            "service_type": self.service_type,
            "signalling_node": self.node_address,
            "source_alias": source,
            "system_location": self.system_location,
            "vendor": self.caller.vendor,
        })
    }

    /// The history record of this participant once it has left at `end` for `reason`.
    /// `next_stream_id` numbers its media streams history-wide.
    pub fn history_json(&self, end: Instant, reason: &str, next_stream_id: &mut u64) -> Value {
        let uri = format!("{HISTORY_PARTICIPANT}{}/", self.id);
        let streams: Vec<Value> = self
            .streams
            .iter()
            .map(|s| {
                *next_stream_id += 1;
                s.history_json(*next_stream_id, "participant", &uri, end)
            })
            .collect();
        json!({
            "bandwidth": self.caller.bandwidth,
            "call_direction": if self.outgoing { "out" } else { "in" },
            "call_uuid": self.call_uuid,
            "conference": format!("{HISTORY_CONFERENCE}{}/", self.conference_id),
            "conference_name": self.conference_name,
            "disconnect_reason": reason,
            "display_name": self.caller.display_name,
            "duration": seconds_between(self.connect_time, end),
            "encryption": if self.caller.encrypted { "On" } else { "Off" },
            "end_time": iso(end),
            "has_media": !self.streams.is_empty(),
            "id": self.id,
            "license_count": self.license_count(),
            "local_alias": self.local_alias,
            "media_node": self.node_address,
            "media_streams": streams,
            "parent_id": "",
            "protocol": self.caller.protocol.api_name(),
            "remote_address": self.caller.remote_address,
            "remote_alias": self.caller.alias,
            "remote_port": self.caller.remote_port,
            "resource_uri": uri,
            "role": self.role.name(),
            "service_tag": self.service_tag,
            "service_type": self.service_type,
            "signalling_node": self.node_address,
            "start_time": iso(self.connect_time),
            "system_location": self.system_location,
            "vendor": self.caller.vendor,
        })
    }
}
