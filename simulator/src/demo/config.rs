//! The configuration of the demo deployment: a company (example.com) hosting two tenants
//! (Acme on acme.example, Globex on globex.example, told apart by the services' `tag`), with
//! system locations in London, Oslo, New York, Singapore and Sydney, Conferencing Nodes in
//! them, dozens of services of every type with their aliases, themes, Automatically Dialed
//! Participants, call routing rules, registered devices, licences and the platform settings.
//!
//! Everything is deterministic: the same profile gives the same objects, ids and timestamps.
//! Objects are complete (every stored field of the profile's schema, defaults included) and in
//! their stored form: relations are resource URIs, reverse relations (a conference's aliases)
//! are left for the reader to compute.

use serde_json::{Map, Value, json};

use crate::catalogue::{CONFIG_ROOT, Catalogue, IdKind};
use crate::state::Profile;
use crate::store::{ConfigStore, ObjectId};

/// One configuration object of the demo, with the resource it belongs to and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoObject {
    pub resource: &'static str,
    pub id: ObjectId,
    pub object: Map<String, Value>,
}

/// The tenants of the demo: `(tag, alias domain, display name)`.
pub const TENANTS: &[(&str, &str, &str)] = &[
    ("acme", "acme.example", "Acme Corporation"),
    ("globex", "globex.example", "Globex"),
];

/// The company's own alias domain (services with an empty tag).
pub const HOUSE_DOMAIN: &str = "example.com";

/// The demo configuration for `profile`, in an order in which every relation points to an
/// object listed before it.
pub fn demo_config(profile: Profile) -> Vec<DemoObject> {
    let mut b = Builder::new(Catalogue::for_profile(profile));
    platform(&mut b);
    call_control(&mut b);
    let themes = themes(&mut b);
    services(&mut b, &themes);
    gateway_rules(&mut b);
    devices(&mut b);
    users(&mut b);
    b.objects
}

/// Loads the demo configuration into `store`.
pub fn load(store: &mut ConfigStore, profile: Profile) {
    for o in demo_config(profile) {
        store.put(o.resource, o.id, o.object);
    }
}

/// Creates objects the way a POST would: schema defaults, dependent defaults, the values.
struct Builder {
    catalogue: Catalogue,
    objects: Vec<DemoObject>,
    next_ids: Map<String, Value>,
    clock: u32,
}

impl Builder {
    fn new(catalogue: Catalogue) -> Self {
        Builder {
            catalogue,
            objects: Vec::new(),
            next_ids: Map::new(),
            clock: 0,
        }
    }

    /// A creation time: one step (7 minutes 13 seconds) after the previous object's.
    fn now(&mut self) -> String {
        self.clock += 1;
        let seconds = 433 * self.clock;
        let (day, rest) = (seconds / 86_400, seconds % 86_400);
        format!(
            "2026-03-{:02}T{:02}:{:02}:{:02}.{:06}",
            2 + day,
            rest / 3600,
            rest % 3600 / 60,
            rest % 60,
            (self.clock * 7919) % 1_000_000
        )
    }

    /// Adds an object of `resource` with `values` over the defaults; returns its URI (`None`
    /// when the profile has no such resource).
    fn add(&mut self, resource: &'static str, values: Value) -> Option<String> {
        self.catalogue.get(resource)?;
        let now = self.now();
        let r = self.catalogue.get(resource)?;
        let request = values.as_object().cloned().unwrap_or_default();
        let mut object = r.defaults_for(&request, &now);
        for (k, v) in request {
            if r.schema.fields.contains_key(&k) {
                object.insert(k, v);
            }
        }
        let id = match r.id_kind {
            IdKind::Integer => {
                let n = self
                    .next_ids
                    .get(resource)
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                self.next_ids.insert(resource.to_owned(), json!(n + 1));
                object.insert("id".into(), json!(n));
                ObjectId::Int(n)
            }
            IdKind::Uuid => {
                let uuid = demo_uuid(resource, self.clock);
                object.insert("id".into(), json!(uuid));
                ObjectId::Text(uuid)
            }
            IdKind::Key(field) => {
                // Stored like the objects the live side creates: the key is also the `id`
                // the store is persisted by.
                let key = object
                    .get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                object.insert("id".into(), json!(key));
                ObjectId::parse(&key)
            }
        };
        let uri = format!("{CONFIG_ROOT}{resource}/{id}/");
        object.insert("resource_uri".into(), json!(uri));
        self.objects.push(DemoObject {
            resource,
            id,
            object,
        });
        Some(uri)
    }

