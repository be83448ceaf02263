//! Call control: gatekeepers, SIP credentials and proxies, Skype for Business servers, TURN,
//! STUN and policy servers.

use super::builder::ResourceBuilder;
use super::field::*;
use super::{Resource, Section};

pub(super) fn resources() -> Vec<Resource> {
    vec![
        h323_gatekeeper(),
        sip_credential(),
        sip_proxy(),
        mssip_proxy(),
        turn_server(),
        stun_server(),
        policy_server(),
    ]
}

/// name, description, address: the common part of the call control servers.
fn server(name: &'static str, title: &'static str, what: &str) -> ResourceBuilder {
    ResourceBuilder::new(name, title, Section::CallControl)
        .field(
            "address",
            string(&format!(
                "The IP address or FQDN of the {what}. Maximum length: 255 characters."
            )),
        )
        .field(
            "description",
            text(&format!(
                "A description of the {what}. Maximum length: 250 characters."
            )),
        )
        .field(
            "name",
            string(&format!(
                "The name used to refer to this {what}. Maximum length: 250 characters."
            ))
            .unique(),
        )
        .filter(&["name", "address", "description"])
        .order(&["name", "address", "description"])
}

fn h323_gatekeeper() -> Resource {
    server("h323_gatekeeper", "H.323 Gatekeeper", "H.323 gatekeeper")
        .field(
            "port",
            integer(
                "The port on which the gatekeeper listens for RAS. Range: 1 to 65535.",
                1719,
            ),
        )
        .build()
}

fn sip_credential() -> Resource {
    ResourceBuilder::new("sip_credential", "SIP credentials", Section::CallControl)
        .secret("password", "The password used to authenticate to the SIP realm. Maximum length: 100 characters.")
        .field("realm", string("The SIP realm that the credentials authenticate to. Maximum length: 250 characters."))
        .field("username", string("The username used to authenticate to the SIP realm. Maximum length: 100 characters."))
        .filter(&["realm", "username"])
        .order(&["realm", "username"])
        .build()
}

fn sip_proxy() -> Resource {
    server("sip_proxy", "SIP proxy", "SIP proxy")
        .field("port", opt_integer("The port on which the proxy listens; leave blank for the transport's default. Range: 1 to 65535."))
        .field("transport", choice("The transport protocol used to reach the proxy.", "tls", &["tcp", "udp", "tls"]))
        .build()
}

fn mssip_proxy() -> Resource {
    server(
        "mssip_proxy",
        "Microsoft SIP proxy",
        "Skype for Business / Lync server",
    )
    .field(
        "port",
        integer(
            "The port on which the server listens. Range: 1 to 65535.",
            5061,
        ),
    )
    .field(
        "transport",
        choice(
            "The transport protocol used to reach the server.",
            "tls",
            &["tcp", "tls"],
        ),
    )
    .build()
}

fn turn_server() -> Resource {
    server("turn_server", "TURN server", "TURN server")
        .secret("password", "The password used to authenticate to the TURN server. Maximum length: 100 characters.")
        .field("port", integer("The port on which the TURN server listens. Range: 1 to 65535.", 3478))
        .secret("secret_key", "The shared secret used to derive time-limited credentials. Maximum length: 100 characters.")
        .field("server_type", choice("How clients authenticate to the TURN server.", "namepsw", &["namepsw", "coturn_shared"]))
        .field("transport_type", choice("The transport used to reach the TURN server.", "udp", &["udp", "tcp", "tls"]))
        .field("username", text("The username used to authenticate to the TURN server. Maximum length: 100 characters."))
        .build()
}

fn stun_server() -> Resource {
    server("stun_server", "STUN server", "STUN server")
        .field(
            "port",
            integer(
                "The port on which the STUN server listens. Range: 1 to 65535.",
                3478,
            ),
        )
        .build()
}

fn policy_server() -> Resource {
    ResourceBuilder::new("policy_server", "Policy server", Section::CallControl)
        .field("description", text("A description of the policy server. Maximum length: 250 characters."))
        .field("enable_avatar_lookup", boolean("Ask the policy server for participant avatars.", false))
        .field("enable_directory_lookup", boolean("Ask the policy server for directory information.", false))
        .field("enable_participant_lookup", boolean("Ask the policy server for participant properties.", false))
        .field("enable_registration_lookup", boolean("Ask the policy server whether a device may register.", false))
        .field("enable_service_lookup", boolean("Ask the policy server for service configuration.", false))
        .field("name", string("The name used to refer to this policy server. Maximum length: 250 characters.").unique())
        .secret("password", "The password used to authenticate to the policy server. Maximum length: 100 characters.")
        .field("url", string("The URL of the policy server. Maximum length: 255 characters."))
        .field("username", text("The username used to authenticate to the policy server. Maximum length: 100 characters."))
        .filter(&["name", "url", "description"])
        .order(&["name", "url"])
        .build()
}
