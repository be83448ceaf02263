//! The requests of BFF operations that the UI builds: plain serde types, compiled without `ssr`
//! so the wasm UI and the server share them.

use serde::{Deserialize, Serialize};

/// What the rooms list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomQuery {
    /// Part of the name (case-insensitive).
    pub name: Option<String>,
    /// Part of one of the room's aliases (case-insensitive).
    #[serde(default)]
    pub alias: Option<String>,
    /// One of the schema's `service_type` choices.
    pub service_type: Option<String>,
    /// A field the schema allows ordering by, `-` first for descending.
    pub order_by: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

/// What the device aliases list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceQuery {
    /// Part of the alias (case-insensitive).
    pub alias: Option<String>,
    /// A field the schema allows ordering by, `-` first for descending.
    pub order_by: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

/// One object a related field may point to, as a picker offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedOption {
    /// The object's resource URI (what the related field stores).
    pub uri: String,
    /// Its name (or another naming field; the URI when it has none).
    pub label: String,
}

/// A call-control command of the Management API's command API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CallCommand {
    /// Dial `destination` into the conference of `conference_alias`.
    Dial {
        conference_alias: String,
        destination: String,
        /// `chair` (host) or `guest`.
        role: String,
        /// `sip`, `h323`, `mssip`, `rtmp`...; the node decides when absent.
        protocol: Option<String>,
        system_location: Option<String>,
        remote_display_name: Option<String>,
    },
    Disconnect {
        participant_id: String,
    },
    Mute {
        participant_id: String,
    },
    Unmute {
        participant_id: String,
    },
    /// Let a participant held by a locked conference in.
    UnlockParticipant {
        participant_id: String,
    },
    Transfer {
        participant_id: String,
        conference_alias: String,
        role: String,
    },
    MuteGuests {
        conference_id: String,
    },
    UnmuteGuests {
        conference_id: String,
    },
    Lock {
        conference_id: String,
    },
    Unlock {
        conference_id: String,
    },
    /// End the conference for everyone.
    DisconnectConference {
        conference_id: String,
    },
}