    /// Like [`Builder::add`] for resources every profile has.
    fn put(&mut self, resource: &'static str, values: Value) -> String {
        self.add(resource, values).unwrap_or_default()
    }
}

/// A deterministic UUID-shaped string.
fn demo_uuid(seed: &str, n: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes().chain(n.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let l = h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        l >> 52,
        l & 0xffff_ffff_ffff
    )
}

struct Site {
    name: &'static str,
    description: &'static str,
    subnet: &'static str,
    nodes: u32,
    mssip_domain: &'static str,
}

const SITES: &[Site] = &[
    Site {
        name: "London",
        description: "London datacentre (primary)",
        subnet: "10.44.1",
        nodes: 3,
        mssip_domain: "lync.example.com",
    },
    Site {
        name: "Oslo",
        description: "Oslo office",
        subnet: "10.47.1",
        nodes: 2,
        mssip_domain: "",
    },
    Site {
        name: "New York",
        description: "New York datacentre",
        subnet: "10.12.1",
        nodes: 2,
        mssip_domain: "",
    },
    Site {
        name: "Singapore",
        description: "Singapore regional hub",
        subnet: "10.65.1",
        nodes: 1,
        mssip_domain: "",
    },
    Site {
        name: "Sydney",
        description: "Sydney office",
        subnet: "10.61.1",
        nodes: 1,
        mssip_domain: "",
    },
];

