//! The part of the configuration the live simulation runs on: services and their aliases,
//! system locations, Conferencing Nodes and registrable devices. Built from configuration
//! objects as the API renders them (JSON), so it does not depend on how they are stored.

use serde_json::{Map, Value};

use super::licensing::Licence;
use crate::store::ConfigStore;

type Obj = Map<String, Value>;

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub config_id: i64,
    pub name: String,
    /// `conference`, `lecture`, `two_stage_dialing` or `test_call`.
    pub service_type: String,
    pub tag: String,
    pub aliases: Vec<String>,
    pub pin: String,
    pub guest_pin: String,
    pub allow_guests: bool,
    pub participant_limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: i64,
    pub name: String,
    pub hostname: String,
    pub address: String,
    pub location_id: i64,
    pub cpu_count: u64,
    pub memory_mb: u64,
    pub maintenance_mode: bool,
    /// A node in a location used for dynamic (cloud) bursting.
    pub cloud_bursting: bool,
}

/// An Automatically Dialed Participant: called whenever a conference of its services starts.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoDial {
    pub alias: String,
    /// The command API's spelling (`sip`, `h323`, `mssip`, `rtmp`).
    pub protocol: String,
    /// `chair` or `guest`.
    pub role: String,
    pub display_name: String,
    pub audio_only: bool,
    /// The services (configuration ids) it is dialed into.
    pub services: Vec<i64>,
    pub location: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub alias: String,
    pub username: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topology {
    pub services: Vec<Service>,
    pub locations: Vec<Location>,
    pub nodes: Vec<Node>,
    pub devices: Vec<Device>,
    pub auto_dials: Vec<AutoDial>,
    /// The configured licences.
    pub licences: Vec<Licence>,
    /// The conference sync templates, `(id, name)`.
    pub sync_templates: Vec<(i64, String)>,
}

/// The configuration objects (as JSON objects) the topology is built from.
#[derive(Debug, Clone, Default)]
pub struct ConfigObjects<'a> {
    pub conferences: Vec<&'a Obj>,
    pub conference_aliases: Vec<&'a Obj>,
    pub system_locations: Vec<&'a Obj>,
    pub worker_vms: Vec<&'a Obj>,
    pub devices: Vec<&'a Obj>,
    pub automatic_participants: Vec<&'a Obj>,
    pub licences: Vec<&'a Obj>,
    pub sync_templates: Vec<&'a Obj>,
}

impl<'a> ConfigObjects<'a> {
    /// The objects of a configuration store.
    pub fn of_store(store: &'a ConfigStore) -> Self {
        ConfigObjects {
            conferences: store.objects("conference").collect(),
            conference_aliases: store.objects("conference_alias").collect(),
            system_locations: store.objects("system_location").collect(),
            worker_vms: store.objects("worker_vm").collect(),
            devices: store.objects("device").collect(),
            automatic_participants: store.objects("automatic_participant").collect(),
            licences: store.objects("licence").collect(),
            sync_templates: store.objects("conference_sync_template").collect(),
        }
    }
}

/// The trailing id of a resource URI (`/api/.../conference/7/` -> 7).
pub fn uri_id(uri: &str) -> Option<i64> {
    pexip::uri_id(uri).parse().ok()
}

