//! Conferences in progress, their participants and media, and call control (admins and
//! helpdesk; the policy decides on the server).

use super::AppError;
use super::media::MediaStream;
use bff::requests::CallCommand;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// One participant of a conference in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveParticipant {
    pub id: String,
    pub display_name: String,
    /// `chair` or `guest`.
    pub role: String,
    pub protocol: String,
    /// `in` or `out`.
    pub call_direction: String,
    /// The far end's alias (who called in, or who was dialled).
    pub remote_alias: String,
    pub connect_time: String,
    pub is_muted: bool,
    /// Waiting for the host (the conference is locked).
    pub is_on_hold: bool,
    pub is_presenting: bool,
    pub system_location: String,
    /// kbps.
    pub bandwidth: u64,
}

/// A conference in progress with its participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveConference {
    pub id: String,
    pub name: String,
    pub service_type: String,
    pub start_time: String,
    pub is_locked: bool,
    pub guests_muted: bool,
    pub participants: Vec<LiveParticipant>,
}

/// What is going on right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSnapshot {
    pub conferences: Vec<LiveConference>,
    /// The system locations calls can be dialled out from.
    pub locations: Vec<String>,
    /// When the server took the snapshot (Unix milliseconds).
    pub taken_at: i64,
}

impl LiveSnapshot {
    pub fn participant_count(&self) -> usize {
        self.conferences.iter().map(|c| c.participants.len()).sum()
    }
}

#[cfg(feature = "ssr")]
fn participant(record: &serde_json::Value) -> LiveParticipant {
    use super::fields::{count, flag, text};
    let call_direction = text(record, "call_direction");
    let remote_alias = if call_direction == "out" {
        text(record, "destination_alias")
    } else {
        text(record, "source_alias")
    };
    LiveParticipant {
        id: text(record, "id"),
        display_name: text(record, "display_name"),
        role: text(record, "role"),
        protocol: text(record, "protocol"),
        call_direction,
        remote_alias,
        connect_time: text(record, "connect_time"),
        is_muted: flag(record, "is_muted"),
        is_on_hold: flag(record, "is_on_hold"),
        is_presenting: flag(record, "is_presenting"),
        system_location: text(record, "system_location"),
        bandwidth: count(record, "bandwidth"),
    }
}

/// Conferences in progress (oldest first) with their participants (in join order).
#[server(endpoint = "live/snapshot")]
pub async fn load_live() -> Result<LiveSnapshot, AppError> {
    use super::fields::{flag, text};
    use bff::gateway::MAX_PAGE;
    let (portal, actor) = super::context::signed_in().await?;
    let conferences = portal
        .live_list(&actor, "conference", &[], MAX_PAGE, 0)
        .await?;
    let participants = portal
        .live_list(&actor, "participant", &[], MAX_PAGE, 0)
        .await?;
    let locations = portal
        .live_list(&actor, "system_location", &[], MAX_PAGE, 0)
        .await?;
    let mut conferences: Vec<LiveConference> = conferences
        .objects
        .iter()
        .map(|record| {
            let name = text(record, "name");
            let mut members: Vec<LiveParticipant> = participants
                .objects
                .iter()
                .filter(|p| text(p, "conference") == name)
                .map(participant)
                .collect();
            members.sort_by(|a, b| a.connect_time.cmp(&b.connect_time));
            LiveConference {
                id: text(record, "id"),
                name,
                service_type: text(record, "service_type"),
                start_time: text(record, "start_time"),
                is_locked: flag(record, "is_locked"),
                guests_muted: flag(record, "guests_muted"),
                participants: members,
            }
        })
        .collect();
    conferences.sort_by(|a, b| a.start_time.cmp(&b.start_time).then(a.name.cmp(&b.name)));
    let mut locations: Vec<String> = locations
        .objects
        .iter()
        .map(|l| text(l, "name"))
        .filter(|n| !n.is_empty())
        .collect();
    locations.sort();
    let taken_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default();
    Ok(LiveSnapshot {
        conferences,
        locations,
        taken_at,
    })
}

/// The media streams of one participant (packet loss, jitter, bitrate each way).
#[server(endpoint = "live/media")]
pub async fn participant_media(participant_id: String) -> Result<Vec<MediaStream>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let records = portal.live_media_streams(&actor, &participant_id).await?;
    Ok(records.iter().map(MediaStream::from_record).collect())
}

/// Runs a call-control command (mute, disconnect, lock, mute guests...).
#[server(endpoint = "live/command", input = Json)]
pub async fn call_control(command: CallCommand) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    portal.call_control(&actor, &command).await?;
    Ok(())
}

/// Dials `destination` into the conference reached at `conference_alias`, from
/// `system_location`. `protocol` and `remote_display_name` may be empty.
#[server(endpoint = "live/dial")]
pub async fn dial_out(
    conference_alias: String,
    destination: String,
    role: String,
    protocol: String,
    system_location: String,
    remote_display_name: String,
) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let optional = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let command = CallCommand::Dial {
        conference_alias: conference_alias.trim().to_string(),
        destination: destination.trim().to_string(),
        role,
        protocol: optional(protocol),
        system_location: optional(system_location),
        remote_display_name: optional(remote_display_name),
    };
    portal.call_control(&actor, &command).await?;
    Ok(())
}