fn platform(b: &mut Builder) {
    let dns: Vec<String> = [
        ("10.44.0.10", "London domain controller"),
        ("10.12.0.10", "New York domain controller"),
        ("1.1.1.1", "Public resolver"),
    ]
    .iter()
    .map(|(a, d)| b.put("dns_server", json!({"address": a, "description": d})))
    .collect();
    let ntp: Vec<String> = [
        "0.pexip.pool.ntp.org",
        "1.pexip.pool.ntp.org",
        "2.pexip.pool.ntp.org",
    ]
    .iter()
    .map(|a| {
        b.put(
            "ntp_server",
            json!({"address": a, "description": "Public NTP pool"}),
        )
    })
    .collect();
    let syslog = b.put(
        "syslog_server",
        json!({"address": "syslog.example.com", "description": "Central log collector",
               "port": 6514, "transport": "tls", "audit_log": true}),
    );
    let nms = b.put(
        "snmp_network_management_system",
        json!({"name": "Monitoring", "address": "nms.example.com", "port": 162,
               "description": "Network monitoring", "snmp_trap_community": "pexmon"}),
    );
    let vcenter = b.add(
        "host_system",
        json!({"name": "vcenter-lon", "address": "vcenter.lon.example.com",
               "description": "London vCenter", "username": "svc-pexip"}),
    );
    // The guide deploys with `'host': 1`: the VM manager's id, not its URI.
    let vcenter_id = vcenter
        .as_deref()
        .and_then(|uri| pexip::uri_id(uri).parse::<i64>().ok());
    let route = b.put(
        "static_route",
        json!({"name": "Partner network", "address": "172.20.0.0", "prefix": 16, "gateway": "10.44.1.254"}),
    );

    let mut locations: Vec<String> = Vec::new();
    for site in SITES {
        let overflow = locations.first().cloned();
        let uri = b.put(
            "system_location",
            json!({
                "name": site.name,
                "description": site.description,
                "dns_servers": [dns[0], dns[2]],
                "ntp_servers": ntp,
                "syslog_servers": [syslog],
                "snmp_network_management_system": nms,
                "overflow_location1": overflow,
                "local_mssip_domain": site.mssip_domain,
                "mtu": 1500,
            }),
        );
        locations.push(uri);
    }
    b.put(
        "management_vm",
        json!({"name": "pexmgr", "hostname": "pexmgr", "domain": HOUSE_DOMAIN,
               "address": "10.44.0.5", "netmask": "255.255.255.0", "gateway": "10.44.0.1",
               "description": "Management Node", "dns_servers": dns, "ntp_servers": ntp,
               "syslog_servers": [syslog]}),
    );
    for (site, location) in SITES.iter().zip(&locations) {
        let short = site.name.to_ascii_lowercase().replace(' ', "");
        let short = &short[..3.min(short.len())];
        for n in 1..=site.nodes {
            let first_node = n == 1;
            b.put(
                "worker_vm",
                json!({
                    "name": format!("px-{short}-{n:02}"),
                    "hostname": format!("px-{short}-{n:02}"),
                    "domain": HOUSE_DOMAIN,
                    "address": format!("{}.{}", site.subnet, 10 + n),
                    "netmask": "255.255.255.0",
                    "gateway": format!("{}.1", site.subnet),
                    "description": format!("Conferencing Node {n} in {}", site.name),
                    "system_location": location,
                    "deployment_type": if vcenter.is_some() && site.name == "London" { "VMWARE" } else { "MANUAL-PROVISION-ONLY" },
                    "host": if site.name == "London" { vcenter_id } else { None },
                    "host_username": if site.name == "London" { "svc-pexip" } else { "" },
                    "host_password": if site.name == "London" { "vcenter-demo-password" } else { "" },
                    "host_network": if site.name == "London" { "VM Network" } else { "" },
                    "host_resource_path": if site.name == "London" { "/London/host/esx-lon-01/Resources" } else { "" },
                    "vm_cpu_count": if first_node { 8 } else { 12 },
                    "vm_system_memory": if first_node { 16384 } else { 24576 },
                    "maintenance_mode": site.name == "New York" && n == 2,
                    "maintenance_mode_reason": if site.name == "New York" && n == 2 { "Host firmware upgrade" } else { "" },
                    "static_routes": if site.name == "London" { json!([route]) } else { json!([]) },
                    "snmp_mode": "STANDARD",
                    "enable_distributed_database": site.name != "Sydney",
                }),
            );
        }
    }
    for (n, (features, product, concurrent, expires)) in [
        ("port", "pexip_port", 100, "2027-06-30"),
        ("port", "pexip_port", 40, "2026-12-31"),
        ("vmr", "pexip_vmr", 500, "permanent"),
        ("audio", "pexip_audio", 50, "2027-06-30"),
    ]
    .into_iter()
    .enumerate()
    {
        b.put(
            "licence",
            json!({
                "fulfillment_id": format!("{}", 7_310_000_000_u64 + 4_817 * n as u64),
                "entitlement_id": format!("{:04X}-{:04X}-{:04X}-{:04X}", 0x3FA0 + n, 0x91C2 ^ (n * 77), 0x0B7E + 3 * n, 0xD415 - n),
                "features": features,
                "product_id": product,
                "concurrent": concurrent,
                "activatable": concurrent,
                "expiration_date": expires,
                "start_date": "2026-01-01",
                "status": "Activated",
                "license_type": "concurrent",
                "fulfillment_type": "Trusted Storage",
                "trust_flags": 3,
                "server_chain": "flexnet.pexip.com",
            }),
        );
    }
    b.put(
        "global",
        json!({"contact_email_address": "videosupport@example.com",
               "site_banner": "Example Corp video platform - production",
               "site_banner_bg": "#008000", "site_banner_fg": "#ffffff",
               "enable_analytics": false, "crypto_mode": "besteffort",
               "max_callrate_in": 4096, "max_callrate_out": 4096,
               "guests_only_timeout": 60, "waiting_for_chair_timeout": 900}),
    );
    b.put(
        "registration",
        json!({"enable": true, "refresh_strategy": "adaptive"}),
    );
    b.put("authentication", json!({"source": "LOCAL"}));
}

