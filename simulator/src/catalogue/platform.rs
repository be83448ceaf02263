//! Platform configuration: locations, the Management Node, Conferencing Nodes, licences,
//! certificates and the global settings.

use serde_json::json;

use super::builder::{READ_ONLY, ResourceBuilder};
use super::field::*;
use super::services::CRYPTO_MODES;
use super::{IdKind, Resource, Section};

/// `deployment_type` of a Conferencing Node in v14.
pub const DEPLOYMENT_TYPES_V14: &[&str] = &[
    "MANUAL",
    "MANUAL-ESXI4",
    "MANUAL-HYPERV2012",
    "MANUAL-KVM",
    "MANUAL-XENSERVER",
    "MANUAL-PROVISION-ONLY",
    "VMWARE",
    "AWS",
    "AZURE",
];

pub(super) fn resources() -> Vec<Resource> {
    vec![
        system_location(),
        management_vm(),
        worker_vm(),
        licence(),
        licence_request(),
        ca_certificate(),
        tls_certificate(),
        certificate_signing_request(),
        global(),
    ]
}

fn system_location() -> Resource {
    ResourceBuilder::new("system_location", "System location", Section::Platform)
        .related("client_stun_servers", "stun_server", to_many("The STUN servers that Infinity Connect WebRTC clients in this location use."))
        .related("client_turn_servers", "turn_server", to_many("The TURN servers that Infinity Connect WebRTC clients in this location use."))
        .field("description", text("A description of the location. Maximum length: 250 characters."))
        .related("dns_servers", "dns_server", to_many("The DNS servers used by Conferencing Nodes in this location."))
        .related("h323_gatekeeper", "h323_gatekeeper", to_one("The H.323 gatekeeper used for outbound H.323 calls from this location."))
        .field("local_mssip_domain", text("The name of the SIP domain routed from Skype for Business / Lync to this location. Maximum length: 255 characters."))
        .related("mssip_proxy", "mssip_proxy", to_one("The Skype for Business / Lync server used for outbound calls from this location."))
        .field("mtu", integer("The maximum transmission unit of the network interfaces of Conferencing Nodes in this location. Range: 512 to 1500.", 1500))
        .field("name", string("The name used to refer to this location. Maximum length: 250 characters.").unique())
        .related("ntp_servers", "ntp_server", to_many("The NTP servers used by Conferencing Nodes in this location."))
        .related("overflow_location1", "system_location", to_one("The location to which media is sent when this location is out of capacity."))
        .related("overflow_location2", "system_location", to_one("The location to which media is sent when this location and the primary overflow location are out of capacity."))
        .related("policy_server", "policy_server", to_one("The policy server consulted by Conferencing Nodes in this location."))
        .related("sip_proxy", "sip_proxy", to_one("The SIP proxy used for outbound SIP calls from this location."))
        .related("snmp_network_management_system", "snmp_network_management_system", to_one("The network management system to which SNMP traps from this location are sent."))
        .related("stun_server", "stun_server", to_one("The STUN server used by Conferencing Nodes in this location."))
        .related("syslog_servers", "syslog_server", to_many("The remote syslog servers used by Conferencing Nodes in this location."))
        .related("transcoding_location", "system_location", to_one("The location whose Conferencing Nodes handle transcoding for calls received in this location."))
        .related("turn_server", "turn_server", to_one("The TURN server used by Conferencing Nodes in this location."))
        .filter(&["name", "description", "mtu", "local_mssip_domain"])
        .filter_related(&["dns_servers", "ntp_servers", "overflow_location1", "overflow_location2", "transcoding_location"])
        .order(&["name", "description", "mtu"])
        .build()
}

