//! Service configuration: conferences (VMRs, Virtual Auditoriums, Virtual Receptions, Test
//! Call Services), their aliases, Automatically Dialed Participants, themes, gateway rules,
//! registration settings, devices and the LDAP sync resources.

use serde_json::json;

use super::builder::ResourceBuilder;
use super::field::*;
use super::{Resource, Section};

/// The layouts of v14 (`host_view`, `guest_view`).
pub const LAYOUTS_V14: &[&str] = &[
    "one_main_zero_pips",
    "one_main_seven_pips",
    "one_main_twentyone_pips",
    "two_mains_twentyone_pips",
    "four_mains_zero_pips",
];

/// The service types of v14.
pub const SERVICE_TYPES_V14: &[&str] = &["conference", "lecture", "two_stage_dialing", "test_call"];

/// `call_type` of services and participants.
pub const CALL_TYPES: &[&str] = &["video", "video-only", "audio"];

/// `crypto_mode` (nullable; `""`/`null` means "use the global setting").
pub const CRYPTO_MODES: &[&str] = &["besteffort", "on", "off"];

pub(super) const PIN_HELP: &str = "This optional field allows you to set a secure access code for participants who dial in to the service. Length: 4-20 digits, including any terminal #.";
pub(super) const GUEST_PIN_HELP: &str = "This optional field allows you to set a secure access code for Guest participants who dial in to the service. Length: 4-20 digits, including any terminal #.";
const CALLRATE_IN_HELP: &str = "This optional field allows you to limit the bandwidth of media being received by Pexip Infinity from each individual participant dialed in to this service. Range: 128 to 8192.";
const CALLRATE_OUT_HELP: &str = "This optional field allows you to limit the bandwidth of media being sent by Pexip Infinity to each individual participant dialed in to this service. Range: 128 to 8192.";
const CRYPTO_HELP: &str = "Controls the media encryption requirements for participants connecting to this service. Use global setting: Use the global media encryption setting (Platform > Global Settings). Required: All participants (including RTMP participants) must use media encryption. Best effort: Each participant will use media encryption if their device supports it, otherwise the connection will be unencrypted. No encryption: All H.323, SIP and MS-SIP participants must use unencrypted media. (RTMP participants will use encryption if their device supports it, otherwise the connection will be unencrypted.)";

pub(super) fn resources() -> Vec<Resource> {
    vec![
        conference(),
        conference_alias(),
        automatic_participant(),
        ivr_theme(),
        gateway_routing_rule(),
        registration(),
        device(),
        conference_sync_template(),
        ldap_sync_source(),
        ldap_sync_field(),
    ]
}