fn call_control(b: &mut Builder) {
    b.put(
        "h323_gatekeeper",
        json!({"name": "Corporate gatekeeper", "address": "gk.example.com", "port": 1719,
               "description": "Cisco VCS Control"}),
    );
    b.put(
        "sip_proxy",
        json!({"name": "SIP trunk", "address": "sbc.example.com", "port": 5061, "transport": "tls",
               "description": "PSTN session border controller"}),
    );
    b.put(
        "mssip_proxy",
        json!({"name": "Skype for Business pool", "address": "sfbpool.example.com",
               "port": 5061, "transport": "tls", "description": "Front End pool"}),
    );
    b.put(
        "turn_server",
        json!({"name": "Edge TURN", "address": "turn.example.com", "port": 3478,
               "transport_type": "udp", "username": "pexip", "password": "turn-demo-password",
               "description": "TURN server in the DMZ"}),
    );
    b.put(
        "stun_server",
        json!({"name": "Public STUN", "address": "stun.l.google.com", "port": 19302,
               "description": "Public STUN server"}),
    );
    b.put(
        "sip_credential",
        json!({"realm": "sbc.example.com", "username": "pexip-trunk", "password": "trunk-demo-password"}),
    );
}

/// `(name, tag)` of the themes; returns their URIs by tag.
fn themes(b: &mut Builder) -> Vec<(&'static str, String)> {
    [
        ("Example Corp", ""),
        ("Acme corporate", "acme"),
        ("Globex blue", "globex"),
        ("Holiday season", ""),
    ]
    .iter()
    .map(|(name, tag)| {
        let uuid = demo_uuid(name, 0);
        let uri = b.put(
            "ivr_theme",
            json!({"name": name, "uuid": uuid, "last_updated": "2026-02-20T10:15:00.000000"}),
        );
        (*tag, uri)
    })
    .collect()
}

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "David", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Karl",
    "Linda", "Mallory", "Nina", "Oscar", "Peggy", "Quentin", "Rupert", "Sybil", "Trent", "Ursula",
    "Victor", "Wendy", "Xavier", "Yvonne", "Zach", "Ingrid", "Lars", "Sofia", "Mei", "Kenji",
    "Priya", "Olu", "Fatima", "Diego", "Hannah",
];
const LAST: &[&str] = &[
    "Smith", "Jones", "Hansen", "Olsen", "Taylor", "Brown", "Nguyen", "Berg", "Wilson", "Moore",
    "Khan", "Tan", "Johansen", "Clark", "Lewis", "Walker",
];

const ROOM_LAYOUTS: [&str; 3] = [
    "one_main_seven_pips",
    "one_main_twentyone_pips",
    "two_mains_twentyone_pips",
];
const DEPARTMENTS: [&str; 3] = ["Sales", "Engineering", "Operations"];

/// Who owns a personal room: `(first, last, tag, domain)`.
fn person(n: usize) -> (&'static str, &'static str, &'static str, &'static str) {
    let first = FIRST[n % FIRST.len()];
    let last = LAST[(n * 7 + 3) % LAST.len()];
    let (tag, domain) = match n % 4 {
        0 | 1 => ("", HOUSE_DOMAIN),
        2 => (TENANTS[0].0, TENANTS[0].1),
        _ => (TENANTS[1].0, TENANTS[1].1),
    };
    (first, last, tag, domain)
}

/// The tenant tag of an alias, by its domain (`""` for the house).
pub fn tag_of(alias: &str) -> &'static str {
    let domain = alias.rsplit('@').next().unwrap_or_default();
    TENANTS
        .iter()
        .find(|(_, d, _)| *d == domain)
        .map_or("", |(tag, _, _)| tag)
}

