//! Endpoints registered to Conferencing Nodes (`status/v1/registration_alias/`).

use serde_json::{Value, json};

use super::rng::Rng;
use super::time::{Instant, iso};
use super::topology::Topology;

#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: String,
    pub alias: String,
    pub username: String,
    pub protocol: &'static str,
    pub node: String,
    pub remote_address: String,
    pub start_time: Instant,
}

impl Registration {
    pub fn status_json(&self) -> Value {
        json!({
            "alias": self.alias,
            "id": self.id,
            "is_natted": self.remote_address.starts_with("192.168."),
            "node": self.node,
            "protocol": self.protocol,
            "registration_id": self.id,
            "remote_address": self.remote_address,
            "resource_uri": format!("/api/admin/status/v1/registration_alias/{}/", self.id),
            "start_time": iso(self.start_time),
            "username": self.username,
        })
    }
}

/// Who registers: the configured devices, or (with none configured) a few rooms.
fn registrants(topology: &Topology) -> Vec<(String, String)> {
    if !topology.devices.is_empty() {
        return topology
            .devices
            .iter()
            .map(|d| (d.alias.clone(), d.username.clone()))
            .collect();
    }
    [
        "oslo.fjord",
        "oslo.nordlys",
        "london.thames",
        "london.atrium",
        "london.camden",
        "reception",
    ]
    .iter()
    .map(|r| (format!("{r}@example.com"), String::new()))
    .collect()
}

fn register(
    rng: &mut Rng,
    topology: &Topology,
    alias: &str,
    username: &str,
    now: Instant,
) -> Option<Registration> {
    let nodes: Vec<_> = topology.media_nodes().collect();
    if nodes.is_empty() {
        return None;
    }
    let node = rng.pick(&nodes);
    Some(Registration {
        id: rng.uuid(),
        alias: alias.to_owned(),
        username: username.to_owned(),
        protocol: if rng.chance(0.75) { "SIP" } else { "H323" },
        node: node.address.clone(),
        remote_address: format!("192.168.{}.{}", rng.range(0, 20), rng.range(2, 254)),
        start_time: now,
    })
}

/// One step: most endpoints stay registered; now and then one drops off or comes back.
pub fn step(
    regs: &mut Vec<Registration>,
    rng: &mut Rng,
    topology: &Topology,
    now: Instant,
    seconds: f64,
) {
    let wanted = registrants(topology);
    regs.retain(|r| {
        wanted.iter().any(|(a, _)| *a == r.alias) && topology.node_by_address(&r.node).is_some()
    });
    for (alias, username) in wanted {
        let registered = regs.iter().any(|r| r.alias == alias);
        if registered {
            if rng.chance(seconds / 7200.0) {
                regs.retain(|r| r.alias != alias);
            }
        } else if (regs.is_empty() || rng.chance(seconds / 300.0))
            && let Some(r) = register(rng, topology, &alias, &username, now)
        {
            regs.push(r);
        }
    }
}