fn conference() -> Resource {
    ResourceBuilder::new(
        "conference",
        "Virtual Meeting Room, Virtual Auditorium, Virtual Reception or Test Call Service",
        Section::Service,
    )
    .reverse("aliases", "conference_alias", "conference", to_many("The aliases associated with this conference."))
    .field("allow_guests", boolean("If enabled, this conference will have two types of participants: Hosts and Guests. You must also specify a PIN to be used by the Hosts, and optionally a Guest PIN. If disabled, all participants will have Host privileges.", false))
    .reverse("automatic_participants", "automatic_participant", "conference", to_many("When a conference begins, a call will be placed automatically to these selected participants."))
    .field("call_type", choice("Maximum media content of the conference. Participants will not be able to escalate beyond the selected capability.", "video", CALL_TYPES))
    .created()
    .field("crypto_mode", opt_choice(CRYPTO_HELP, CRYPTO_MODES).default(json!("")))
    .field("description", text("A description of the service. Maximum length: 250 characters."))
    .field("enable_chat", choice("Enables relay of chat messages between conference participants using Skype for Business / Lync and Infinity Connect clients. Use global setting: use the global chat setting.", "default", &["default", "yes", "no"]))
    .field("enable_overlay_text", boolean("If enabled, the display name or alias will be shown for each participant.", false))
    .field("force_presenter_into_main", boolean("If enabled, a Host sending content will always hold the main video position, instead of being voice-switched.", false))
    .field("guest_pin", text(GUEST_PIN_HELP))
    .field("guest_view", opt_choice("The layout that Guests will see. one_main_zero_pips: full-screen main speaker only. one_main_seven_pips: large main speaker and up to 7 other participants. one_main_twentyone_pips: main speaker and up to 21 other participants. two_mains_twentyone_pips: two main speakers and up to 21 other participants. four_mains_zero_pips: up to four main speakers, with no thumbnails.", LAYOUTS_V14))
    .field("guests_can_present", boolean("If enabled, Guests and Hosts can present into the conference. If disabled, only Hosts can present.", true))
    .field("host_view", choice("The layout that Hosts will see. one_main_zero_pips: full-screen main speaker only. one_main_seven_pips: large main speaker and up to 7 other participants. one_main_twentyone_pips: main speaker and up to 21 other participants. two_mains_twentyone_pips: two main speakers and up to 21 other participants. four_mains_zero_pips: up to four main speakers, with no thumbnails.", "one_main_seven_pips", LAYOUTS_V14))
    .related("ivr_theme", "ivr_theme", to_one("The theme for use with this service."))
    .field("max_callrate_in", opt_integer(CALLRATE_IN_HELP))
    .field("max_callrate_out", opt_integer(CALLRATE_OUT_HELP))
    .related("mssip_proxy", "mssip_proxy", to_one("The Skype for Business / Lync server to use when resolving Skype for Business / Lync conference IDs in this Virtual Reception."))
    .field("name", string("The name used to refer to this service. Maximum length: 250 characters.").unique())
    .field("participant_limit", opt_integer("This optional field allows you to limit the number of participants allowed to join this Virtual Meeting Room. Range: 0 to 1000000."))
    .field("pin", text(PIN_HELP))
    .field("primary_owner_email_address", text("The email address of the owner of the service. Maximum length: 100 characters."))
    .field("service_type", choice("The type of conferencing service. conference: Virtual Meeting Room. lecture: Virtual Auditorium. two_stage_dialing: Virtual Reception. test_call: Test Call Service.", "conference", SERVICE_TYPES_V14))
    .field("sync_tag", text("A read-only identifier used by the system to track synchronization of this service with an LDAP directory. Maximum length: 250 characters."))
    .related("system_location", "system_location", to_one("For Test Call Services and Virtual Receptions: the location of the Conferencing Nodes that handle the media of this service."))
    .field("tag", text("A unique identifier used to track usage of this service. Maximum length: 250 characters."))
    .filter_related(&["aliases", "ivr_theme", "mssip_proxy", "system_location", "automatic_participants"])
    .filter(&["allow_guests", "call_type", "creation_time", "description", "enable_chat", "enable_overlay_text", "guest_pin", "max_callrate_in", "max_callrate_out", "name", "participant_limit", "pin", "primary_owner_email_address", "service_type", "sync_tag", "tag", "id"])
    .order(&["name", "tag", "description", "service_type", "pin", "allow_guests", "enable_chat", "guest_pin", "max_callrate_in", "max_callrate_out", "participant_limit", "primary_owner_email_address", "enable_overlay_text", "creation_time", "id"])
    .build()
}

fn conference_alias() -> Resource {
    ResourceBuilder::new("conference_alias", "Alias for a service", Section::Service)
        .field("alias", string("The alias that participants dial to reach this service. Maximum length: 250 characters.").unique())
        .related("conference", "conference", to_one("The conference that this alias belongs to.").required())
        .created()
        .field("description", text("A description of the alias. Maximum length: 250 characters."))
        .filter(&["alias", "description"])
        .filter_related(&["conference"])
        .order(&["alias", "description", "conference", "creation_time"])
        .build()
}

