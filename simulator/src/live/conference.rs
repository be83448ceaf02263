//! A live conference instance: it starts with its first participant and ends with its last.

use serde_json::{Value, json};

use super::time::{Instant, iso, seconds_between};

pub const STATUS_CONFERENCE: &str = "/api/admin/status/v1/conference/";

#[derive(Debug, Clone, PartialEq)]
pub struct Conference {
    pub id: String,
    pub service_id: i64,
    pub name: String,
    pub service_type: String,
    pub tag: String,
    pub start_time: Instant,
    pub is_locked: bool,
    pub guests_muted: bool,
    /// How many people this meeting will gather.
    pub target_size: u64,
    /// After this nobody new joins the meeting by themselves.
    pub wind_down_at: Instant,
    /// Ids of the participants still in it, in join order.
    pub participants: Vec<String>,
    /// History records of the participants who have left.
    pub departed: Vec<Value>,
    /// History records of the backplanes that have closed.
    pub departed_backplanes: Vec<Value>,
    /// The shard (status id) on each node hosting part of it.
    pub shards: std::collections::BTreeMap<i64, String>,
    pub instant_message_count: u64,
}

impl Conference {
    pub fn status_json(&self) -> Value {
        json!({
            "guests_muted": self.guests_muted,
            "id": self.id,
            "is_locked": self.is_locked,
            "is_started": true,
            "name": self.name,
            "resource_uri": format!("{STATUS_CONFERENCE}{}/", self.id),
            "service_type": self.service_type,
            "start_time": iso(self.start_time),
            "tag": self.tag,
        })
    }

    /// The history record once it ended at `end`.
    pub fn history_json(&self, end: Instant) -> Value {
        let participants: Vec<Value> = self
            .departed
            .iter()
            .filter_map(|p| p.get("resource_uri").cloned())
            .collect();
        json!({
            "duration": seconds_between(self.start_time, end),
            "end_time": iso(end),
            "id": self.id,
            "instant_message_count": self.instant_message_count,
            "name": self.name,
            "participant_count": participants.len(),
            "participants": participants,
            "resource_uri": format!("/api/admin/history/v1/conference/{}/", self.id),
            "service_type": self.service_type,
            "start_time": iso(self.start_time),
            "tag": self.tag,
        })
    }
}

/// The part of a conference instance one Conferencing Node hosts.
pub fn shard_json(
    conf: &Conference,
    shard_id: &str,
    node_address: &str,
    location: &str,
    participant_count: usize,
) -> Value {
    json!({
        "conference": conf.name,
        "guests_muted": conf.guests_muted,
        "id": shard_id,
        "is_locked": conf.is_locked,
        "is_started": true,
        "node": node_address,
        "participant_count": participant_count,
        "resource_uri": format!("/api/admin/status/v1/conference_shard/{shard_id}/"),
        "service_type": conf.service_type,
        "start_time": iso(conf.start_time),
        "system_location": location,
        "tag": conf.tag,
    })
}
