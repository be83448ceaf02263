//! What the live feed carries, on the server and in the browser: conferences in progress with
//! their participants, the platform's status, and the health of the feed itself.
//!
//! The feed is one state ([`LiveState`]) changed by [`LiveMessage`]s. The leader instance builds
//! the messages from its upstream source (event sinks or the shared poller), every instance
//! applies them to its own copy, and each browser gets the messages its viewer may see
//! (Server-Sent Events at [`STREAM_PATH`]): first a `Snapshot`, then changes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where browsers open the live stream (`text/event-stream`; each event's `data` is one
/// [`LiveMessage`] as JSON, its `id` the state's version, for `Last-Event-ID` resumes).
pub const STREAM_PATH: &str = "/api/live/stream";

/// One participant of a conference in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LiveParticipant {
    /// The participant's status id (UUID).
    pub id: String,
    pub display_name: String,
    /// `chair` or `guest`.
    pub role: String,
    pub protocol: String,
    /// `in` or `out`.
    pub call_direction: String,
    /// The far end's alias (who called in, or who was dialled).
    pub remote_alias: String,
    /// ISO-8601 (UTC); empty while connecting.
    pub connect_time: String,
    pub is_muted: bool,
    /// Waiting for the host (the conference is locked).
    pub is_on_hold: bool,
    pub is_presenting: bool,
    pub system_location: String,
    /// kbps.
    pub bandwidth: u64,
}

/// A conference in progress with its participants (in join order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LiveConference {
    /// The conference's status id where the source knows it (event sinks carry none: empty).
    pub id: String,
    /// The service's name: the key of a conference.
    pub name: String,
    pub service_type: String,
    /// ISO-8601 (UTC).
    pub start_time: String,
    pub is_locked: bool,
    pub guests_muted: bool,
    /// The service's tag (its tenant).
    pub tag: String,
    /// The service's owner (`primary_owner_email_address`), where known.
    pub owner: Option<String>,
    pub participants: Vec<LiveParticipant>,
}

/// One Conferencing Node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NodeStatus {
    pub id: String,
    pub name: String,
    pub system_location: String,
    pub version: String,
    /// e.g. `SYNCED`; with `maintenance_mode` and `deploy_status`, what the node is doing.
    pub sync_status: String,
    pub deploy_status: String,
    pub maintenance_mode: bool,
    /// 0-100.
    pub media_load: u64,
    pub participant_count: u64,
    pub max_hd_calls: u64,
    pub cloud_bursting: bool,
}

/// A system location and its load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LocationStatus {
    pub id: String,
    pub name: String,
    /// 0-100.
    pub media_load: u64,
    pub participant_count: u64,
    pub max_hd_calls: u64,
}

/// An active alarm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AlarmStatus {
    pub id: String,
    pub name: String,
    /// `error`, `warning`, `info`... as the node reports it.
    pub level: String,
    pub node: String,
    pub details: String,
    /// ISO-8601 (UTC).
    pub time_raised: String,
}

/// A backplane between two locations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BackplaneStatus {
    pub id: String,
    pub conference: String,
    pub type_: String,
    pub local_node: String,
    pub remote_node: String,
    pub system_location: String,
    pub remote_location: String,
    pub connect_time: String,
}

/// A cloud bursting node (`cloud_node`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CloudNodeStatus {
    /// `aws_instance_id` (or the provider's id): what `platform/start_cloudnode` takes.
    pub instance_id: String,
    pub name: String,
    pub state: String,
    pub system_location: String,
    pub max_hd_calls: u64,
    pub media_load: u64,
}

/// Licence use right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LicenceUsage {
    pub port_count: u64,
    pub port_total: u64,
    pub audio_count: u64,
    pub audio_total: u64,
    pub vmr_count: u64,
    pub vmr_total: u64,
}

/// The platform as the status API reports it (admins and helpdesk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PlatformStatus {
    pub nodes: Vec<NodeStatus>,
    pub locations: Vec<LocationStatus>,
    pub alarms: Vec<AlarmStatus>,
    pub backplanes: Vec<BackplaneStatus>,
    /// Registered aliases (`registration_alias`): alias → protocol.
    pub registrations: Vec<(String, String)>,
    /// Configuration sync: nodes not `SYNCED`, with their state.
    pub out_of_sync: Vec<(String, String)>,
    pub cloud_nodes: Vec<CloudNodeStatus>,
    pub licences: LicenceUsage,
    /// When this picture was read (Unix milliseconds).
    pub read_at: i64,
}

/// Where the feed's state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FeedSource {
    /// Not started yet, or no upstream configured.
    #[default]
    None,
    /// The node pushes events to the portal's event sink endpoint.
    EventSink,
    /// One shared poller reads the status API.
    Poller,
}

/// The health of the feed, shown beside the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FeedHealth {
    pub source: FeedSource,
    /// When the state last changed or was confirmed (Unix milliseconds; 0 = never).
    pub updated_at: i64,
    /// Age of the newest event when it was applied (event sinks) or the duration of the last
    /// read (poller), in milliseconds.
    pub lag_ms: u64,
    /// Sequence gaps seen on event sinks since start.
    pub gaps: u64,
    /// The last upstream problem, readable ("the node answered 429: too many requests"), if
    /// the feed is degraded right now.
    pub problem: Option<String>,
}

/// One point of the load charts (the last hour, one per platform read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoadSample {
    /// Unix milliseconds.
    pub at: i64,
    pub conferences: u64,
    pub participants: u64,
    /// The platform's media load (0-100): the mean over its Conferencing Nodes.
    pub media_load: u64,
}