fn node_network(b: ResourceBuilder) -> ResourceBuilder {
    b.field("address", string("The IPv4 address of the node. Maximum length: 255 characters.").unique())
        .field("description", text("A description of the node. Maximum length: 250 characters."))
        .field("domain", string("The domain of the node, which with the hostname forms its FQDN. Maximum length: 192 characters."))
        .field("enable_ssh", choice("Allow SSH access to the node. GLOBAL: use the global setting.", "GLOBAL", &["GLOBAL", "ON", "OFF"]))
        .field("gateway", string("The IPv4 address of the default gateway. Maximum length: 255 characters."))
        .field("hostname", string("The hostname of the node. Maximum length: 63 characters."))
        .field("ipv6_address", text("The IPv6 address of the node. Maximum length: 255 characters."))
        .field("ipv6_gateway", text("The IPv6 address of the default gateway. Maximum length: 255 characters."))
        .field("name", string("The name used to refer to this node. Maximum length: 32 characters.").unique())
        .field("netmask", string("The IPv4 network mask of the node. Maximum length: 255 characters."))
        .secret("snmp_authentication_password", "The password used for SNMPv3 authentication. Minimum length: 8 characters. Maximum length: 100 characters.")
        .field("snmp_community", string("The SNMPv1/v2c community name. Maximum length: 16 characters.").default(json!("public")))
        .field("snmp_mode", choice("The SNMP mode of the node.", "DISABLED", &["DISABLED", "STANDARD", "AUTHPRIV"]))
        .secret("snmp_privacy_password", "The password used for SNMPv3 privacy. Minimum length: 8 characters. Maximum length: 100 characters.")
        .field("snmp_system_contact", text("The SNMP sysContact. Maximum length: 70 characters.").default(json!("admin@domain.com")))
        .field("snmp_system_location", text("The SNMP sysLocation. Maximum length: 70 characters.").default(json!("Virtual machine")))
        .field("snmp_username", text("The SNMPv3 username. Maximum length: 100 characters."))
        .related("static_routes", "static_route", to_many("The static routes of the node."))
        .related("tls_certificate", "tls_certificate", to_one("The TLS certificate the node presents."))
}

fn management_vm() -> Resource {
    node_network(ResourceBuilder::new(
        "management_vm",
        "Management Node",
        Section::Platform,
    ))
    .methods(READ_ONLY, &["get", "patch", "put"])
    .field(
        "alternative_fqdn",
        text("An alternative FQDN of the Management Node. Maximum length: 255 characters."),
    )
    .related(
        "dns_servers",
        "dns_server",
        to_many("The DNS servers used by the Management Node."),
    )
    .field(
        "initializing",
        boolean(
            "Whether the Management Node is still being initialized.",
            false,
        )
        .readonly(),
    )
    .field(
        "mtu",
        integer(
            "The maximum transmission unit of the network interface. Range: 512 to 1500.",
            1500,
        ),
    )
    .related(
        "ntp_servers",
        "ntp_server",
        to_many("The NTP servers used by the Management Node."),
    )
    .field(
        "primary",
        boolean("Whether this is the primary Management Node.", true).readonly(),
    )
    .related(
        "syslog_servers",
        "syslog_server",
        to_many("The remote syslog servers used by the Management Node."),
    )
    .filter(&["name", "hostname", "address"])
    .order(&["name"])
    .build()
}

