//! System configuration: DNS, NTP, syslog, SNMP managers, VM managers, static routes.

use serde_json::json;

use super::builder::ResourceBuilder;
use super::field::*;
use super::{Resource, Section};

pub(super) fn resources() -> Vec<Resource> {
    vec![
        dns_server(),
        ntp_server(),
        syslog_server(),
        snmp_network_management_system(),
        host_system(),
        static_route(),
    ]
}

fn dns_server() -> Resource {
    ResourceBuilder::new("dns_server", "DNS server", Section::System)
        .field(
            "address",
            string("The IPv4 or IPv6 address of the DNS server. Maximum length: 255 characters.")
                .unique(),
        )
        .field(
            "description",
            text("A description of the DNS server. Maximum length: 250 characters."),
        )
        .filter(&["address", "description"])
        .order(&["address", "description"])
        .build()
}

fn ntp_server() -> Resource {
    ResourceBuilder::new("ntp_server", "NTP server", Section::System)
        .field(
            "address",
            string("The IP address or FQDN of the NTP server. Maximum length: 255 characters.")
                .unique(),
        )
        .field(
            "description",
            text("A description of the NTP server. Maximum length: 250 characters."),
        )
        .secret(
            "key",
            "The key used to authenticate with the NTP server. Maximum length: 100 characters.",
        )
        .field(
            "key_id",
            opt_integer(
                "The ID of the key used to authenticate with the NTP server. Range: 1 to 65535.",
            ),
        )
        .filter(&["address", "description"])
        .order(&["address", "description"])
        .build()
}

fn syslog_server() -> Resource {
    ResourceBuilder::new("syslog_server", "Syslog server", Section::System)
        .field("address", string("The IP address or FQDN of the remote syslog server. Maximum length: 255 characters."))
        .field("audit_log", boolean("Send the audit log to this server.", false))
        .field("description", text("A description of the syslog server. Maximum length: 250 characters."))
        .field("port", integer("The port on which the remote syslog server listens. Range: 1 to 65535.", 514))
        .field("support_log", boolean("Send the support log to this server.", true))
        .field("transport", choice("The transport protocol used to reach the syslog server.", "udp", &["udp", "tcp", "tls"]))
        .field("web_log", boolean("Send the web server log to this server.", false))
        .filter(&["address", "description", "port", "transport"])
        .order(&["address", "description", "port"])
        .build()
}

fn snmp_network_management_system() -> Resource {
    ResourceBuilder::new("snmp_network_management_system", "SNMP NMS", Section::System)
        .field("address", string("The IP address or FQDN of the network management system. Maximum length: 255 characters."))
        .field("description", text("A description of the network management system. Maximum length: 250 characters."))
        .field("name", string("The name used to refer to this network management system. Maximum length: 250 characters.").unique())
        .field("port", integer("The port to which SNMP traps are sent. Range: 1 to 65535.", 161))
        .field("snmp_trap_community", string("The SNMP trap community name. Maximum length: 16 characters.").default(json!("public")))
        .filter(&["name", "address", "description"])
        .order(&["name", "address"])
        .build()
}

fn host_system() -> Resource {
    ResourceBuilder::new("host_system", "VM manager", Section::System)
        .field("address", string("The IP address or FQDN of the VM manager (vCenter or ESXi host). Maximum length: 255 characters."))
        .field("description", text("A description of the VM manager. Maximum length: 250 characters."))
        .field("host_type", choice("The type of the VM manager.", "vmware", &["vmware"]))
        .field("name", string("The name used to refer to this VM manager. Maximum length: 250 characters.").unique())
        .secret("password", "The password used to log in to the VM manager. Maximum length: 100 characters.")
        .field("username", text("The username used to log in to the VM manager. Maximum length: 100 characters."))
        .filter(&["name", "address", "description"])
        .order(&["name", "address"])
        .build()
}

fn static_route() -> Resource {
    ResourceBuilder::new("static_route", "Static route", Section::System)
        .field("address", string("The IPv4 or IPv6 address of the destination network. Maximum length: 255 characters."))
        .field("gateway", string("The IPv4 or IPv6 address of the gateway to the destination network. Maximum length: 255 characters."))
        .field("name", string("The name used to refer to this route. Maximum length: 250 characters.").unique())
        .field("prefix", integer("The prefix length of the destination network. Range: 0 to 128.", 24))
        .filter(&["name", "address", "gateway"])
        .order(&["name", "address"])
        .build()
}