fn automatic_participant() -> Resource {
    ResourceBuilder::new("automatic_participant", "Automatically Dialed Participant", Section::Service)
        .field("alias", string("The alias of the participant to be dialed. Maximum length: 250 characters."))
        .field("call_type", choice("Maximum media content of the call. The participant being called will not be able to escalate beyond the selected capability.", "video", CALL_TYPES))
        .related("conference", "conference", to_many("The conferences into which the participant is dialed when they start."))
        .created()
        .field("description", text("A description of the Automatically Dialed Participant. Maximum length: 250 characters."))
        .field("dtmf_sequence", text("An optional DTMF sequence to be transmitted after the call is answered. Maximum length: 250 characters."))
        .field("keep_conference_alive", choice("Whether the conference continues when other participants disconnect. keep_conference_alive: the conference continues to run until this participant disconnects. keep_conference_alive_if_multiple: the conference continues if there are two or more such participants. keep_conference_alive_never: the conference ends when only such participants remain.", "keep_conference_alive_if_multiple", &["keep_conference_alive", "keep_conference_alive_if_multiple", "keep_conference_alive_never"]))
        .field("presentation_url", text("The RTMP URL for the second (presentation) stream when streaming. Maximum length: 250 characters."))
        .field("protocol", choice("The protocol to use to place the outgoing call.", "sip", &["h323", "sip", "mssip", "rtmp"]))
        .field("remote_display_name", text("An optional friendly name for this participant, used in participant lists and overlays. Maximum length: 250 characters."))
        .field("role", choice("The level of privileges the participant has in the conference.", "guest", &["chair", "guest"]))
        .field("routing", choice("Route the call manually, using the protocol and location chosen here, or use the Call Routing Rules.", "manual", &["manual", "routing_rules"]))
        .field("streaming", boolean("Identify the dialed participant as a streaming or recording device.", false))
        .related("system_location", "system_location", to_one("The location of the Conferencing Node from which to place the call."))
        .filter(&["alias", "description", "protocol", "role", "remote_display_name", "creation_time", "routing"])
        .filter_related(&["conference", "system_location"])
        .order(&["alias", "description", "protocol", "role", "remote_display_name", "creation_time"])
        .build()
}

fn ivr_theme() -> Resource {
    ResourceBuilder::new("ivr_theme", "IVR theme", Section::Service)
        .reverse("conference", "conference", "ivr_theme", to_many("The services using this theme.").readonly())
        .field("last_updated", datetime("The time at which the theme was last updated.").readonly())
        .field("name", string("The name used to refer to this theme. Maximum length: 250 characters.").unique())
        .field("package", file("The theme package: a ZIP file of images, audio prompts and a themeconfig.json file."))
        .field("uuid", string("The unique identifier of this theme.").readonly().unique())
        .filter(&["name", "uuid", "last_updated"])
        .filter_related(&["conference"])
        .order(&["name", "last_updated"])
        .build()
}