fn worker_vm() -> Resource {
    node_network(ResourceBuilder::new("worker_vm", "Conferencing Node", Section::Platform))
        .field("cloud_bursting", boolean("Whether this node is a dynamic bursting node, started and stopped on demand.", false))
        .field("deployment_type", choice("How the node is deployed. VMWARE: automatically, onto a VMware host. MANUAL types: download a file for manual deployment. MANUAL-PROVISION-ONLY: a provisioning document for a VM template.", "MANUAL-PROVISION-ONLY", DEPLOYMENT_TYPES_V14))
        .field("enable_distributed_database", boolean("Whether the node takes part in the distributed database. Disable this only for nodes that are expected to be offline for long periods.", true))
        .field("host", opt_integer("The ID of the VM manager (host_system) onto which the node is deployed, for VMWARE deployments."))
        .field("host_network", text("The name of the network on the VM host. Maximum length: 255 characters."))
        .secret("host_password", "The password used to deploy onto the VM host. Maximum length: 100 characters.")
        .field("host_resource_path", text("The resource path on the VM host, such as /<datacenter>/host/<host>/Resources. Maximum length: 255 characters."))
        .field("host_username", text("The username used to deploy onto the VM host. Maximum length: 100 characters."))
        .field("maintenance_mode", boolean("While in maintenance mode the node accepts no new calls.", false))
        .field("maintenance_mode_reason", text("Why the node is in maintenance mode. Maximum length: 250 characters."))
        .field("node_type", choice("The role of the node.", "CONFERENCING", &["CONFERENCING", "PROXYING"]))
        .secret("password", "The password of the node's administrator account. Maximum length: 100 characters.")
        .field("secondary_address", text("The IPv4 address of the node's secondary network interface. Maximum length: 255 characters."))
        .field("secondary_netmask", text("The IPv4 network mask of the secondary network interface. Maximum length: 255 characters."))
        .field("static_nat_address", text("The public IPv4 address by which the node is reached through static NAT. Maximum length: 255 characters."))
        .related("system_location", "system_location", to_one("The location of the node.").required())
        .field("transcoding", boolean("Whether the node handles media (transcoding) as well as signalling.", true))
        .field("vm_cpu_count", integer("The number of virtual CPUs of the node; no more than the physical cores of one processor of the host. Range: 2 to 128. Default: 4.", 4))
        .field("vm_system_memory", integer("The memory of the node, in megabytes. Range: 2000 to 64000. Default: 4096.", 4096))
        .filter(&["name", "hostname", "domain", "address", "description", "deployment_type", "maintenance_mode", "node_type", "transcoding", "cloud_bursting"])
        .filter_related(&["system_location"])
        .order(&["name", "hostname", "address", "description", "deployment_type", "maintenance_mode"])
        .build()
}

fn licence() -> Resource {
    ResourceBuilder::new("licence", "Licensing", Section::Platform)
        .id_kind(IdKind::Key("fulfillment_id"))
        .methods(&["get", "post"], &["get", "delete"])
        .field("activatable", integer("The number of activatable licences.", 0).readonly())
        .field("activatable_overdraft", integer("The overdraft of activatable licences.", 0).readonly())
        .field("concurrent", integer("The number of concurrent (port) licences.", 0).readonly())
        .field("concurrent_overdraft", integer("The overdraft of concurrent licences.", 0).readonly())
        .field("entitlement_id", string("The entitlement key, in the form XXXX-XXXX-XXXX-XXXX where X is a hexadecimal digit. Maximum length: 19 characters."))
        .field("expiration_date", text("The date at which the licence expires, or permanent.").readonly())
        .field("features", text("The features the licence enables.").readonly())
        .field("fulfillment_id", text("The 10-digit fulfillment ID of the activated licence.").readonly().unique())
        .field("fulfillment_type", text("The kind of fulfillment.").readonly())
        .field("hybrid", integer("The number of hybrid licences.", 0).readonly())
        .field("hybrid_overdraft", integer("The overdraft of hybrid licences.", 0).readonly())
        .field("license_type", text("The type of licence.").readonly())
        .field("offline_mode", boolean("Activate offline: return a request document to be processed elsewhere instead of contacting the licence server.", false))
        .field("product_id", text("The product the licence is for.").readonly())
        .field("repair", integer("The number of repairs of the licence.", 0).readonly())
        .field("server_chain", text("The licence server chain.").readonly())
        .field("start_date", text("The date from which the licence is valid.").readonly())
        .field("status", text("The status of the licence.").readonly())
        .field("trust_flags", integer("The trust flags of the licence.", 0).readonly())
        .field("vendor_dictionary", dict("Vendor-specific licence data.").readonly())
        .filter(&["fulfillment_id", "entitlement_id", "status", "product_id"])
        .order(&["fulfillment_id", "entitlement_id", "expiration_date", "start_date"])
        .build()
}