fn text(v: &Obj, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn int(v: &Obj, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn related_id(v: &Obj, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::String(s) => uri_id(s),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// Deployment types of nodes that run in a public cloud (overflow nodes for bursting).
const CLOUD_DEPLOYMENTS: [&str; 3] = ["AWS", "AZURE", "GCP"];
/// Location names that say the location is in a public cloud.
const CLOUD_WORDS: [&str; 5] = ["aws", "azure", "gcp", "google cloud", "cloud"];

impl Topology {
    /// The topology of a configuration store.
    pub fn of_store(store: &ConfigStore) -> Self {
        Topology::from_config(ConfigObjects::of_store(store))
    }

    pub fn from_config(c: ConfigObjects<'_>) -> Self {
        let mut services: Vec<Service> = c
            .conferences
            .iter()
            .filter_map(|o| {
                Some(Service {
                    config_id: int(o, "id")?,
                    name: text(o, "name"),
                    service_type: match text(o, "service_type") {
                        s if s.is_empty() => "conference".to_owned(),
                        s => s,
                    },
                    tag: text(o, "tag"),
                    aliases: o
                        .get("aliases")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_object)
                                .map(|x| text(x, "alias"))
                                .filter(|s| !s.is_empty())
                                .collect()
                        })
                        .unwrap_or_default(),
                    pin: text(o, "pin"),
                    guest_pin: text(o, "guest_pin"),
                    allow_guests: o
                        .get("allow_guests")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    participant_limit: o.get("participant_limit").and_then(Value::as_u64),
                })
            })
            .collect();
        for a in &c.conference_aliases {
            let (Some(conf), alias) = (related_id(a, "conference"), text(a, "alias")) else {
                continue;
            };
            if let Some(s) = services.iter_mut().find(|s| s.config_id == conf)
                && !alias.is_empty()
                && !s.aliases.contains(&alias)
            {
                s.aliases.push(alias);
            }
        }
        let locations: Vec<Location> = c
            .system_locations
            .iter()
            .filter_map(|o| {
                Some(Location {
                    id: int(o, "id")?,
                    name: text(o, "name"),
                })
            })
            .collect();
        let nodes = c
            .worker_vms
            .iter()
            .filter_map(|o| {
                let location_id = related_id(o, "system_location")?;
                let location_name = locations
                    .iter()
                    .find(|l| l.id == location_id)
                    .map(|l| l.name.to_ascii_lowercase())
                    .unwrap_or_default();
                let cloud_flag = o.get("cloud_bursting").and_then(Value::as_bool);
                Some(Node {
                    id: int(o, "id")?,
                    name: text(o, "name"),
                    hostname: text(o, "hostname"),
                    address: text(o, "address"),
                    location_id,
                    cpu_count: int(o, "vm_cpu_count").unwrap_or(4).max(1) as u64,
                    memory_mb: int(o, "vm_system_memory").unwrap_or(4096).max(1024) as u64,
                    maintenance_mode: o
                        .get("maintenance_mode")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    cloud_bursting: cloud_flag.unwrap_or_else(|| {
                        CLOUD_DEPLOYMENTS.contains(&text(o, "deployment_type").as_str())
                            || CLOUD_WORDS.iter().any(|w| location_name.contains(w))
                    }),
                })
            })
            .collect();
        let auto_dials = c
            .automatic_participants
            .iter()
            .map(|o| AutoDial {
                alias: text(o, "alias"),
                protocol: match text(o, "protocol") {
                    p if p.is_empty() => "sip".to_owned(),
                    p => p,
                },
                role: match text(o, "role") {
                    r if r.is_empty() => "guest".to_owned(),
                    r => r,
                },
                display_name: text(o, "remote_display_name"),
                audio_only: text(o, "call_type") == "audio",
                services: o
                    .get("conference")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|u| u.as_str().and_then(uri_id))
                            .collect()
                    })
                    .unwrap_or_default(),
                location: related_id(o, "system_location"),
            })
            .filter(|a| !a.alias.is_empty())
            .collect();
        let devices = c
            .devices
            .iter()
            .map(|o| Device {
                alias: text(o, "alias"),
                username: text(o, "username"),
            })
            .filter(|d| !d.alias.is_empty())
            .collect();
        let sync_templates = c
            .sync_templates
            .iter()
            .filter_map(|o| Some((int(o, "id")?, text(o, "name"))))
            .collect();
        let licences = c.licences.iter().map(|o| Licence::parse(o)).collect();
        Topology {
            services,
            locations,
            nodes,
            devices,
            auto_dials,
            licences,
            sync_templates,
        }
    }

    pub fn location(&self, id: i64) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    pub fn location_by_name(&self, name: &str) -> Option<&Location> {
        self.locations.iter().find(|l| l.name == name)
    }

    pub fn node(&self, id: i64) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn node_by_address(&self, address: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.address == address)
    }

    /// The service an alias dials into (exact match, as Pexip matches after normalisation).
    pub fn service_by_alias(&self, alias: &str) -> Option<&Service> {
        let wanted = alias.trim().to_ascii_lowercase();
        let wanted = wanted.strip_prefix("sip:").unwrap_or(&wanted);
        self.services
            .iter()
            .find(|s| s.aliases.iter().any(|a| a.to_ascii_lowercase() == wanted))
    }

    pub fn service(&self, config_id: i64) -> Option<&Service> {
        self.services.iter().find(|s| s.config_id == config_id)
    }

    /// Nodes that carry ordinary (non-burst) traffic and are not in maintenance.
    pub fn media_nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes
            .iter()
            .filter(|n| !n.cloud_bursting && !n.maintenance_mode)
    }

    pub fn location_name(&self, id: i64) -> String {
        self.location(id)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_services_nodes_and_aliases_from_api_objects() {
        let conferences = [
            json!({"id": 1, "name": "VMR_1", "service_type": "conference", "tag": "",
            "aliases": [{"alias": "meet@example.com", "conference": "/api/admin/configuration/v1/conference/1/"}]}),
        ];
        let aliases = [
            json!({"id": 2, "alias": "meet", "conference": "/api/admin/configuration/v1/conference/1/"}),
        ];
        let locations = [
            json!({"id": 1, "name": "London"}),
            json!({"id": 2, "name": "AWS"}),
        ];
        let vms = [
            json!({"id": 1, "name": "lon1", "address": "10.0.0.1", "system_location": "/api/admin/configuration/v1/system_location/1/", "vm_cpu_count": 8}),
            json!({"id": 2, "name": "aws1", "address": "172.30.3.6", "system_location": "/api/admin/configuration/v1/system_location/2/"}),
            json!({"id": 3, "name": "az1", "address": "10.9.0.1", "deployment_type": "AZURE", "system_location": "/api/admin/configuration/v1/system_location/1/"}),
        ];
        let objs = |v: &[Value]| -> Vec<Obj> {
            v.iter().map(|x| x.as_object().unwrap().clone()).collect()
        };
        let (c, a, l, w) = (
            objs(&conferences),
            objs(&aliases),
            objs(&locations),
            objs(&vms),
        );
        let t = Topology::from_config(ConfigObjects {
            conferences: c.iter().collect(),
            conference_aliases: a.iter().collect(),
            system_locations: l.iter().collect(),
            worker_vms: w.iter().collect(),
            ..ConfigObjects::default()
        });
        assert_eq!(t.services[0].aliases, ["meet@example.com", "meet"]);
        assert_eq!(
            t.service_by_alias("MEET@example.com").unwrap().name,
            "VMR_1"
        );
        assert_eq!(t.service_by_alias("sip:meet").unwrap().config_id, 1);
        assert!(t.service_by_alias("nobody").is_none());
        assert_eq!(t.nodes[0].cpu_count, 8);
        assert!(!t.nodes[0].cloud_bursting);
        assert!(t.nodes[1].cloud_bursting);
        assert!(
            t.nodes[2].cloud_bursting,
            "an Azure node bursts wherever it is"
        );
        assert_eq!(t.media_nodes().count(), 1);
    }
}
