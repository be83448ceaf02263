//! Schemas of the status API's resources.

use pexip::Schema;

use super::read_only;
use crate::catalogue::field::{boolean, datetime, float, integer, resource_uri, string, text};

fn uuid_id() -> pexip::Field {
    string("The unique identifier of this object.")
}

fn load_fields(mut fields: Vec<(&'static str, pexip::Field)>) -> Vec<(&'static str, pexip::Field)> {
    fields.extend([
        (
            "max_audio_calls",
            integer(
                "The maximum number of audio-only calls that can be handled.",
                0,
            ),
        ),
        (
            "max_full_hd_calls",
            integer(
                "The maximum number of Full HD (1080p) calls that can be handled.",
                0,
            ),
        ),
        (
            "max_hd_calls",
            integer(
                "The maximum number of HD (720p) calls that can be handled.",
                0,
            ),
        ),
        (
            "max_media_tokens",
            integer("The media capacity, in tokens.", 0),
        ),
        (
            "max_sd_calls",
            integer("The maximum number of SD calls that can be handled.", 0),
        ),
        (
            "media_load",
            integer(
                "The current media load, as a percentage of the capacity.",
                0,
            ),
        ),
        (
            "media_tokens_used",
            integer("The media capacity in use, in tokens.", 0),
        ),
        (
            "participant_count",
            integer("The number of participants currently connected.", 0),
        ),
    ]);
    fields
}

pub fn conference() -> Schema {
    read_only(
        vec![
            (
                "guests_muted",
                boolean("Whether all Guests are muted.", false),
            ),
            ("id", uuid_id()),
            (
                "is_locked",
                boolean("Whether the conference is locked.", false),
            ),
            (
                "is_started",
                boolean(
                    "Whether the conference has started (a Host has joined).",
                    false,
                ),
            ),
            ("name", string("The name of the service.")),
            ("resource_uri", resource_uri()),
            (
                "service_type",
                string(
                    "The type of service: conference, lecture, two_stage_dialing, test_call or gateway.",
                ),
            ),
            (
                "start_time",
                datetime("The time the conference instance started."),
            ),
            ("tag", text("The service tag.")),
        ],
        &[
            "guests_muted",
            "id",
            "is_locked",
            "name",
            "service_type",
            "start_time",
            "tag",
        ],
        &[],
        &["name", "service_type", "start_time", "tag"],
    )
}

pub fn conference_shard() -> Schema {
    read_only(
        vec![
            ("conference", string("The name of the conference.")),
            (
                "guests_muted",
                boolean("Whether all Guests are muted.", false),
            ),
            ("id", uuid_id()),
            (
                "is_locked",
                boolean("Whether the conference is locked.", false),
            ),
            (
                "is_started",
                boolean("Whether the conference has started.", false),
            ),
            (
                "node",
                string("The address of the Conferencing Node hosting this part of the conference."),
            ),
            (
                "participant_count",
                integer("The number of participants on this node.", 0),
            ),
            ("resource_uri", resource_uri()),
            ("service_type", string("The type of service.")),
            (
                "start_time",
                datetime("The time the conference instance started."),
            ),
            (
                "system_location",
                string("The system location of the node."),
            ),
            ("tag", text("The service tag.")),
        ],
        &[
            "conference",
            "node",
            "service_type",
            "system_location",
            "tag",
        ],
        &[],
        &["conference", "node", "start_time"],
    )
}

pub fn participant() -> Schema {
    read_only(
        vec![
            (
                "bandwidth",
                integer("The bandwidth of the call, in kbps.", 0),
            ),
            (
                "call_direction",
                string("The direction of the call: in or out."),
            ),
            ("call_uuid", string("The unique identifier of the call.")),
            (
                "conference",
                string("The name of the conference the participant is in."),
            ),
            (
                "connect_time",
                datetime("The time the participant connected."),
            ),
            (
                "destination_alias",
                string("The alias the call was placed to."),
            ),
            ("display_name", text("The display name of the participant.")),
            (
                "encryption",
                string("Whether the media is encrypted: On or Off."),
            ),
            (
                "has_media",
                boolean("Whether the participant has media streams.", false),
            ),
            ("id", uuid_id()),
            (
                "is_muted",
                boolean("Whether the participant is muted.", false),
            ),
            (
                "is_on_hold",
                boolean(
                    "Whether the participant is on hold (or held waiting for the conference host).",
                    false,
                ),
            ),
            (
                "is_presentation_supported",
                boolean("Whether the endpoint can receive presentation.", false),
            ),
            (
                "is_presenting",
                boolean("Whether the participant is presenting.", false),
            ),
            (
                "is_streaming",
                boolean(
                    "Whether the participant is a streaming (RTMP) participant.",
                    false,
                ),
            ),
            (
                "license_count",
                integer("The number of licenses the participant uses.", 0),
            ),
            (
                "media_node",
                string("The address of the node handling the media."),
            ),
            (
                "parent_id",
                text("The id of the parent participant, for a media leg of another participant."),
            ),
            ("participant_alias", string("The alias of the participant.")),
            (
                "protocol",
                string("The protocol of the call: SIP, H323, WebRTC, MSSIP or RTMP."),
            ),
            (
                "remote_address",
                string("The IP address of the remote endpoint."),
            ),
            (
                "remote_port",
                integer("The port of the remote endpoint.", 0),
            ),
            ("resource_uri", resource_uri()),
            (
                "role",
                string("The role of the participant: chair (Host) or guest."),
            ),
            ("service_tag", text("The tag of the service.")),
            ("service_type", string("The type of service.")),
            (
                "signalling_node",
                string("The address of the node handling the signaling."),
            ),
            ("source_alias", string("The alias the call came from.")),
            (
                "system_location",
                string("The system location of the media node."),
            ),
            (
                "vendor",
                text("The vendor (product) string of the endpoint."),
            ),
        ],
        &[
            "bandwidth",
            "call_direction",
            "conference",
            "connect_time",
            "destination_alias",
            "display_name",
            "encryption",
            "has_media",
            "id",
            "is_muted",
            "is_on_hold",
            "is_presenting",
            "is_streaming",
            "media_node",
            "participant_alias",
            "protocol",
            "remote_address",
            "role",
            "service_tag",
            "service_type",
            "signalling_node",
            "source_alias",
            "system_location",
            "vendor",
        ],
        &[],
        &[
            "bandwidth",
            "conference",
            "connect_time",
            "display_name",
            "protocol",
            "role",
            "system_location",
        ],
    )
}

/// A media stream of a participant or backplane (`.../<id>/media_stream/`).
pub fn media_stream() -> Schema {
    let fields = vec![
        (
            "end_time",
            text("The time the stream ended (empty while it runs)."),
        ),
        ("id", string("The stream number within the call.")),
        (
            "node",
            string("The address of the node handling the stream."),
        ),
        ("rx_bitrate", integer("The received bitrate, in kbps.", 0)),
        ("rx_codec", text("The received codec.")),
        (
            "rx_jitter",
            float("The received jitter, in milliseconds.", 0.0),
        ),
        (
            "rx_packet_loss",
            float("The received packet loss, in percent.", 0.0),
        ),
        (
            "rx_packets_lost",
            integer("The number of received packets lost.", 0),
        ),
        (
            "rx_packets_received",
            integer("The number of packets received.", 0),
        ),
        (
            "rx_resolution",
            text("The received video resolution (width x height)."),
        ),
        ("start_time", datetime("The time the stream started.")),
        ("tx_bitrate", integer("The sent bitrate, in kbps.", 0)),
        ("tx_codec", text("The sent codec.")),
        ("tx_jitter", float("The sent jitter, in milliseconds.", 0.0)),
        (
            "tx_packet_loss",
            float("The sent packet loss, in percent.", 0.0),
        ),
        (
            "tx_packets_lost",
            integer("The number of sent packets lost.", 0),
        ),
        ("tx_packets_sent", integer("The number of packets sent.", 0)),
        (
            "tx_resolution",
            text("The sent video resolution (width x height)."),
        ),
        (
            "type",
            string("The kind of stream: audio, video or presentation."),
        ),
    ];
    read_only(
        fields,
        &["rx_packet_loss", "tx_packet_loss", "type"],
        &[],
        &["start_time", "type"],
    )
}

pub fn registration_alias() -> Schema {
    read_only(
        vec![
            ("alias", string("The registered alias.")),
            ("id", uuid_id()),
            (
                "is_natted",
                boolean("Whether the endpoint is behind NAT.", false),
            ),
            (
                "node",
                string("The address of the node the alias is registered to."),
            ),
            (
                "protocol",
                string("The protocol of the registration: SIP or H323."),
            ),
            (
                "registration_id",
                string("The identifier of the registration."),
            ),
            (
                "remote_address",
                string("The IP address of the registered endpoint."),
            ),
            ("resource_uri", resource_uri()),
            ("start_time", datetime("The time the alias registered.")),
            (
                "username",
                text("The username the endpoint authenticated with."),
            ),
        ],
        &[
            "alias",
            "node",
            "protocol",
            "remote_address",
            "start_time",
            "username",
        ],
        &[],
        &["alias", "node", "protocol", "start_time"],
    )
}

pub fn worker_vm() -> Schema {
    let mut fields = vec![
        ("boot_time", datetime("The time the node last booted.")),
        (
            "cpu_capabilities",
            text("The CPU instruction set extensions available."),
        ),
        ("cpu_count", integer("The number of virtual CPUs.", 0)),
        ("cpu_model", text("The CPU model.")),
        (
            "deploy_status",
            text("The progress of an automatic deployment."),
        ),
        ("hypervisor", text("The hypervisor the node runs on.")),
        ("id", integer("The id of the node's configuration.", 0)),
        (
            "last_attempted_contact",
            datetime("The time the Management Node last tried to contact the node."),
        ),
        (
            "last_contact",
            datetime("The time the Management Node last contacted the node."),
        ),
        (
            "last_reported",
            datetime("The time the node last reported its status."),
        ),
        (
            "last_updated",
            datetime("The time the node was last configured."),
        ),
        (
            "maintenance_mode",
            boolean("Whether the node is in maintenance mode.", false),
        ),
        (
            "maintenance_mode_reason",
            text("Why the node is in maintenance mode."),
        ),
        ("name", string("The name of the node.")),
        (
            "node_type",
            string("The kind of node: CONFERENCING or MANAGEMENT."),
        ),
        ("resource_uri", resource_uri()),
        (
            "signaling_count",
            integer("The number of calls signaled through the node.", 0),
        ),
        (
            "sync_status",
            string("Whether the node's configuration is synchronized."),
        ),
        (
            "system_location",
            string("The system location of the node."),
        ),
        ("total_ram", integer("The memory of the node, in kB.", 0)),
        (
            "upgrade_status",
            string("The progress of a software upgrade."),
        ),
        ("version", string("The software version of the node.")),
    ];
    fields = load_fields(fields);
    read_only(
        fields,
        &["media_load", "name", "system_location", "version"],
        &[],
        &["media_load", "name", "system_location"],
    )
}

pub fn system_location() -> Schema {
    let fields = load_fields(vec![
        ("id", integer("The id of the location's configuration.", 0)),
        ("name", string("The name of the system location.")),
        ("resource_uri", resource_uri()),
    ]);
    read_only(
        fields,
        &["media_load", "name"],
        &[],
        &["media_load", "name"],
    )
}

/// `worker_vm/<id>/statistics/` and `system_location/<id>/statistics/`.
pub fn statistics() -> Schema {
    let fields = load_fields(vec![
        ("id", integer("The id of the node or location.", 0)),
        ("name", string("The name of the node or location.")),
        ("resource_uri", resource_uri()),
    ]);
    read_only(fields, &[], &[], &[])
}

pub fn backplane() -> Schema {
    read_only(
        vec![
            (
                "conference",
                string("The name of the conference the backplane carries."),
            ),
            (
                "connect_time",
                datetime("The time the backplane was established."),
            ),
            ("id", uuid_id()),
            ("media_node", string("The address of the local node.")),
            (
                "remote_media_node",
                string("The address of the remote node."),
            ),
            ("remote_node_name", string("The name of the remote node.")),
            (
                "remote_system_location",
                string("The system location of the remote node."),
            ),
            ("resource_uri", resource_uri()),
            ("service_tag", text("The tag of the service.")),
            (
                "system_location",
                string("The system location of the local node."),
            ),
            (
                "type",
                string("local (same location) or geo (between locations)."),
            ),
        ],
        &[
            "conference",
            "media_node",
            "remote_media_node",
            "system_location",
            "type",
        ],
        &[],
        &["conference", "connect_time"],
    )
}

pub fn alarm() -> Schema {
    read_only(
        vec![
            ("details", text("Details of the alarm.")),
            ("id", integer("The primary key.", 0)),
            ("identifier", string("What the alarm is about.")),
            ("instance", text("The instance the alarm concerns.")),
            ("level", string("The severity: critical, error or warning.")),
            ("name", string("The name of the alarm.")),
            ("node", string("The node that raised the alarm.")),
            ("resource_uri", resource_uri()),
            ("time_raised", datetime("The time the alarm was raised.")),
        ],
        &["level", "name", "node", "time_raised"],
        &[],
        &["level", "name", "node", "time_raised"],
    )
}

pub fn licensing() -> Schema {
    read_only(
        vec![
            (
                "audio_count",
                integer("The number of audio licenses in use.", 0),
            ),
            (
                "audio_total",
                integer("The number of audio licenses installed.", 0),
            ),
            ("id", integer("The primary key.", 0)),
            (
                "port_count",
                integer("The number of port licenses in use.", 0),
            ),
            (
                "port_total",
                integer("The number of port licenses installed.", 0),
            ),
            ("resource_uri", resource_uri()),
            (
                "vmr_count",
                integer("The number of Virtual Meeting Rooms configured.", 0),
            ),
            (
                "vmr_total",
                integer("The number of VMR licenses installed.", 0),
            ),
        ],
        &[],
        &[],
        &[],
    )
}

pub fn conference_sync() -> Schema {
    read_only(
        vec![
            (
                "conferences_created",
                integer("Conferences created by the last synchronization.", 0),
            ),
            (
                "conferences_deleted",
                integer("Conferences deleted by the last synchronization.", 0),
            ),
            (
                "conferences_unchanged",
                integer("Conferences left unchanged by the last synchronization.", 0),
            ),
            (
                "conferences_updated",
                integer("Conferences updated by the last synchronization.", 0),
            ),
            (
                "error_message",
                text("The error of the last synchronization, if it failed."),
            ),
            ("id", integer("The id of the sync template.", 0)),
            (
                "last_updated",
                datetime("The time of the last synchronization."),
            ),
            ("name", string("The name of the sync template.")),
            ("resource_uri", resource_uri()),
            (
                "sync_status",
                string("The state of the synchronization: IDLE, RUNNING, COMPLETED or FAILED."),
            ),
        ],
        &["name", "sync_status"],
        &[],
        &["name", "last_updated"],
    )
}

pub fn cloud_node() -> Schema {
    read_only(
        vec![
            ("aws_instance_id", string("The cloud instance id.")),
            ("aws_instance_ip", string("The IP address of the instance.")),
            (
                "aws_instance_launch_time",
                datetime("The time the instance was last launched."),
            ),
            ("aws_instance_name", string("The name of the instance.")),
            (
                "aws_instance_state",
                string("The state of the instance: pending, running, stopping or stopped."),
            ),
            (
                "max_hd_calls",
                integer("The HD call capacity of the node (0 unless running).", 0),
            ),
            (
                "media_load",
                integer("The media load in percent (100 when not available).", 0),
            ),
            ("resource_uri", resource_uri()),
            (
                "workermv_configuration_id",
                integer("The id of the node's configuration.", 0),
            ),
            (
                "workermv_configuration_location_name",
                string("The system location of the node."),
            ),
            (
                "workermv_configuration_name",
                string("The name of the node's configuration."),
            ),
        ],
        &[
            "aws_instance_name",
            "aws_instance_state",
            "workermv_configuration_location_name",
        ],
        &[],
        &["aws_instance_name"],
    )
}

pub fn cloud_location(overflow: bool) -> Schema {
    let mut fields = vec![
        (
            "free_hd_calls",
            integer("The HD calls the location can still take.", 0),
        ),
        ("id", integer("The primary key.", 0)),
        (
            "max_hd_calls",
            integer("The HD call capacity of the location.", 0),
        ),
        (
            "media_load",
            integer("The media load of the location in percent.", 0),
        ),
        ("name", string("The name of the system location.")),
        ("resource_uri", resource_uri()),
    ];
    if overflow {
        fields.push((
            "systemlocation_id",
            integer("The id of the system location.", 0),
        ));
    }
    read_only(fields, &["name"], &[], &["name", "media_load"])
}
