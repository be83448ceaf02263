//! Schemas of the command API's resources (`command/v1/<group>/<command>/schema/`).

use pexip::Schema;

use super::command as schema;
use crate::catalogue::field::{FieldExt, boolean, choice, file, string, text};

fn participant_id() -> (&'static str, pexip::Field) {
    (
        "participant_id",
        string("The id of the participant (from the participant status)."),
    )
}

fn conference_id() -> (&'static str, pexip::Field) {
    (
        "conference_id",
        string("The id of the conference instance (from the conference status)."),
    )
}

/// The schema of `group/command`, if there is such a command.
pub fn for_command(group: &str, command: &str) -> Option<Schema> {
    let fields = match (group, command) {
        ("participant", "dial") => vec![
            (
                "call_type",
                choice(
                    "The media of the call.",
                    "video",
                    &["video", "video-only", "audio"],
                ),
            ),
            (
                "conference_alias",
                string(
                    "The alias of the conference to dial the participant into; the participant sees the call as coming from it.",
                ),
            ),
            ("destination", string("The alias (address) to dial.")),
            (
                "dtmf_sequence",
                text("DTMF digits to send once the call connects."),
            ),
            (
                "node",
                text(
                    "The IP address of the Conferencing Node to place the call from; overrides system_location.",
                ),
            ),
            (
                "presentation_url",
                text("The RTMP URL to send presentation to (streaming only)."),
            ),
            (
                "protocol",
                choice(
                    "The protocol to dial with.",
                    "sip",
                    &["sip", "h323", "mssip", "rtmp"],
                ),
            ),
            (
                "remote_display_name",
                text("The display name of the dialed participant."),
            ),
            (
                "role",
                choice("The role of the participant.", "guest", &["chair", "guest"]),
            ),
            (
                "routing",
                choice(
                    "Route manually or by Call Routing Rules.",
                    "manual",
                    &["manual", "routing_rules"],
                ),
            ),
            (
                "source",
                text("The source alias of the call (defaults to the conference alias)."),
            ),
            (
                "source_display_name",
                text("The display name the dialed participant sees."),
            ),
            (
                "streaming",
                boolean("Whether the participant is a streaming participant.", false),
            ),
            (
                "system_location",
                text("The system location to place the call from."),
            ),
        ],
        ("participant", "disconnect" | "mute" | "unmute" | "unlock") => vec![participant_id()],
        ("participant", "transfer") => vec![
            participant_id(),
            (
                "conference_alias",
                string("The alias of the conference to move the participant to."),
            ),
            (
                "role",
                choice(
                    "The role of the participant in the new conference.",
                    "guest",
                    &["chair", "guest"],
                ),
            ),
        ],
        (
            "conference",
            "disconnect"
            | "lock"
            | "unlock"
            | "mute_guests"
            | "unmute_guests"
            | "send_conference_email",
        ) => {
            vec![conference_id()]
        }
        ("conference", "sync") => vec![(
            "conference_sync_template_id",
            string("The id of the conference sync template to run."),
        )],
        ("conference", "send_device_email") => vec![(
            "device_id",
            string("The id of the device whose owner is emailed."),
        )],
        ("platform", "backup_create") => vec![(
            "passphrase",
            string("The passphrase that encrypts the backup."),
        )],
        ("platform", "backup_restore") => vec![
            ("package", file("The backup file to restore.").required()),
            (
                "passphrase",
                string("The passphrase the backup was encrypted with."),
            ),
        ],
        ("platform", "certificates_import") => vec![
            (
                "bundle",
                file("The certificates and private keys to import (PEM).").required(),
            ),
            (
                "private_key_passphrase",
                text("The passphrase of an encrypted private key."),
            ),
        ],
        ("platform", "start_cloudnode") => vec![(
            "instance_id",
            string("The cloud instance id of the overflow node to start."),
        )],
        _ => return None,
    };
    Some(schema(fields))
}

/// Every command, as `(group, command)`.
pub const COMMANDS: &[(&str, &str)] = &[
    ("conference", "disconnect"),
    ("conference", "lock"),
    ("conference", "mute_guests"),
    ("conference", "send_conference_email"),
    ("conference", "send_device_email"),
    ("conference", "sync"),
    ("conference", "unlock"),
    ("conference", "unmute_guests"),
    ("participant", "dial"),
    ("participant", "disconnect"),
    ("participant", "mute"),
    ("participant", "transfer"),
    ("participant", "unlock"),
    ("participant", "unmute"),
    ("platform", "backup_create"),
    ("platform", "backup_restore"),
    ("platform", "certificates_import"),
    ("platform", "start_cloudnode"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_command_has_a_schema() {
        for (g, c) in COMMANDS {
            let s = for_command(g, c).unwrap_or_else(|| panic!("{g}/{c}"));
            assert!(!s.fields.is_empty());
            assert_eq!(s.allowed_list_http_methods, vec![pexip::HttpMethod::Post]);
        }
        assert!(for_command("participant", "teleport").is_none());
    }
}
