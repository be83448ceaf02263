//! Resources a v40 node has and v14 lacks (beyond `end_user`): identity providers, the media
//! library, Teams Connectors, Google Meet tokens, scheduling, event sinks, web proxies and user
//! groups. Main fields only; enough for a client to prove it discovers resources at run time.

use serde_json::{Value, json};

use super::builder::ResourceBuilder;
use super::field::*;
use super::{Resource, Section};

/// The resources v40 adds, in the order they are listed after v14's.
pub(super) fn resources() -> Vec<Resource> {
    vec![
        identity_provider_group(),
        media_library_entry(),
        media_library_playlist(),
        teams_proxy(),
        gms_access_token(),
        scheduled_conference(),
        event_sink(),
        http_proxy(),
        user_group(),
    ]
}

fn identity_provider_group() -> Resource {
    ResourceBuilder::new("identity_provider_group", "Identity provider group", Section::Users)
        .field("description", text("A description of the group. Maximum length: 250 characters."))
        .field("name", string("The name used to refer to this group of identity providers. Maximum length: 250 characters.").unique())
        .filter(&["name", "description"])
        .order(&["name"])
        .build()
}

fn media_library_entry() -> Resource {
    ResourceBuilder::new(
        "media_library_entry",
        "Media library item",
        Section::Service,
    )
    .field(
        "description",
        text("A description of the media item. Maximum length: 1024 characters."),
    )
    .field(
        "file_name",
        text("The file name of the uploaded media.").readonly(),
    )
    .field(
        "media_file",
        file("The media to upload: an MP4 video with H.264 encoding."),
    )
    .field("media_format", text("The format of the media.").readonly())
    .field(
        "media_size",
        integer("The size of the uploaded media, in bytes.", 0).readonly(),
    )
    .field("media_type", text("The type of the media.").readonly())
    .field(
        "name",
        string("The name used to refer to this media item. Maximum length: 1024 characters.")
            .unique(),
    )
    .field(
        "uuid",
        string("The unique identifier of the media item.")
            .readonly()
            .unique(),
    )
    .filter(&["name", "description", "media_type", "uuid"])
    .order(&["name", "media_size"])
    .build()
}

fn media_library_playlist() -> Resource {
    ResourceBuilder::new("media_library_playlist", "Media playlist", Section::Service)
        .field(
            "description",
            text("A description of the playlist. Maximum length: 1024 characters."),
        )
        .field(
            "loop",
            boolean(
                "Repeat the whole playlist until the caller disconnects.",
                false,
            ),
        )
        .field(
            "name",
            string("The name used to refer to this playlist. Maximum length: 1024 characters.")
                .unique(),
        )
        .field(
            "shuffle",
            boolean(
                "Play the items in random order instead of their positions.",
                false,
            ),
        )
        .filter(&["name", "description"])
        .order(&["name"])
        .build()
}

fn teams_proxy() -> Resource {
    ResourceBuilder::new("teams_proxy", "Microsoft Teams Connector", Section::CallControl)
        .field("address", string("The FQDN of the Teams Connector's load balancer in Azure. Maximum length: 255 characters."))
        .field("description", text("A description of the Teams Connector. Maximum length: 250 characters."))
        .field("eventhub_id", text("The identifier of the Azure Event Hub queue.").nullable().default(Value::Null))
        .field("min_number_of_instances", integer("The number of instances always running when no scaling policy applies. Default: 1.", 1))
        .field("name", string("The name used to refer to this Teams Connector. Maximum length: 250 characters.").unique())
        .field("notifications_enabled", boolean("Receive scaling and status notifications through the Azure Event Hub.", false))
        .field("port", integer("The IP port of the Teams Connector. Range: 1 to 65535. Default: 443.", 443))
        .field("updated", datetime("The time at which the configuration was last updated.").readonly())
        .filter(&["name", "address", "description"])
        .order(&["name", "address"])
        .build()
}

