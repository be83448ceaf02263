//! Schemas of the history API's resources.

use pexip::Schema;

use super::read_only;
use crate::catalogue::field::{
    boolean, datetime, float, integer, resource_uri, string, text, to_many, to_one,
};

pub fn conference() -> Schema {
    read_only(
        vec![
            (
                "duration",
                integer("The duration of the conference instance, in seconds.", 0),
            ),
            (
                "end_time",
                datetime("The time the conference instance ended."),
            ),
            (
                "id",
                string("The unique identifier of the conference instance."),
            ),
            (
                "instant_message_count",
                integer("The number of chat messages sent.", 0),
            ),
            ("name", string("The name of the service.")),
            (
                "participant_count",
                integer("The number of participants that took part.", 0),
            ),
            (
                "participants",
                to_many("The participants of the conference instance."),
            ),
            ("resource_uri", resource_uri()),
            ("service_type", string("The type of service.")),
            (
                "start_time",
                datetime("The time the conference instance started."),
            ),
            ("tag", text("The service tag.")),
        ],
        &[
            "duration",
            "end_time",
            "id",
            "instant_message_count",
            "name",
            "participant_count",
            "service_type",
            "start_time",
            "tag",
        ],
        &["participants"],
        &[
            "duration",
            "end_time",
            "name",
            "participant_count",
            "service_type",
            "start_time",
            "tag",
        ],
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
                to_one("The conference instance the participant took part in."),
            ),
            ("conference_name", string("The name of the service.")),
            ("disconnect_reason", text("Why the call ended.")),
            ("display_name", text("The display name of the participant.")),
            (
                "duration",
                integer("The duration of the call, in seconds.", 0),
            ),
            (
                "encryption",
                string("Whether the media was encrypted: On or Off."),
            ),
            ("end_time", datetime("The time the participant left.")),
            (
                "has_media",
                boolean("Whether the participant had media streams.", false),
            ),
            ("id", string("The unique identifier of the participant.")),
            (
                "license_count",
                integer("The number of licenses the participant used.", 0),
            ),
            ("local_alias", string("The service alias of the call.")),
            (
                "media_node",
                string("The address of the node that handled the media."),
            ),
            ("media_streams", to_many("The media streams of the call.")),
            (
                "parent_id",
                text("The id of the parent participant, for a media leg of another participant."),
            ),
            (
                "protocol",
                string("The protocol of the call: SIP, H323, WebRTC, MSSIP or RTMP."),
            ),
            (
                "remote_address",
                string("The IP address of the remote endpoint."),
            ),
            ("remote_alias", string("The alias of the remote endpoint.")),
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
                string("The address of the node that handled the signaling."),
            ),
            ("start_time", datetime("The time the participant joined.")),
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
            "call_uuid",
            "conference_name",
            "disconnect_reason",
            "display_name",
            "duration",
            "encryption",
            "end_time",
            "has_media",
            "id",
            "license_count",
            "local_alias",
            "media_node",
            "protocol",
            "remote_address",
            "remote_alias",
            "role",
            "service_tag",
            "service_type",
            "signalling_node",
            "start_time",
            "system_location",
            "vendor",
        ],
        &["conference", "media_streams"],
        &[
            "bandwidth",
            "conference_name",
            "display_name",
            "duration",
            "end_time",
            "protocol",
            "start_time",
        ],
    )
}

/// A media stream of a participant or backplane in the history.
pub fn media_stream(owner: &'static str) -> Schema {
    let fields = vec![
        ("end_time", datetime("The time the stream ended.")),
        ("id", integer("The primary key.", 0)),
        (
            "node",
            string("The address of the node that handled the stream."),
        ),
        (owner, to_one("The call this stream belonged to.")),
        ("rx_bitrate", integer("The received bitrate, in kbps.", 0)),
        ("rx_codec", text("The received codec.")),
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
        ("stream_id", string("The stream number within the call.")),
        (
            "stream_type",
            string("The kind of stream: audio, video or presentation."),
        ),
        ("tx_bitrate", integer("The sent bitrate, in kbps.", 0)),
        ("tx_codec", text("The sent codec.")),
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
    ];
    read_only(
        fields,
        &[
            "end_time",
            "node",
            "rx_bitrate",
            "rx_codec",
            "rx_packet_loss",
            "rx_packets_lost",
            "start_time",
            "stream_type",
            "tx_bitrate",
            "tx_codec",
            "tx_packet_loss",
            "tx_packets_lost",
        ],
        &[owner],
        &["start_time", "rx_packet_loss", "tx_packet_loss"],
    )
}

pub fn backplane() -> Schema {
    read_only(
        vec![
            (
                "conference",
                to_one("The conference instance the backplane carried."),
            ),
            ("conference_name", string("The name of the service.")),
            ("disconnect_reason", text("Why the backplane closed.")),
            (
                "duration",
                integer("How long the backplane was up, in seconds.", 0),
            ),
            ("end_time", datetime("The time the backplane closed.")),
            ("id", string("The unique identifier of the backplane.")),
            ("media_node", string("The address of the local node.")),
            (
                "media_streams",
                to_many("The media streams of the backplane."),
            ),
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
                "start_time",
                datetime("The time the backplane was established."),
            ),
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
            "conference_name",
            "duration",
            "end_time",
            "media_node",
            "remote_media_node",
            "start_time",
            "system_location",
            "type",
        ],
        &["conference", "media_streams"],
        &["conference_name", "duration", "end_time", "start_time"],
    )
}