/// How long the load charts reach back.
pub const HISTORY_MS: i64 = 60 * 60 * 1000;

/// What this viewer may do on the conferences their stream shows (the policy decides on the
/// server again for every command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ViewerRights {
    /// Every call-control command on every conference shown (admins, helpdesk, tenant admins
    /// where the policy grants it).
    pub call_control: bool,
    /// Host controls on the viewer's own rooms (end users): any of `mute`, `lock`, `disconnect`.
    pub host_controls: Vec<String>,
    /// Whether the stream carries the platform's status (admins and helpdesk).
    pub platform: bool,
    /// Whether the viewer may start cloud overflow nodes (admins).
    pub start_cloud_nodes: bool,
}

/// The whole state of the feed (what a `Snapshot` carries, filtered per viewer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LiveState {
    /// Increases with every applied message; the SSE event id.
    pub version: u64,
    /// By conference name.
    pub conferences: BTreeMap<String, LiveConference>,
    /// The system locations calls can be dialled out from.
    pub locations: Vec<String>,
    /// `None` for viewers who may not see the platform, or before the first read.
    pub platform: Option<PlatformStatus>,
    /// The load over the last hour (oldest first); empty for viewers without the platform.
    pub history: Vec<LoadSample>,
    pub feed: FeedHealth,
}

/// One change to the feed (or, first on every stream, the whole state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMessage {
    /// The whole state (the first message of every stream, and after a repair), with what this
    /// viewer may do (empty between instances).
    Snapshot {
        state: LiveState,
        #[serde(default)]
        rights: ViewerRights,
    },
    /// Conferences that started or changed (whole, with their participants) and the names of
    /// those that ended.
    Conferences {
        version: u64,
        upserted: Vec<LiveConference>,
        removed: Vec<String>,
    },
    /// A new picture of the platform, and the chart point it makes.
    Platform {
        version: u64,
        platform: PlatformStatus,
        sample: LoadSample,
    },
    /// The locations list changed.
    Locations {
        version: u64,
        locations: Vec<String>,
    },
    /// The feed's health changed.
    Feed { version: u64, feed: FeedHealth },
}

impl LiveMessage {
    /// The state version after this message.
    pub fn version(&self) -> u64 {
        match self {
            LiveMessage::Snapshot { state, .. } => state.version,
            LiveMessage::Conferences { version, .. }
            | LiveMessage::Platform { version, .. }
            | LiveMessage::Locations { version, .. }
            | LiveMessage::Feed { version, .. } => *version,
        }
    }
}

impl LiveState {
    /// Applies one message (the same code on every instance and in the browser).
    pub fn apply(&mut self, message: &LiveMessage) {
        match message {
            LiveMessage::Snapshot { state, .. } => *self = state.clone(),
            LiveMessage::Conferences {
                upserted, removed, ..
            } => {
                for name in removed {
                    self.conferences.remove(name);
                }
                for conference in upserted {
                    self.conferences
                        .insert(conference.name.clone(), conference.clone());
                }
            }
            LiveMessage::Platform {
                platform, sample, ..
            } => {
                self.platform = Some(platform.clone());
                self.history.push(*sample);
                let since = sample.at - HISTORY_MS;
                self.history.retain(|s| s.at > since);
            }
            LiveMessage::Locations { locations, .. } => self.locations = locations.clone(),
            LiveMessage::Feed { feed, .. } => self.feed = feed.clone(),
        }
        self.version = message.version();
    }

    pub fn participant_count(&self) -> usize {
        self.conferences
            .values()
            .map(|c| c.participants.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conference(name: &str, people: usize) -> LiveConference {
        LiveConference {
            name: name.into(),
            participants: (0..people)
                .map(|i| LiveParticipant {
                    id: format!("{name}-{i}"),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn messages_build_the_same_state_as_a_snapshot() {
        let mut state = LiveState::default();
        state.apply(&LiveMessage::Conferences {
            version: 1,
            upserted: vec![conference("a", 2), conference("b", 1)],
            removed: vec![],
        });
        state.apply(&LiveMessage::Conferences {
            version: 2,
            upserted: vec![conference("a", 3)],
            removed: vec!["b".into()],
        });
        assert_eq!(state.version, 2);
        assert_eq!(state.participant_count(), 3);
        assert_eq!(state.conferences.keys().collect::<Vec<_>>(), ["a"]);

        let mut copy = LiveState::default();
        copy.apply(&LiveMessage::Snapshot {
            state: state.clone(),
            rights: ViewerRights::default(),
        });
        assert_eq!(copy, state);
    }

    #[test]
    fn the_charts_keep_one_hour() {
        let mut state = LiveState::default();
        for minute in 0..90 {
            state.apply(&LiveMessage::Platform {
                version: minute + 1,
                platform: PlatformStatus::default(),
                sample: LoadSample {
                    at: i64::try_from(minute).unwrap() * 60_000,
                    ..Default::default()
                },
            });
        }
        assert_eq!(state.history.len(), 60);
        assert_eq!(state.history[0].at, 30 * 60_000);
    }

    #[test]
    fn messages_travel_as_tagged_json() {
        let message = LiveMessage::Feed {
            version: 7,
            feed: FeedHealth {
                source: FeedSource::Poller,
                ..Default::default()
            },
        };
        let text = serde_json::to_string(&message).unwrap();
        assert!(text.starts_with(r#"{"type":"feed","version":7"#), "{text}");
        assert_eq!(serde_json::from_str::<LiveMessage>(&text).unwrap(), message);
    }
}