fn theme_for<'a>(themes: &'a [(&'static str, String)], tag: &str) -> Option<&'a String> {
    themes.iter().find(|(t, _)| *t == tag).map(|(_, uri)| uri)
}

fn services(b: &mut Builder, themes: &[(&'static str, String)]) {
    let location = |b: &Builder, name: &str| {
        b.objects
            .iter()
            .find(|o| o.resource == "system_location" && o.object["name"] == name)
            .map(|o| o.object["resource_uri"].clone())
            .unwrap_or(Value::Null)
    };
    let mut rooms: Vec<String> = Vec::new();
    // Personal Virtual Meeting Rooms.
    for n in 0..36 {
        let (first, last, tag, domain) = person(n);
        let local = format!(
            "{}.{}",
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase()
        );
        let owner = format!("{local}@{domain}");
        let secured = n % 3 != 1;
        let guests = n % 3 == 0;
        let pin = if secured {
            format!("{:04}", 1000 + (n * 7349) % 9000)
        } else {
            String::new()
        };
        let guest_pin = if guests {
            format!("{:04}", 1000 + (n * 5113 + 17) % 9000)
        } else {
            String::new()
        };
        let uri = b.put(
            "conference",
            json!({
                "name": format!("{first} {last}'s room"),
                "description": format!("Personal meeting room of {first} {last}"),
                "service_type": "conference",
                "tag": tag,
                "primary_owner_email_address": owner,
                "pin": pin,
                "allow_guests": guests,
                "guest_pin": if guest_pin == pin { String::new() } else { guest_pin },
                "host_view": ROOM_LAYOUTS[n % 3],
                "participant_limit": if n % 5 == 0 { json!(25) } else { Value::Null },
                "max_callrate_in": if n % 6 == 0 { json!(2048) } else { Value::Null },
                "max_callrate_out": if n % 6 == 0 { json!(2048) } else { Value::Null },
                "enable_overlay_text": n % 4 == 0,
                "ivr_theme": theme_for(themes, tag),
            }),
        );
        aliases(
            b,
            &uri,
            &[
                format!("meet.{local}@{domain}"),
                format!("{}", 81_000 + n),
                format!("sip:meet.{local}@{domain}"),
            ],
        );
        rooms.push(uri);
    }
    // Team rooms of the tenants and the house.
    let team_rooms = [
        ("Sales weekly", "", HOUSE_DOMAIN, "sales"),
        ("Engineering stand-up", "", HOUSE_DOMAIN, "standup"),
        ("IT helpdesk bridge", "", HOUSE_DOMAIN, "helpdesk"),
        ("Acme project Phoenix", "acme", "acme.example", "phoenix"),
        ("Acme board room", "acme", "acme.example", "board"),
        ("Globex operations", "globex", "globex.example", "ops"),
        (
            "Globex support bridge",
            "globex",
            "globex.example",
            "support",
        ),
    ];
    for (n, (name, tag, domain, local)) in team_rooms.iter().enumerate() {
        let uri = b.put(
            "conference",
            json!({
                "name": name,
                "description": format!("Team room: {name}"),
                "service_type": "conference",
                "tag": tag,
                "primary_owner_email_address": format!("it-admin@{domain}"),
                "pin": format!("{}", 24_680 + n * 111),
                "allow_guests": true,
                "guest_pin": format!("{}", 13_570 + n * 222),
                "host_view": "two_mains_twentyone_pips",
                "guest_view": "one_main_seven_pips",
                "enable_chat": "yes",
                "ivr_theme": theme_for(themes, tag),
            }),
        );
        aliases(
            b,
            &uri,
            &[format!("{local}@{domain}"), format!("{}", 82_000 + n)],
        );
        rooms.push(uri);
    }
    // Virtual Auditoriums.
    for (n, (name, tag, domain, local)) in [
        ("Town hall", "", HOUSE_DOMAIN, "townhall"),
        ("All hands Acme", "acme", "acme.example", "allhands"),
        (
            "Globex quarterly review",
            "globex",
            "globex.example",
            "quarterly",
        ),
        ("Training auditorium", "", HOUSE_DOMAIN, "training"),
    ]
    .iter()
    .enumerate()
    {
        let uri = b.put(
            "conference",
            json!({
                "name": name,
                "description": format!("Virtual Auditorium: {name}"),
                "service_type": "lecture",
                "tag": tag,
                "primary_owner_email_address": format!("events@{domain}"),
                "pin": format!("{}", 5_550 + n),
                "allow_guests": true,
                "guest_pin": "",
                "host_view": "one_main_seven_pips",
                "guests_can_present": false,
                "participant_limit": 500,
                "ivr_theme": theme_for(themes, tag),
            }),
        );
        aliases(
            b,
            &uri,
            &[format!("{local}@{domain}"), format!("{}", 83_000 + n)],
        );
    }
    // Virtual Receptions.
    for (n, (name, tag, domain)) in [
        ("Main reception", "", HOUSE_DOMAIN),
        ("Acme reception", "acme", "acme.example"),
        ("Globex reception", "globex", "globex.example"),
    ]
    .iter()
    .enumerate()
    {
        let uri = b.put(
            "conference",
            json!({
                "name": name,
                "description": "Virtual Reception: dial a meeting room number",
                "service_type": "two_stage_dialing",
                "tag": tag,
                "ivr_theme": theme_for(themes, tag),
                "system_location": location(b, "London"),
            }),
        );
        aliases(
            b,
            &uri,
            &[format!("reception@{domain}"), format!("{}", 80_000 + n)],
        );
    }
    // Test Call Services.
    for (n, (name, site)) in [("Test call London", "London"), ("Test call Oslo", "Oslo")]
        .iter()
        .enumerate()
    {
        let uri = b.put(
            "conference",
            json!({
                "name": name,
                "description": format!("Self-test service with media in {site}"),
                "service_type": "test_call",
                "system_location": location(b, site),
            }),
        );
        let local = site.to_ascii_lowercase();
        aliases(
            b,
            &uri,
            &[
                format!("test.{local}@{HOUSE_DOMAIN}"),
                format!("{}", 89_990 + n),
            ],
        );
    }
    // A Media Playback Service where the profile has one.
    if b.catalogue.get("media_library_playlist").is_some() {
        let playlist = b.put(
            "media_library_playlist",
            json!({"name": "Welcome loop", "description": "Welcome video for the lobby", "loop": true}),
        );
        let uri = b.put(
            "conference",
            json!({"name": "Lobby playback", "service_type": "media_playback",
                   "description": "Media Playback Service", "media_playlist": playlist}),
        );
        aliases(b, &uri, &[format!("lobby@{HOUSE_DOMAIN}")]);
    }
    automatic_participants(b, &rooms);
}

fn aliases(b: &mut Builder, conference: &str, aliases: &[String]) {
    for (n, alias) in aliases.iter().enumerate() {
        let description = ["Email-style alias", "Numeric dial-in", "SIP URI"][n.min(2)];
        b.put(
            "conference_alias",
            json!({"alias": alias, "conference": conference, "description": description}),
        );
    }
}

fn automatic_participants(b: &mut Builder, rooms: &[String]) {
    let team = &rooms[36..];
    let entries = [
        json!({"alias": "rtmp://stream.example.com/live/townhall", "protocol": "rtmp", "role": "guest",
               "streaming": true, "remote_display_name": "Live stream",
               "description": "Stream the meeting to the intranet", "conference": [team[0]]}),
        json!({"alias": "boardroom.london@example.com", "protocol": "sip", "role": "chair",
               "remote_display_name": "London boardroom", "description": "Dial the boardroom system",
               "conference": [team[0], team[1]], "keep_conference_alive": "keep_conference_alive_never"}),
        json!({"alias": "recorder@acme.example", "protocol": "sip", "role": "guest",
               "remote_display_name": "Acme recorder", "description": "Record Acme project meetings",
               "conference": [team[3]], "streaming": true}),
        json!({"alias": "10.47.20.15", "protocol": "h323", "role": "chair", "call_type": "video",
               "remote_display_name": "Oslo meeting room", "description": "Legacy H.323 room system",
               "conference": [team[1]], "dtmf_sequence": "1234#"}),
        json!({"alias": "+4722334455", "protocol": "sip", "role": "guest", "call_type": "audio",
               "remote_display_name": "Globex audio bridge", "routing": "routing_rules",
               "description": "Bridge in the Globex audio conference", "conference": [team[5], team[6]]}),
    ];
    for e in entries {
        b.put("automatic_participant", e);
    }
}

fn gateway_rules(b: &mut Builder) {
    let rules = [
        json!({"name": "Route to Lync", "priority": 50, "match_incoming_calls": true,
               "match_outgoing_calls": false, "match_incoming_h323": true, "match_incoming_mssip": false,
               "match_incoming_sip": true, "match_incoming_webrtc": true, "match_string": "9(.*)",
               "replace_string": "", "called_device_type": "mssip_server", "outgoing_protocol": "mssip",
               "description": "Dial 9 plus an address to reach Skype for Business users"}),
        json!({"name": "Outbound calls to registered devices", "priority": 60,
               "match_incoming_calls": false, "match_outgoing_calls": true,
               "match_string": ".*@mycompany\\.com", "replace_string": "",
               "called_device_type": "registration", "description": "Calls to devices registered to Pexip Infinity"}),
        json!({"name": "PSTN via SIP trunk", "priority": 100, "match_incoming_calls": true,
               "match_outgoing_calls": true, "match_string": "^\\+?(\\d{8,15})$",
               "replace_string": "\\1@sbc.example.com", "outgoing_protocol": "sip",
               "description": "Telephone numbers go out through the session border controller"}),
        json!({"name": "H.323 partners", "priority": 120, "match_incoming_calls": true,
               "match_string": "^(\\d+\\.\\d+\\.\\d+\\.\\d+)$", "outgoing_protocol": "h323",
               "description": "IP dialing to H.323 partners", "call_type": "video"}),
        json!({"name": "Block everything else", "priority": 200, "enable": false,
               "match_string": ".*", "replace_string": "", "description": "Disabled catch-all"}),
    ];
    for r in rules {
        b.put("gateway_routing_rule", r);
    }
}

fn devices(b: &mut Builder) {
    for (n, (alias, owner)) in [
        ("boardroom.london@example.com", "facilities@example.com"),
        ("boardroom.oslo@example.com", "facilities@example.com"),
        ("room.phoenix@acme.example", "it-admin@acme.example"),
        ("desk.ops1@globex.example", "it-admin@globex.example"),
        ("alice.smith@example.com", "alice.smith@example.com"),
    ]
    .iter()
    .enumerate()
    {
        b.put(
            "device",
            json!({"alias": alias, "username": alias.split('@').next(),
                   "password": format!("device-demo-password-{n}"), "primary_owner_email_address": owner,
                   "description": "Registered room system", "tag": tag_of(alias)}),
        );
    }
}

fn users(b: &mut Builder) {
    let permissions: Vec<String> = [
        ("Can view the configuration", "view_configuration"),
        ("Can change the configuration", "change_configuration"),
        ("Can view the status", "view_status"),
        ("Can control conferences", "control_conferences"),
    ]
    .iter()
    .map(|(name, code)| b.put("permission", json!({"name": name, "codename": code})))
    .collect();
    b.put(
        "role",
        json!({"name": "Administrator", "permissions": permissions}),
    );
    b.put(
        "role",
        json!({"name": "Read only", "permissions": [permissions[0], permissions[2]]}),
    );
    if b.catalogue.get("end_user").is_some() {
        let groups: Vec<String> = DEPARTMENTS
            .iter()
            .map(|d| {
                b.put(
                    "user_group",
                    json!({"name": d, "description": format!("Everyone in {d}")}),
                )
            })
            .collect();
        for n in 0..12 {
            let (first, last, _, domain) = person(n);
            let local = format!(
                "{}.{}",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase()
            );
            let uuid = demo_uuid(&local, 1);
            b.put(
                "end_user",
                json!({"primary_email_address": format!("{local}@{domain}"),
                       "first_name": first, "last_name": last,
                       "display_name": format!("{first} {last}"),
                       "department": DEPARTMENTS[n % 3],
                       "user_groups": [groups[n % 3]],
                       "uuid": uuid}),
            );
        }
    }
}
