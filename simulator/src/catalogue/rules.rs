//! Resource-specific rules that a schema cannot state: cross-field checks (reported under
//! `__all__` unless tied to one field), value formats (addresses, regular expressions,
//! entitlement keys), and defaults that depend on other fields.
//!
//! The validator calls [`check`] on the object as it would be stored (defaults, then the
//! request's values, applied), after the schema-level checks (required, types, limits,
//! choices) have passed for the fields involved.

use std::net::{IpAddr, Ipv4Addr};

use pexip::{FormErrors, NON_FIELD_ERRORS};
use serde_json::{Map, Value};

type Object = Map<String, Value>;

/// Sets the defaults that depend on other values of the request: for a conference, the
/// layouts depend on `service_type` (a Virtual Auditorium shows Guests only the main speaker).
/// Values the request gives are left alone.
pub fn dependent_defaults(resource: &str, request: &Object, object: &mut Object) {
    if resource != "conference" {
        return;
    }
    let service_type = request
        .get("service_type")
        .and_then(Value::as_str)
        .unwrap_or("conference");
    let (host_view, guest_view) = match service_type {
        "lecture" => ("one_main_seven_pips", Value::from("one_main_zero_pips")),
        _ => ("one_main_seven_pips", Value::Null),
    };
    if !request.contains_key("host_view") {
        object.insert("host_view".into(), Value::from(host_view));
    }
    if !request.contains_key("guest_view") {
        object.insert("guest_view".into(), guest_view);
    }
}