fn gateway_routing_rule() -> Resource {
    ResourceBuilder::new("gateway_routing_rule", "Gateway routing rule", Section::Service)
        .field("call_type", choice("The maximum media content of the outgoing call. auto: same as the incoming call.", "video", &["video", "video-only", "audio", "auto"]))
        .field("called_device_type", choice("The device or system to which the call is routed. external: any external device or system. registration: a device registered to Pexip Infinity. mssip_conference_id: a Skype for Business / Lync meeting, by conference ID. mssip_server: a Skype for Business / Lync server.", "external", &["external", "registration", "mssip_conference_id", "mssip_server"]))
        .created()
        .field("crypto_mode", opt_choice(CRYPTO_HELP, CRYPTO_MODES).default(json!("")))
        .field("description", text("A description of the Call Routing Rule. Maximum length: 250 characters."))
        .field("enable", boolean("Determines whether or not the rule is enabled.", true))
        .related("h323_gatekeeper", "h323_gatekeeper", to_one("The H.323 gatekeeper to use for outbound H.323 calls."))
        .related("ivr_theme", "ivr_theme", to_one("The theme for use with this rule."))
        .field("match_incoming_calls", boolean("Applies this rule to incoming calls that have not been routed to a Virtual Meeting Room, Virtual Auditorium or Virtual Reception.", true))
        .field("match_incoming_h323", boolean("Applies this rule to incoming H.323 calls.", true))
        .field("match_incoming_mssip", boolean("Applies this rule to incoming Skype for Business / Lync calls.", true))
        .field("match_incoming_only_if_registered", boolean("Applies this rule only to calls from registered devices.", false))
        .field("match_incoming_sip", boolean("Applies this rule to incoming SIP calls.", true))
        .field("match_incoming_webrtc", boolean("Applies this rule to incoming Infinity Connect (WebRTC / RTMP) calls.", true))
        .field("match_outgoing_calls", boolean("Applies this rule to outgoing calls placed from a conference service.", false))
        .related("match_source_location", "system_location", to_one("Applies this rule only to calls received in this location."))
        .field("match_string", string("The regular expression that the destination alias is checked against to see if this rule applies. Maximum length: 250 characters."))
        .field("max_callrate_in", opt_integer(CALLRATE_IN_HELP))
        .field("max_callrate_out", opt_integer(CALLRATE_OUT_HELP))
        .related("mssip_proxy", "mssip_proxy", to_one("The Skype for Business / Lync server to use for outbound calls."))
        .field("name", string("The name used to refer to this rule. Maximum length: 250 characters."))
        .related("outgoing_location", "system_location", to_one("The location of the Conferencing Node from which the outgoing call is placed."))
        .field("outgoing_protocol", choice("The protocol of the outgoing call.", "sip", &["h323", "sip", "mssip", "rtmp"]))
        .field("priority", integer("The priority of this rule; rules are checked in order of priority, lowest first. Range: 1 to 200.", 100))
        .field("replace_string", text("The regular expression replacement applied to the alias before it is dialed. Leave blank to dial the alias unchanged. Maximum length: 250 characters."))
        .related("sip_proxy", "sip_proxy", to_one("The SIP proxy to use for outbound SIP calls."))
        .related("stun_server", "stun_server", to_one("The STUN server to use for outbound Skype for Business / Lync calls."))
        .field("tag", text("A unique identifier used to track usage of this rule. Maximum length: 250 characters."))
        .field("treat_as_trusted", boolean("Treat the destination as part of the trusted local network.", false))
        .related("turn_server", "turn_server", to_one("The TURN server to use for outbound Skype for Business / Lync calls."))
        .filter(&["name", "description", "priority", "enable", "match_string", "replace_string", "called_device_type", "outgoing_protocol", "tag", "creation_time", "match_incoming_calls", "match_outgoing_calls"])
        .filter_related(&["outgoing_location", "match_source_location", "ivr_theme"])
        .order(&["priority", "name", "description", "enable", "match_string", "called_device_type", "outgoing_protocol", "creation_time"])
        .build()
}

fn registration() -> Resource {
    ResourceBuilder::new("registration", "Registration settings", Section::Service)
        .singleton()
        .field("adaptive_max_refresh", integer("The maximum registration refresh interval, in seconds, under the adaptive strategy. Range: 60 to 7200.", 3600))
        .field("adaptive_min_refresh", integer("The minimum registration refresh interval, in seconds, under the adaptive strategy. Range: 60 to 7200.", 60))
        .field("enable", boolean("Allow devices to register to Conferencing Nodes.", true))
        .field("maximum_max_refresh", integer("The maximum registration refresh interval, in seconds, under the maximum strategy. Range: 60 to 7200.", 3600))
        .field("maximum_min_refresh", integer("The minimum registration refresh interval, in seconds, under the maximum strategy. Range: 60 to 7200.", 60))
        .field("natted_max_refresh", integer("The maximum registration refresh interval, in seconds, for devices behind NAT. Range: 60 to 7200.", 300))
        .field("natted_min_refresh", integer("The minimum registration refresh interval, in seconds, for devices behind NAT. Range: 60 to 7200.", 60))
        .field("refresh_strategy", choice("How registration refresh intervals are chosen.", "adaptive", &["adaptive", "maximum", "basic"]))
        .field("route_via_registrar", boolean("Route calls to registered devices via the Conferencing Node they registered to.", true))
        .build()
}

fn device() -> Resource {
    ResourceBuilder::new("device", "Device", Section::Service)
        .field("alias", string("The alias that the device registers with. Maximum length: 250 characters.").unique())
        .created()
        .field("description", text("A description of the device. Maximum length: 250 characters."))
        .field("enable_h323", boolean("Allow the device to register over H.323.", true))
        .field("enable_infinity_connect", boolean("Allow Infinity Connect clients to register with this alias.", true))
        .field("enable_sip", boolean("Allow the device to register over SIP.", true))
        .secret("password", "The password the device uses to authenticate its registration. Maximum length: 100 characters.")
        .field("primary_owner_email_address", text("The email address of the owner of the device. Maximum length: 100 characters."))
        .field("sync_tag", text("An identifier used to track synchronization of this device with an LDAP directory. Maximum length: 250 characters."))
        .field("tag", text("A unique identifier used to track usage of this device. Maximum length: 250 characters."))
        .field("username", text("The username the device uses to authenticate its registration. Maximum length: 100 characters."))
        .filter(&["alias", "description", "username", "primary_owner_email_address", "tag", "sync_tag"])
        .order(&["alias", "description", "username", "primary_owner_email_address", "tag"])
        .build()
}