fn licence_request() -> Resource {
    ResourceBuilder::new("licence_request", "License request", Section::Platform)
        .id_kind(IdKind::Key("sequence_number"))
        .methods(&["get", "post"], &["get", "delete"])
        .field(
            "actions",
            text("The actions requested (activate, return, repair).").readonly(),
        )
        .field(
            "reference",
            text("The reference of the request.").readonly(),
        )
        .field(
            "request",
            text("The offline request document, to be processed by the licence server.").readonly(),
        )
        .field(
            "response",
            text("The response document from the licence server."),
        )
        .field(
            "sequence_number",
            text("The sequence number of the request.")
                .readonly()
                .unique(),
        )
        .filter(&["sequence_number", "reference"])
        .order(&["sequence_number"])
        .build()
}

fn certificate_details(b: ResourceBuilder) -> ResourceBuilder {
    b.field(
        "end_date",
        datetime("The time until which the certificate is valid.").readonly(),
    )
    .field(
        "issuer_name",
        text("The distinguished name of the issuer.").readonly(),
    )
    .field(
        "serial_no",
        text("The serial number of the certificate.").readonly(),
    )
    .field(
        "start_date",
        datetime("The time from which the certificate is valid.").readonly(),
    )
    .field(
        "subject_name",
        text("The distinguished name of the subject.").readonly(),
    )
}

fn ca_certificate() -> Resource {
    certificate_details(ResourceBuilder::new(
        "ca_certificate",
        "CA certificate",
        Section::Platform,
    ))
    .field(
        "certificate",
        string("The PEM-encoded certificate of a trusted certificate authority."),
    )
    .field(
        "text",
        text("A human-readable rendering of the certificate.").readonly(),
    )
    .filter(&["subject_name", "issuer_name", "serial_no", "end_date"])
    .order(&["subject_name", "issuer_name", "end_date", "start_date"])
    .build()
}

fn tls_certificate() -> Resource {
    certificate_details(ResourceBuilder::new(
        "tls_certificate",
        "TLS certificate",
        Section::Platform,
    ))
    .field(
        "certificate",
        string("The PEM-encoded certificate and any intermediate certificates."),
    )
    .related(
        "nodes",
        "worker_vm",
        to_many("The Conferencing Nodes that present this certificate."),
    )
    .field(
        "parameters",
        text("Optional PEM-encoded Diffie-Hellman parameters."),
    )
    .secret(
        "private_key",
        "The PEM-encoded private key of the certificate.",
    )
    .field(
        "subject_alt_names",
        text("The subject alternative names of the certificate.").readonly(),
    )
    .filter(&["subject_name", "issuer_name", "serial_no", "end_date"])
    .filter_related(&["nodes"])
    .order(&["subject_name", "issuer_name", "end_date", "start_date"])
    .build()
}

fn certificate_signing_request() -> Resource {
    ResourceBuilder::new("certificate_signing_request", "Certificate signing request (CSR)", Section::Platform)
        .field("additional_subject_alt_names", text("Further subject alternative names, separated by commas. Maximum length: 4096 characters."))
        .field("certificate", text("The signed certificate, uploaded to complete the request."))
        .field("csr", text("The PEM-encoded certificate signing request.").readonly())
        .related("ca_certificate", "ca_certificate", to_one("The CA certificate of the signing authority, once known."))
        .field("private_key_type", choice("The type of the private key to generate.", "rsa2048", &["rsa2048", "rsa4096", "ecdsa256", "ecdsa384"]))
        .field("subject_name", string("The distinguished name of the subject, such as CN=px.example.com. Maximum length: 4096 characters."))
        .related("tls_certificate", "tls_certificate", to_one("The TLS certificate created from this request once it is signed.").readonly())
        .filter(&["subject_name"])
        .order(&["subject_name"])
        .build()
}

