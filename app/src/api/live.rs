//! Conferences in progress, their participants and media, and call control. The page renders
//! the live feed's state as the server holds it (no request to the Management Node) and then
//! follows the feed's stream (`bff::live::model::STREAM_PATH`); the policy decides every command
//! on the server.

use super::media::MediaStream;
use super::{AppError, Deferred};
use bff::live::model::{LiveState, ViewerRights};
use bff::requests::CallCommand;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The live feed's state filtered for the viewer, and what they may do on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSnapshot {
    pub state: LiveState,
    pub rights: ViewerRights,
}

/// The live feed's state as this viewer may see it (the same picture the stream starts with).
#[server(endpoint = "live/snapshot", output = crate::api::JsonText)]
pub async fn load_live() -> Result<Deferred<LiveSnapshot>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let (state, rights) = portal.live_snapshot(&actor)?;
    Deferred::new(&LiveSnapshot { state, rights })
}

/// The media streams of one participant (packet loss, jitter, bitrate each way).
#[server(endpoint = "live/media", output = crate::api::JsonText)]
pub async fn participant_media(participant_id: String) -> Result<Vec<MediaStream>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let records = portal.live_media_streams(&actor, &participant_id).await?;
    Ok(records.iter().map(MediaStream::from_record).collect())
}

/// Runs a call-control command (mute, disconnect, lock, mute guests...). Its effect reaches the
/// page through the live feed.
#[server(endpoint = "live/command", input = Json, output = crate::api::JsonText)]
pub async fn call_control(command: CallCommand) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    portal.call_control(&actor, &command).await?;
    Ok(())
}

/// Dials `destination` into the conference reached at `conference_alias`, from
/// `system_location`. `protocol` and `remote_display_name` may be empty.
#[server(endpoint = "live/dial", output = crate::api::JsonText)]
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