fn gms_access_token() -> Resource {
    ResourceBuilder::new("gms_access_token", "Google Meet access token", Section::CallControl)
        .field("description", text("A description of the access token. Maximum length: 250 characters."))
        .field("name", string("The name used to refer to this access token. Maximum length: 250 characters.").unique())
        .secret("token", "The access token used to resolve Google Meet meeting codes. Maximum length: 1024 characters.")
        .filter(&["name"])
        .order(&["name"])
        .build()
}

fn scheduled_conference() -> Resource {
    ResourceBuilder::new(
        "scheduled_conference",
        "Scheduled conference",
        Section::Service,
    )
    .related(
        "conference",
        "conference",
        to_one("The service the meeting takes place in.").required(),
    )
    .field(
        "end_time",
        datetime("The time at which the scheduled conference is due to end."),
    )
    .field(
        "ews_item_id",
        text("The ID of the Exchange item of the meeting. Maximum length: 255 characters."),
    )
    .field(
        "ews_item_uid",
        text("The UID of the Exchange item of the meeting. Maximum length: 255 characters."),
    )
    .field(
        "start_time",
        datetime("The time at which the scheduled conference is due to start."),
    )
    .field(
        "subject",
        text("The subject of the meeting invitation. Maximum length: 255 characters."),
    )
    .filter(&["subject", "start_time", "end_time", "ews_item_uid"])
    .filter_related(&["conference"])
    .order(&["start_time", "end_time", "subject"])
    .build()
}

fn event_sink() -> Resource {
    ResourceBuilder::new("event_sink", "Event sink", Section::Platform)
        .field("bulk_support", boolean("Batch the events of an interval into one message.", false))
        .field("description", text("A description of the event sink. Maximum length: 250 characters."))
        .field("events", list("The names of the events sent when filter_events is enabled."))
        .field("filter_events", boolean("Send only the selected named events.", false))
        .field("name", string("The name used to refer to this event sink. Maximum length: 250 characters.").unique())
        .secret("password", "The password used to authenticate to the external server. Maximum length: 100 characters.")
        .field("restart_date", datetime("When a restart of the event publisher was last requested; setting it restarts the sink (its sequence numbers start again at 1).").nullable())
        .field("url", string("The URL of the external server events are sent to. Maximum length: 255 characters."))
        .field("username", text("The username used to authenticate to the external server. Maximum length: 100 characters."))
        .field("verify_tls_certificate", boolean("Verify the server's TLS certificate (HTTPS URLs only).", false))
        .field("version", integer("The version of the event protocol the sink supports. Range: 1 to 2.", 1))
        .filter(&["name", "url", "description"])
        .order(&["name", "url"])
        .build()
}

fn http_proxy() -> Resource {
    ResourceBuilder::new("http_proxy", "Web proxy", Section::System)
        .field("address", string("The IP address or FQDN of the web proxy. Maximum length: 255 characters."))
        .field("name", string("The name used to refer to this web proxy. Maximum length: 250 characters.").unique())
        .secret("password", "The password used to authenticate to the web proxy. Maximum length: 100 characters.")
        .field("port", integer("The port of the web proxy. Range: 1 to 65535. Default: 8080.", 8080))
        .field("protocol", choice("The protocol used to reach the web proxy.", "http", &["http"]))
        .field("username", text("The username used to authenticate to the web proxy. Maximum length: 100 characters."))
        .filter(&["name", "address"])
        .order(&["name", "address"])
        .build()
}

fn user_group() -> Resource {
    ResourceBuilder::new("user_group", "User group", Section::Users)
        .field(
            "description",
            text("A description of the user group. Maximum length: 250 characters."),
        )
        .field(
            "name",
            string("The name used to refer to this user group. Maximum length: 250 characters.")
                .unique(),
        )
        .reverse(
            "users",
            "end_user",
            "user_groups",
            to_many("The users in this group."),
        )
        .filter(&["name", "description"])
        .filter_related(&["users"])
        .order(&["name"])
        .build()
}

/// A v40 `end_user` belongs to user groups.
pub(super) fn end_user_groups() -> (&'static str, &'static str, pexip::Field) {
    (
        "user_groups",
        "user_group",
        to_many("The user groups this user is a member of.").default(json!([])),
    )
}
