//! Backplanes: the media links between the Conferencing Nodes that host parts of one
//! conference instance.

use serde_json::{Value, json};

use super::media::MediaStream;
use super::time::{Instant, iso, seconds_between};

#[derive(Debug, Clone, PartialEq)]
pub struct Backplane {
    pub id: String,
    pub conference_id: String,
    pub conference_name: String,
    pub service_tag: String,
    pub node_id: i64,
    pub node_address: String,
    pub system_location: String,
    pub remote_node_id: i64,
    pub remote_node_address: String,
    pub remote_node_name: String,
    pub remote_system_location: String,
    pub start_time: Instant,
    pub streams: Vec<MediaStream>,
}

impl Backplane {
    fn kind(&self) -> &'static str {
        if self.system_location == self.remote_system_location {
            "local"
        } else {
            "geo"
        }
    }

    pub fn status_json(&self) -> Value {
        json!({
            "conference": self.conference_name,
            "connect_time": iso(self.start_time),
            "id": self.id,
            "media_node": self.node_address,
            "remote_media_node": self.remote_node_address,
            "remote_node_name": self.remote_node_name,
            "remote_system_location": self.remote_system_location,
            "resource_uri": format!("/api/admin/status/v1/backplane/{}/", self.id),
            "service_tag": self.service_tag,
            "system_location": self.system_location,
            "type": self.kind(),
        })
    }

    pub fn history_json(&self, end: Instant, next_stream_id: &mut u64) -> Value {
        let uri = format!("/api/admin/history/v1/backplane/{}/", self.id);
        let streams: Vec<Value> = self
            .streams
            .iter()
            .map(|s| {
                *next_stream_id += 1;
                s.history_json(*next_stream_id, "backplane", &uri, end)
            })
            .collect();
        json!({
            "conference": format!("/api/admin/history/v1/conference/{}/", self.conference_id),
            "conference_name": self.conference_name,
            "disconnect_reason": "Conference ended",
            "duration": seconds_between(self.start_time, end),
            "end_time": iso(end),
            "id": self.id,
            "media_node": self.node_address,
            "media_streams": streams,
            "remote_media_node": self.remote_node_address,
            "remote_node_name": self.remote_node_name,
            "remote_system_location": self.remote_system_location,
            "resource_uri": uri,
            "service_tag": self.service_tag,
            "start_time": iso(self.start_time),
            "system_location": self.system_location,
            "type": self.kind(),
        })
    }
}