/// A UUID (version 4 layout) for a server-owned `uuid` field, derived from the resource, the
/// request and the time, so equal runs give equal ids and different objects different ones.
pub fn server_uuid(resource: &str, request: &Object, now: &str) -> String {
    let seed = format!(
        "{resource}\u{0}{}\u{0}{now}",
        Value::Object(request.clone())
    );
    let hash = |salt: u64| {
        seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ salt, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (a, b) = (hash(0), hash(0x9e37_79b9_7f4a_7c15));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 | (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// Checks the rules of `resource` on `object`, adding messages to `errors`.
pub fn check(resource: &str, object: &Object, errors: &mut FormErrors) {
    match resource {
        "conference" => conference(object, errors),
        "gateway_routing_rule" => gateway_routing_rule(object, errors),
        "automatic_participant" => automatic_participant(object, errors),
        "worker_vm" => node(object, errors, true),
        "management_vm" => node(object, errors, false),
        "dns_server" => ip_field(object, "address", errors),
        "static_route" => {
            ip_field(object, "address", errors);
            ip_field(object, "gateway", errors);
        }
        "system_location" => system_location(object, errors),
        "global" => global(object, errors),
        "licence" => licence(object, errors),
        "end_user" => email_field(object, "primary_email_address", errors),
        _ => {}
    }
}

fn str_of<'a>(object: &'a Object, field: &str) -> &'a str {
    object.get(field).and_then(Value::as_str).unwrap_or("")
}

fn bool_of(object: &Object, field: &str) -> bool {
    object.get(field).and_then(Value::as_bool).unwrap_or(false)
}

fn conference(object: &Object, errors: &mut FormErrors) {
    email_field(object, "primary_owner_email_address", errors);
    for pattern in ["match_string", "post_match_string"] {
        regex_field(object, pattern, errors);
    }
    // Virtual Receptions, Test Call Services and Media Playback Services have no Hosts and
    // Guests: their PINs follow no pairing rules.
    if !matches!(str_of(object, "service_type"), "conference" | "lecture") {
        return;
    }
    let pin = str_of(object, "pin");
    let guest_pin = str_of(object, "guest_pin");
    let allow_guests = bool_of(object, "allow_guests");
    if allow_guests && pin.is_empty() {
        errors.add(
            NON_FIELD_ERRORS,
            "A Host PIN is required when Guests are allowed.",
        );
    }
    if !guest_pin.is_empty() {
        if pin.is_empty() {
            errors.add(
                NON_FIELD_ERRORS,
                "A Guest PIN can only be set when a Host PIN is also set.",
            );
        } else if !allow_guests {
            errors.add(
                NON_FIELD_ERRORS,
                "A Guest PIN can only be set when Guests are allowed.",
            );
        }
        if pin == guest_pin {
            errors.add(
                NON_FIELD_ERRORS,
                "The Host PIN and Guest PIN must be different.",
            );
        } else if !pin.is_empty() && pin.ends_with('#') != guest_pin.ends_with('#') {
            errors.add(
                NON_FIELD_ERRORS,
                "The Host PIN and Guest PIN must either both end with # or neither end with #.",
            );
        }
    }
}

fn regex_field(object: &Object, field: &str, errors: &mut FormErrors) {
    let pattern = str_of(object, field);
    if !pattern.is_empty() && regex::Regex::new(pattern).is_err() {
        errors.add(field, "Enter a valid regular expression.");
    }
}

fn gateway_routing_rule(object: &Object, errors: &mut FormErrors) {
    regex_field(object, "match_string", errors);
    if !bool_of(object, "match_incoming_calls") && !bool_of(object, "match_outgoing_calls") {
        errors.add(
            NON_FIELD_ERRORS,
            "A rule must match incoming calls, outgoing calls or both.",
        );
    }
}

fn automatic_participant(object: &Object, errors: &mut FormErrors) {
    let alias = str_of(object, "alias");
    let is_rtmp_url = alias.starts_with("rtmp://") || alias.starts_with("rtmps://");
    if str_of(object, "protocol") == "rtmp" && !alias.is_empty() && !is_rtmp_url {
        errors.add(
            "alias",
            "An RTMP participant's alias must be an rtmp:// or rtmps:// URL.",
        );
    }
}

fn node(object: &Object, errors: &mut FormErrors, deployable: bool) {
    let address = ipv4_field(object, "address", errors);
    let netmask = ipv4_field(object, "netmask", errors);
    let gateway = ipv4_field(object, "gateway", errors);
    if let Some(mask) = netmask
        && !is_contiguous_mask(mask)
    {
        errors.add("netmask", "Enter a valid IPv4 network mask.");
    } else if let (Some(a), Some(m), Some(g)) = (address, netmask, gateway)
        && (u32::from(a) & u32::from(m)) != (u32::from(g) & u32::from(m))
    {
        errors.add(
            NON_FIELD_ERRORS,
            "The gateway must be in the same subnet as the IPv4 address.",
        );
    }
    for optional in [
        "secondary_address",
        "secondary_netmask",
        "static_nat_address",
    ] {
        if !str_of(object, optional).is_empty() {
            ipv4_field(object, optional, errors);
        }
    }
    for optional in ["ipv6_address", "ipv6_gateway"] {
        let value = str_of(object, optional);
        if !value.is_empty() && value.parse::<std::net::Ipv6Addr>().is_err() {
            errors.add(optional, "Enter a valid IPv6 address.");
        }
    }
    let to_vmware = deployable && str_of(object, "deployment_type") == "VMWARE";
    if to_vmware && object.contains_key("host") {
        if object.get("host").is_none_or(Value::is_null) {
            errors.add("host", "This field is required when deploying to VMware.");
        }
        for field in [
            "host_username",
            "host_password",
            "host_network",
            "host_resource_path",
        ] {
            if str_of(object, field).is_empty() {
                errors.add(field, "This field is required when deploying to VMware.");
            }
        }
    }
}

fn system_location(object: &Object, errors: &mut FormErrors) {
    let first = object.get("overflow_location1").filter(|v| !v.is_null());
    let second = object.get("overflow_location2").filter(|v| !v.is_null());
    if first.is_some() && first == second {
        errors.add(
            NON_FIELD_ERRORS,
            "The primary and secondary overflow locations must be different.",
        );
    }
}

fn global(object: &Object, errors: &mut FormErrors) {
    let int = |f: &str| object.get(f).and_then(Value::as_i64);
    let media = (int("media_ports_start"), int("media_ports_end"));
    let signalling = (int("signalling_ports_start"), int("signalling_ports_end"));
    if let (Some(start), Some(end)) = media
        && start >= end
    {
        errors.add(
            NON_FIELD_ERRORS,
            "The media port range must start below its end.",
        );
    }
    if let (Some(start), Some(end)) = signalling
        && start >= end
    {
        errors.add(
            NON_FIELD_ERRORS,
            "The signalling port range must start below its end.",
        );
    }
    if let ((Some(ms), Some(me)), (Some(ss), Some(se))) = (media, signalling)
        && ms <= se
        && ss <= me
    {
        errors.add(
            NON_FIELD_ERRORS,
            "The media and signalling port ranges must not overlap.",
        );
    }
}

fn licence(object: &Object, errors: &mut FormErrors) {
    let key = str_of(object, "entitlement_id");
    if !key.is_empty() && !is_entitlement_key(key) {
        errors.add(
            "entitlement_id",
            "Enter a valid entitlement key in the form XXXX-XXXX-XXXX-XXXX, where X is a hexadecimal digit.",
        );
    }
}

/// `XXXX-XXXX-XXXX-XXXX` with hexadecimal digits.
pub fn is_entitlement_key(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn ip_field(object: &Object, field: &str, errors: &mut FormErrors) {
    let value = str_of(object, field);
    if !value.is_empty() && value.parse::<IpAddr>().is_err() {
        errors.add(field, "Enter a valid IPv4 or IPv6 address.");
    }
}

fn ipv4_field(object: &Object, field: &str, errors: &mut FormErrors) -> Option<Ipv4Addr> {
    let value = str_of(object, field);
    if value.is_empty() {
        return None;
    }
    let parsed = value.parse::<Ipv4Addr>().ok();
    if parsed.is_none() {
        errors.add(field, "Enter a valid IPv4 address.");
    }
    parsed
}

fn is_contiguous_mask(mask: Ipv4Addr) -> bool {
    let bits = u32::from(mask);
    bits.leading_ones() + bits.trailing_zeros() == 32
}

fn email_field(object: &Object, field: &str, errors: &mut FormErrors) {
    let value = str_of(object, field);
    if !value.is_empty() && !is_email(value) {
        errors.add(field, "Enter a valid email address.");
    }
}

fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(resource: &str, value: Value) -> FormErrors {
        let mut errors = FormErrors::new(resource);
        check(resource, value.as_object().unwrap(), &mut errors);
        errors
    }

    #[test]
    fn guest_pin_rules() {
        let ok = run(
            "conference",
            json!({"service_type": "conference", "pin": "1234", "guest_pin": "5678", "allow_guests": true}),
        );
        assert!(ok.is_empty(), "{ok}");
        let same = run(
            "conference",
            json!({"service_type": "conference", "pin": "1234", "guest_pin": "1234", "allow_guests": true}),
        );
        assert_eq!(
            same.non_field(),
            ["The Host PIN and Guest PIN must be different."]
        );
        let no_host = run(
            "conference",
            json!({"service_type": "lecture", "pin": "", "guest_pin": "1234", "allow_guests": true}),
        );
        assert!(no_host.non_field().len() == 2, "{no_host}");
        let not_allowed = run(
            "conference",
            json!({"service_type": "conference", "pin": "1234", "guest_pin": "5678", "allow_guests": false}),
        );
        assert_eq!(
            not_allowed.non_field(),
            ["A Guest PIN can only be set when Guests are allowed."]
        );
        let hash = run(
            "conference",
            json!({"service_type": "conference", "pin": "1234#", "guest_pin": "5678", "allow_guests": true}),
        );
        assert_eq!(hash.non_field().len(), 1);
    }

    #[test]
    fn reception_patterns_must_be_regular_expressions() {
        let e = run(
            "conference",
            json!({"service_type": "two_stage_dialing", "match_string": "(8\\d+", "post_match_string": "^\\d{6}$"}),
        );
        assert_eq!(
            e.field("match_string"),
            ["Enter a valid regular expression."]
        );
        assert!(e.field("post_match_string").is_empty());
    }

    #[test]
    fn receptions_have_no_pin_rules() {
        let e = run(
            "conference",
            json!({"service_type": "two_stage_dialing", "pin": "", "guest_pin": "1234", "allow_guests": true}),
        );
        assert!(e.is_empty(), "{e}");
    }

    #[test]
    fn owner_email_format() {
        let e = run(
            "conference",
            json!({"service_type": "conference", "primary_owner_email_address": "not an email"}),
        );
        assert_eq!(
            e.field("primary_owner_email_address"),
            ["Enter a valid email address."]
        );
        let e = run(
            "conference",
            json!({"service_type": "conference", "primary_owner_email_address": "alice@example.com"}),
        );
        assert!(e.is_empty());
    }

    #[test]
    fn gateway_rules() {
        let e = run(
            "gateway_routing_rule",
            json!({"match_string": "9(.*", "match_incoming_calls": false, "match_outgoing_calls": false}),
        );
        assert_eq!(
            e.field("match_string"),
            ["Enter a valid regular expression."]
        );
        assert_eq!(e.non_field().len(), 1, "{e}");
        let ok = run(
            "gateway_routing_rule",
            json!({"match_string": ".*@mycompany\\.com", "match_incoming_calls": false, "match_outgoing_calls": true,
                   "called_device_type": "registration", "outgoing_protocol": "sip"}),
        );
        assert!(ok.is_empty(), "{ok}");
    }

    #[test]
    fn node_addresses() {
        let ok = run(
            "worker_vm",
            json!({"address": "10.0.1.10", "netmask": "255.255.255.0", "gateway": "10.0.1.1", "deployment_type": "MANUAL"}),
        );
        assert!(ok.is_empty(), "{ok}");
        let bad = run(
            "worker_vm",
            json!({"address": "10.0.1.300", "netmask": "255.0.255.0", "gateway": "10.0.2.1"}),
        );
        assert_eq!(bad.field("address"), ["Enter a valid IPv4 address."]);
        assert_eq!(bad.field("netmask"), ["Enter a valid IPv4 network mask."]);
        let subnet = run(
            "worker_vm",
            json!({"address": "10.0.1.10", "netmask": "255.255.255.0", "gateway": "10.0.2.1"}),
        );
        assert_eq!(subnet.non_field().len(), 1);
        let vmware = run(
            "worker_vm",
            json!({"address": "10.0.1.10", "netmask": "255.255.255.0", "gateway": "10.0.1.1",
                   "deployment_type": "VMWARE", "host": null, "host_username": "u"}),
        );
        assert_eq!(vmware.field("host").len(), 1);
        assert!(vmware.field("host_username").is_empty());
        assert_eq!(vmware.field("host_password").len(), 1);
    }

    #[test]
    fn entitlement_keys_and_ports() {
        assert!(is_entitlement_key("ABCD-1234-ef01-9999"));
        assert!(!is_entitlement_key("ABCD-1234-ef01"));
        assert!(!is_entitlement_key("ABCG-1234-ef01-9999"));
        let e = run("licence", json!({"entitlement_id": "nope"}));
        assert_eq!(e.field("entitlement_id").len(), 1);
        let e = run(
            "global",
            json!({"media_ports_start": 40000, "media_ports_end": 49999,
                   "signalling_ports_start": 33000, "signalling_ports_end": 41000}),
        );
        assert_eq!(
            e.non_field(),
            ["The media and signalling port ranges must not overlap."]
        );
    }

    #[test]
    fn lecture_guest_view_default() {
        let mut object = Map::new();
        let req = json!({"service_type": "lecture", "host_view": "one_main_zero_pips"});
        dependent_defaults("conference", req.as_object().unwrap(), &mut object);
        assert!(
            !object.contains_key("host_view"),
            "a given value is not overwritten"
        );
        assert_eq!(object["guest_view"], "one_main_zero_pips");
    }
}
