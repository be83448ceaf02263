//! The v40 profile: a newer node. Resources come and go (`end_user` appears, `host_system`
//! is gone), the conference gains fields and choices, and layout names change.

use serde_json::Value;

use super::field::*;
use super::services::LAYOUTS_V14;
use super::{Resource, Section, users, v40_resources};

/// The service types of v40.
pub const SERVICE_TYPES_V40: &[&str] = &[
    "conference",
    "lecture",
    "two_stage_dialing",
    "test_call",
    "media_playback",
];

/// The layouts v40 adds to those of v14.
const LAYOUTS_ADDED_V40: &[&str] = &[
    "one_main_thirtythree_pips",
    "one_main_one_pip",
    "one_main_nine_around",
    "one_main_twelve_around",
    "two_mains_eight_around",
    "nine_mains_zero_pips",
    "sixteen_mains_zero_pips",
    "twentyfive_mains_zero_pips",
    "five_mains_seven_pips",
    "teams",
];

/// Every layout of v40.
pub fn layouts_v40() -> Vec<&'static str> {
    LAYOUTS_V14
        .iter()
        .chain(LAYOUTS_ADDED_V40)
        .copied()
        .collect()
}

/// Turns the v14 resources into those of v40.
pub(super) fn upgrade(resources: &mut Vec<Resource>) {
    let mut upgraded: Vec<Resource> = std::mem::take(resources)
        .into_iter()
        .filter(|r| r.name != "host_system")
        .map(|r| match r.name {
            "conference" => conference(r),
            "worker_vm" => r.rebuild().without("host").build(),
            "system_location" => r
                .rebuild()
                .related("event_sinks", "event_sink", to_many("The event sinks used by Conferencing Nodes in this location."))
                .related("http_proxy", "http_proxy", to_one("The web proxy for outbound web requests from Conferencing Nodes in this location."))
                .related("teams_proxy", "teams_proxy", to_one("The Teams Connector for outbound calls to Microsoft Teams meetings from this location."))
                .field("media_qos", opt_integer("The DSCP value of media sent by Conferencing Nodes in this location. Range: 0 to 63."))
                .field("signalling_qos", opt_integer("The DSCP value of signaling sent by Conferencing Nodes in this location. Range: 0 to 63."))
                .field("use_relay_candidates_only", boolean("Make WebRTC clients send their media through the client TURN servers of this location.", false))
                .build(),
            "gateway_routing_rule" => r
                .rebuild()
                .field("called_device_type", choice("The device or system to which the call is routed. external: a registered device if registered, else an external system. registration: registered devices only. mssip_conference_id: a Skype for Business meeting by conference ID. mssip_server: Skype for Business clients, or meetings via a Virtual Reception. gms_conference: a Google Meet meeting. teams_conference: a Microsoft Teams meeting. teams_user: a Microsoft Teams Room. telehealth_profile: an Epic Telehealth meeting.", "external", &["external", "registration", "mssip_conference_id", "mssip_server", "gms_conference", "teams_conference", "teams_user", "telehealth_profile"]))
                .field("outgoing_protocol", choice("The protocol of the outgoing call to an external system.", "sip", &["h323", "sip", "mssip", "rtmp", "gms", "teams"]))
                .field("denoise_audio", boolean("Remove background noise from audio streams passing through the infrastructure.", false))
                .field("external_participant_avatar_lookup", choice("Whether avatars of external participants are looked up. default: use the global setting.", "default", &["default", "yes", "no"]))
                .field("live_captions_enabled", choice("Offer live captions on calls routed by this rule. default: use the global setting.", "default", &["default", "yes", "no"]))
                .field("match_incoming_teams", boolean("Applies this rule to incoming Microsoft Teams calls.", false))
                .field("match_string_full", boolean("Match against the full, unparsed alias (scheme, parameters and host included) instead of the parsed alias.", false))
                .field("max_pixels_per_second", opt_choice("Sets the maximum call quality for each participant.", &["sd", "hd", "fullhd"]))
                .build(),
            "system_backup" => r
                .rebuild()
                .field("sha256sum", text("The SHA-256 checksum of the backup file.").readonly())
                .field("type", text("The kind of backup (manual or automatic).").readonly())
                .build(),
            "automatic_participant" => r
                .rebuild()
                .field(
                    "protocol",
                    choice(
                        "The protocol to use to place the outgoing call.",
                        "sip",
                        &["h323", "sip", "mssip", "rtmp", "gms", "teams"],
                    ),
                )
                .build(),
            _ => r,
        })
        .collect();
    let users_end = upgraded
        .iter()
        .rposition(|r| r.section == Section::Users)
        .map_or(upgraded.len(), |i| i + 1);
    let (field, target, definition) = v40_resources::end_user_groups();
    let end_user = users::end_user()
        .rebuild()
        .related(field, target, definition)
        .build();
    upgraded.insert(users_end, end_user);
    upgraded.extend(v40_resources::resources());
    *resources = upgraded;
}