fn global() -> Resource {
    ResourceBuilder::new("global", "Global settings", Section::Platform)
        .singleton()
        .field("aws_access_key", text("The AWS access key ID the Management Node uses to start and stop bursting nodes. Maximum length: 40 characters."))
        .secret("aws_secret_key", "The AWS secret key used for dynamic bursting. Maximum length: 100 characters.")
        .field("bdpm_max_pin_failures_per_window", integer("The number of PIN failures per service allowed from unknown sources in any 10-minute window before the service is protected. Range: 5 to 200.", 20))
        .field("bdpm_pin_checks_enabled", boolean("Protect services against PIN brute-force attacks.", true))
        .field("bdpm_scan_quarantine_enabled", boolean("Quarantine sources that scan for services (VoIP scanners).", true))
        .field("bursting_enabled", boolean("Enable dynamic bursting into a cloud service.", false))
        .field("bursting_min_lifetime", integer("The minimum number of minutes a bursting node is kept running once started. Minimum: 5", 50))
        .field("bursting_threshold", integer("The spare capacity, in HD calls, at or below which bursting nodes are started. Range: 1 to 100.", 5))
        .field("cloud_provider", choice("The cloud service used for dynamic bursting.", "AWS", &["AWS", "AZURE"]))
        .field("conference_create_permissions", choice("Who may create conferences with the Infinity Connect dial-out API.", "admin_only", &["none", "admin_only", "any_authenticated"]))
        .field("contact_email_address", text("The email address shown to users who need help with this deployment. Maximum length: 100 characters."))
        .field("content_security_policy_header", text("The Content-Security-Policy header sent by web services. Maximum length: 4096 characters.").default(json!("upgrade-insecure-requests; default-src 'self'; frame-src 'self' https://telemetryservice.firstpartyapps.oaspapps.com/telemetryservice/telemetryproxy.html https://*.microsoft.com https://*.office.com; style-src 'self' 'unsafe-inline' https://*.microsoft.com https://*.office.com; object-src 'self'; font-src 'self' https://*.microsoft.com https://*.office.com; img-src 'self' https://www.adobe.com data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval' https://*.microsoft.com https://*.office.com https://ajax.aspnetcdn.com https://api.keen.io; media-src 'self' blob: data: https://*.microsoft.com https://*.office.com; connect-src 'self' https://*.microsoft.com https://*.office.com https://api.keen.io")))
        .field("content_security_policy_state", boolean("Send the Content-Security-Policy header.", true))
        .field("crypto_mode", choice("The media encryption requirements for participants. besteffort: encrypt when the device supports it. on: encryption required. off: no encryption.", "besteffort", CRYPTO_MODES))
        .related("default_theme", "ivr_theme", to_one("The theme used by services that have no theme of their own."))
        .field("enable_analytics", boolean("Send anonymous usage statistics to Pexip.", false))
        .field("enable_chat", boolean("Relay chat messages between participants.", true))
        .field("enable_dialout", boolean("Allow Infinity Connect clients to add participants (dial out).", true))
        .field("enable_directory", boolean("Offer the directory of services and devices to Infinity Connect clients.", true))
        .field("enable_edge_non_mesh", boolean("Allow Proxying Edge Nodes to reach Conferencing Nodes outside the full mesh.", true))
        .field("enable_fecc", boolean("Relay far-end camera control.", true))
        .field("enable_h323", boolean("Allow H.323 calls.", true))
        .field("enable_legacy_dialout_api", boolean("Allow the legacy dial-out API.", false))
        .field("enable_lync_auto_escalate", boolean("Escalate Skype for Business / Lync audio calls to video automatically.", false))
        .field("enable_lync_vbss", boolean("Allow Skype for Business video-based screen sharing.", false))
        .field("enable_mlvad", boolean("Use machine-learning voice activity detection for speaker switching.", false))
        .field("enable_multiscreen", boolean("Allow multi-screen endpoints to send and receive several video streams.", true))
        .field("enable_rtmp", boolean("Allow RTMP calls (streaming and Infinity Connect Flash clients).", true))
        .field("enable_sip", boolean("Allow SIP calls.", true))
        .field("enable_sip_udp", boolean("Allow SIP over UDP.", false))
        .field("enable_ssh", boolean("Allow SSH access to the nodes.", true))
        .field("enable_turn_443", boolean("Let WebRTC clients use TURN over TCP port 443.", false))
        .field("enable_webrtc", boolean("Allow WebRTC calls.", true))
        .field("guests_only_timeout", integer("The time, in seconds, a conference with only Guests is kept before it is ended. Range: 0 to 86400.", 60))
        .field("legacy_api_http", boolean("Serve the legacy API over HTTP.", false))
        .secret("legacy_api_password", "The password of the legacy API. Maximum length: 100 characters.")
        .field("legacy_api_username", text("The username of the legacy API. Maximum length: 100 characters."))
        .field("liveview_show_conferences", boolean("Show conferences in the Live View of the Administrator interface.", true))
        .field("local_mssip_domain", text("The name of the SIP domain routed from Skype for Business / Lync to Pexip Infinity. Maximum length: 255 characters."))
        .field("logs_max_age", integer("The number of days of logs and call history kept on Pexip nodes; 0 keeps them until space runs out. Range: 0 to 3650 days. Default: 0 (disabled).", 0))
        .field("management_qos", opt_integer("The DSCP value of the Management Node's traffic. Range: 0 to 63."))
        .field("management_session_timeout", integer("The idle time, in minutes, after which an administrator is logged out. Range: 5 to 1440. Default: 30 minutes.", 30))
        .field("management_start_page", choice("The page an administrator sees after logging in.", "/admin/conferencingstatus/deploymentgraph/deployment_graph/", &["/admin/conferencingstatus/deploymentgraph/deployment_graph/", "/admin/conferencingstatus/conference/", "/admin/configuration/conference/", "/admin/platform/workervm/"]))
        .field("max_callrate_in", opt_integer("The bandwidth limit of media received from each participant, in kbps. Range: 128 to 8192."))
        .field("max_callrate_out", opt_integer("The bandwidth limit of media sent to each participant, in kbps. Range: 128 to 8192."))
        .field("max_presentation_bandwidth_ratio", integer("The largest share of a call's bandwidth used for presentation, in percent. Range: 25 to 75.", 75))
        .field("media_ports_end", integer("The last port of the media port range. Range: 10000 to 49999.", 49999))
        .field("media_ports_start", integer("The first port of the media port range. Range: 10000 to 49999.", 40000))
        .field("ocsp_responder_url", text("The URL of the OCSP responder used when the OCSP state is OVERRIDE. Maximum length: 255 characters."))
        .field("ocsp_state", choice("How certificate revocation is checked with OCSP.", "OFF", &["OFF", "ON", "OVERRIDE"]))
        .field("pin_entry_timeout", integer("The time, in seconds, a participant may stay at the PIN entry screen before being disconnected. Range: 30 to 86400. Default: 120.", 120))
        .field("session_timeout_enabled", boolean("Log administrators out after the management session timeout.", true))
        .field("signalling_ports_end", integer("The last port of the signalling port range. Range: 10000 to 49999.", 39999))
        .field("signalling_ports_start", integer("The first port of the signalling port range. Range: 10000 to 49999.", 33000))
        .field("sip_tls_cert_verify_mode", choice("Whether SIP TLS peers' certificates are verified.", "OFF", &["OFF", "ON"]))
        .field("site_banner", text("Text shown in a banner at the top of every page of the Administrator interface. Maximum length: 255 characters."))
        .field("site_banner_bg", choice("The background colour of the banner.", "#c0c0c0", &["#c0c0c0", "#ff0000", "#ffa500", "#ffff00", "#008000", "#0000ff"]))
        .field("site_banner_fg", choice("The text colour of the banner.", "#000000", &["#000000", "#ffffff"]))
        .field("waiting_for_chair_timeout", integer("The time, in seconds, Guests wait for a Host before they are disconnected. Range: 0 to 86400.", 900))
        .build()
}