fn conference_sync_template() -> Resource {
    ResourceBuilder::new("conference_sync_template", "Conference sync template", Section::Service)
        .field("allow_guests", boolean("Whether the services created by this template allow Guests.", false))
        .field("conference_description", text("A Jinja2 template for the description of each service. Maximum length: 500 characters."))
        .field("conference_name", string("A Jinja2 template for the name of each service. Maximum length: 500 characters."))
        .field("description", text("A description of the template. Maximum length: 250 characters."))
        .field("guest_pin", text("A Jinja2 template for the Guest PIN of each service. Maximum length: 100 characters."))
        .field("host_view", choice("The layout that Hosts will see.", "one_main_seven_pips", LAYOUTS_V14))
        .related("ivr_theme", "ivr_theme", to_one("The theme of the services created by this template."))
        .related("ldap_sync_source", "ldap_sync_source", to_one("The LDAP sync source that this template uses.").required())
        .field("name", string("The name used to refer to this template. Maximum length: 250 characters.").unique())
        .field("pin", text("A Jinja2 template for the PIN of each service. Maximum length: 100 characters."))
        .field("primary_owner_email_address", text("A Jinja2 template for the owner's email address of each service. Maximum length: 500 characters."))
        .field("service_type", choice("The type of the services created by this template.", "conference", &["conference", "lecture"]))
        .field("tag", text("A Jinja2 template for the tag of each service. Maximum length: 500 characters."))
        .filter(&["name", "description", "service_type"])
        .filter_related(&["ldap_sync_source"])
        .order(&["name", "description"])
        .build()
}

fn ldap_sync_source() -> Resource {
    ResourceBuilder::new("ldap_sync_source", "Conference LDAP sync source", Section::Service)
        .field("description", text("A description of the LDAP sync source. Maximum length: 250 characters."))
        .field("ldap_base_dn", string("The base DN of the LDAP forest to query. Maximum length: 255 characters."))
        .secret("ldap_bind_password", "The password used to bind to the LDAP server. Maximum length: 100 characters.")
        .field("ldap_bind_username", text("The username used to bind to the LDAP server. Maximum length: 255 characters."))
        .field("ldap_permit_no_tls", boolean("Permit the connection to the LDAP server to fall back to an unencrypted connection.", false))
        .field("ldap_server", string("The hostname or IP address of the LDAP server. Maximum length: 255 characters."))
        .field("ldap_use_global_catalog", boolean("Search the Active Directory Global Catalog instead of traditional LDAP.", false))
        .field("ldap_user_filter", text("The LDAP filter used to find the users to synchronize. Maximum length: 1024 characters.").default(json!("(&(objectclass=person)(!(objectclass=computer)))")))
        .field("ldap_user_search_dn", text("The DN relative to the base DN in which to search for users. Maximum length: 255 characters."))
        .field("name", string("The name used to refer to this LDAP sync source. Maximum length: 250 characters.").unique())
        .filter(&["name", "description", "ldap_server"])
        .order(&["name", "description", "ldap_server"])
        .build()
}

fn ldap_sync_field() -> Resource {
    ResourceBuilder::new("ldap_sync_field", "Conference LDAP sync field", Section::Service)
        .field("description", text("A description of the LDAP field. Maximum length: 250 characters."))
        .field("is_binary", boolean("Whether the LDAP attribute holds binary data.", false))
        .field("name", string("The name of the LDAP attribute. Maximum length: 100 characters.").unique())
        .field("template_variable_name", string("The name of the variable in sync templates that holds the attribute. Maximum length: 100 characters."))
        .filter(&["name", "template_variable_name"])
        .order(&["name", "template_variable_name"])
        .build()
}