fn conference(v14: Resource) -> Resource {
    let layouts = layouts_v40();
    let layout_help = "The layout. one_main_zero_pips: full-screen main speaker only. one_main_seven_pips: large main speaker and up to 7 other participants. one_main_twentyone_pips: main speaker and up to 21 other participants. one_main_thirtythree_pips: main speaker and up to 33 other participants. two_mains_twentyone_pips: two main speakers and up to 21 other participants. four_mains_zero_pips: up to four main speakers in a 2x2 layout. nine_mains_zero_pips, sixteen_mains_zero_pips, twentyfive_mains_zero_pips: up to 9, 16 or 25 main speakers in a grid. five_mains_seven_pips: Adaptive Composition (not for Virtual Auditoriums). teams: the Microsoft Teams-like layout.";
    v14.rebuild()
        .field("breakout_rooms", boolean("Allow Hosts to split this conference into breakout rooms.", false))
        .field("denoise_enabled", boolean("Remove background noise from the audio of participants.", false))
        .field("direct_media", choice("Allow two-party calls to send media directly between the participants. never: media always goes through a Conferencing Node. best_effort: direct when both participants support it. always: direct media is required.", "never", &["never", "best_effort", "always"]))
        .field("direct_media_notification_duration", integer("How long a notification is shown before a call changes between direct and transcoded media. Range: 0s to 30s. Default: 0s.", 0))
        .field("enable_active_speaker_indication", boolean("Show who is speaking in the overlay of each participant.", false))
        .related("guest_identity_provider_group", "identity_provider_group", to_one("The identity providers Guests may use to authenticate."))
        .field("guest_view", opt_choice(layout_help, &layouts))
        .field("guests_can_see_guests", choice("Whether Guests see other Guests. no_hosts: only while no Host is present. always: always. never: never.", "no_hosts", &["no_hosts", "always", "never"]))
        .related("host_identity_provider_group", "identity_provider_group", to_one("The identity providers Hosts may use to authenticate."))
        .field("host_view", choice(layout_help, "one_main_seven_pips", &layouts))
        .field("live_captions_enabled", choice("Offer live captions in this conference. default: use the global setting.", "default", &["default", "yes", "no"]))
        .field("max_pixels_per_second", opt_choice("Sets the maximum call quality for each participant.", &["sd", "hd", "fullhd"]))
        .related("gms_access_token", "gms_access_token", to_one("The access token used to resolve Google Meet meeting codes."))
        .reverse("scheduled_conferences", "scheduled_conference", "conference", to_many("The scheduled conferences of this service.").readonly())
        .related("teams_proxy", "teams_proxy", to_one("The Teams Connector used to resolve Microsoft Teams conference IDs."))
        .related("media_playlist", "media_library_playlist", to_one("The playlist to run when this Media Playback Service is used."))
        .field("match_string", text("For Virtual Receptions: an optional regular expression the entered alias must match to be routed. Maximum length: 250 characters."))
        .field("mute_all_guests", boolean("If enabled, all Guest participants will be muted by default.", false))
        .field("on_completion", text("For Media Playback Services: what happens when the playlist ends, as JSON ({\"disconnect\": true} or {\"transfer\": {\"conference\": \"<alias>\"}}); blank leaves the last frame in view.").nullable().default(Value::Null))
        .field("pinning_config", text("The layout pinning configuration of this conference. Maximum length: 250 characters."))
        .field("post_match_string", text("For Virtual Receptions: an optional regular expression matched against the meeting code after the lookup. Maximum length: 250 characters."))
        .field("post_replace_string", text("For Virtual Receptions: an optional replacement for the meeting code when the post-lookup match applies. Maximum length: 250 characters."))
        .field("replace_string", text("For Virtual Receptions: an optional replacement for the entered alias when the match applies. Maximum length: 250 characters."))
        .field("scheduled_conferences_count", integer("The number of scheduled conferences of this service.", 0).readonly())
        .field("non_idp_participants", choice("What happens to participants who do not authenticate with an identity provider. disallow_all: they cannot join. allow_if_trusted: they can join if they come from a trusted device or network.", "disallow_all", &["disallow_all", "allow_if_trusted"]))
        .field("service_type", choice("The type of conferencing service. conference: Virtual Meeting Room. lecture: Virtual Auditorium. two_stage_dialing: Virtual Reception. test_call: Test Call Service. media_playback: Media Playback Service.", "conference", SERVICE_TYPES_V40))
        .field("softmute_enabled", boolean("Mute participants' background noise automatically (softmute).", false))
        .field("two_stage_dial_type", choice("For Virtual Receptions: what the second stage dials. regular: an alias or a conference ID. mssip: a Skype for Business meeting ID. gms: a Google Meet meeting code. teams: a Microsoft Teams meeting ID.", "regular", &["regular", "mssip", "gms", "teams"]))
        .filter(&["two_stage_dial_type", "breakout_rooms", "direct_media", "live_captions_enabled"])
        .filter_related(&["media_playlist", "host_identity_provider_group", "guest_identity_provider_group"])
        .build()
}
