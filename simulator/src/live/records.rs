//! The objects of every status and history resource, rendered from the live state, and the
//! schema that describes each.

use pexip::Schema;
use serde_json::Value;

use super::capacity::{self, NodeFacts};
use super::cloud;
use super::conference::shard_json;
use super::licensing::{self, LicencePool};
use super::schema::{history as hs, status as ss};
use super::sim::LiveState;
use super::topology::Topology;

/// How long the Conferencing Nodes have been up when the simulation starts.
const NODE_UPTIME_DAYS: i64 = 6;

/// The status resources, as the guide's table lists them.
pub const STATUS_RESOURCES: &[&str] = &[
    "conference",
    "conference_shard",
    "participant",
    "registration_alias",
    "worker_vm",
    "system_location",
    "backplane",
    "alarm",
    "licensing",
    "conference_sync",
    "cloud_node",
    "cloud_monitored_location",
    "cloud_overflow_location",
];

/// The history resources.
pub const HISTORY_RESOURCES: &[&str] = &["backplane", "conference", "participant"];

pub fn status_schema(name: &str) -> Option<Schema> {
    Some(match name {
        "conference" => ss::conference(),
        "conference_shard" => ss::conference_shard(),
        "participant" => ss::participant(),
        "registration_alias" => ss::registration_alias(),
        "worker_vm" => ss::worker_vm(),
        "system_location" => ss::system_location(),
        "backplane" => ss::backplane(),
        "alarm" => ss::alarm(),
        "licensing" => ss::licensing(),
        "conference_sync" => ss::conference_sync(),
        "cloud_node" => ss::cloud_node(),
        "cloud_monitored_location" => ss::cloud_location(false),
        "cloud_overflow_location" => ss::cloud_location(true),
        _ => return None,
    })
}

pub fn history_schema(name: &str) -> Option<Schema> {
    Some(match name {
        "conference" => hs::conference(),
        "participant" => hs::participant(),
        "backplane" => hs::backplane(),
        _ => return None,
    })
}

/// Whether a location has cloud bursting nodes.
fn is_overflow(topology: &Topology, location: i64) -> bool {
    topology
        .nodes
        .iter()
        .any(|n| n.location_id == location && n.cloud_bursting)
}

/// Every object of status resource `name` (`None` for an unknown resource).
pub fn status_objects(name: &str, state: &LiveState, topology: &Topology) -> Option<Vec<Value>> {
    Some(match name {
        "conference" => state
            .conferences
            .values()
            .map(|c| c.status_json())
            .collect(),
        "conference_shard" => {
            let mut out = Vec::new();
            for c in state.conferences.values() {
                for (node_id, shard) in &c.shards {
                    let count = c
                        .participants
                        .iter()
                        .filter(|p| {
                            state
                                .participants
                                .get(*p)
                                .is_some_and(|p| p.node_id == *node_id)
                        })
                        .count();
                    if count == 0 {
                        continue;
                    }
                    let Some(node) = topology.node(*node_id) else {
                        continue;
                    };
                    out.push(shard_json(
                        c,
                        shard,
                        &node.address,
                        &topology.location_name(node.location_id),
                        count,
                    ));
                }
            }
            out
        }
        "participant" => state
            .participants
            .values()
            .map(|p| p.status_json())
            .collect(),
        "registration_alias" => state
            .registrations
            .iter()
            .map(|r| r.status_json())
            .collect(),
        "worker_vm" => {
            let loads = state.node_loads(topology);
            topology
                .nodes
                .iter()
                .map(|n| {
                    let facts = NodeFacts {
                        version: &state.config.version,
                        boot_time: state.config.epoch - chrono::Duration::days(NODE_UPTIME_DAYS),
                        now: state.now,
                        location: &topology.location_name(n.location_id),
                    };
                    capacity::worker_vm_status(
                        n,
                        &loads.get(&n.id).copied().unwrap_or_default(),
                        &facts,
                    )
                })
                .collect()
        }
        "system_location" => {
            let loads = state.location_loads(topology);
            topology
                .locations
                .iter()
                .map(|l| {
                    capacity::system_location_status(
                        l,
                        &loads.get(&l.id).copied().unwrap_or_default(),
                    )
                })
                .collect()
        }
        "backplane" => state.backplanes.values().map(|b| b.status_json()).collect(),
        "alarm" => state
            .alarms
            .active
            .iter()
            .map(|a| a.status_json())
            .collect(),
        "licensing" => {
            let pool = LicencePool::of(&topology.licences, state.now);
            vec![licensing::status_json(
                &pool,
                state.licence_use(topology, &pool),
            )]
        }
        "conference_sync" => topology
            .sync_templates
            .iter()
            .map(|(id, name)| state.syncs.status_json(*id, name))
            .collect(),
        "cloud_node" => {
            let loads = state.node_loads(topology);
            state
                .cloud_nodes
                .iter()
                .map(|c| {
                    cloud::node_json(
                        c,
                        topology,
                        &loads.get(&c.node_id).copied().unwrap_or_default(),
                    )
                })
                .collect()
        }
        "cloud_monitored_location" | "cloud_overflow_location" => {
            let overflow = name == "cloud_overflow_location";
            let any_overflow = topology.nodes.iter().any(|n| n.cloud_bursting);
            let loads = state.location_loads(topology);
            topology
                .locations
                .iter()
                .filter(|l| any_overflow && is_overflow(topology, l.id) == overflow)
                .filter(|l| overflow || topology.nodes.iter().any(|n| n.location_id == l.id))
                .map(|l| {
                    cloud::location_json(
                        l.id,
                        &l.name,
                        &loads.get(&l.id).copied().unwrap_or_default(),
                        overflow,
                    )
                })
                .collect()
        }
        _ => return None,
    })
}

/// The objects of a nested status list (`participant/<id>/media_stream/`, ...), `None` when
/// the parent does not exist.
pub fn status_nested(parent: &str, id: &str, child: &str, state: &LiveState) -> Option<Vec<Value>> {
    match (parent, child) {
        ("participant", "media_stream") => Some(
            state
                .participants
                .get(id)?
                .streams
                .iter()
                .map(|s| s.status_json())
                .collect(),
        ),
        ("backplane", "media_stream") => Some(
            state
                .backplanes
                .get(id)?
                .streams
                .iter()
                .map(|s| s.status_json())
                .collect(),
        ),
        _ => None,
    }
}

/// A statistics object (`worker_vm/<id>/statistics/`, `system_location/<id>/statistics/`).
pub fn statistics(parent: &str, id: &str, state: &LiveState, topology: &Topology) -> Option<Value> {
    let id: i64 = id.parse().ok()?;
    match parent {
        "worker_vm" => {
            let node = topology.node(id)?;
            let load = state
                .node_loads(topology)
                .get(&id)
                .copied()
                .unwrap_or_default();
            Some(capacity::worker_vm_statistics(node, &load))
        }
        "system_location" => {
            let loc = topology.location(id)?;
            let load = state
                .location_loads(topology)
                .get(&id)
                .copied()
                .unwrap_or_default();
            Some(capacity::system_location_statistics(loc, &load))
        }
        _ => None,
    }
}

/// The media streams of a history participant or backplane.
pub fn history_nested(parent: &str, id: &str, state: &LiveState) -> Option<Vec<Value>> {
    let record = match parent {
        "participant" => state.history.participant(id)?,
        "backplane" => state.history.backplane(id)?,
        _ => return None,
    };
    Some(record.get("media_streams")?.as_array()?.clone())
}

/// The schema of a nested list.
pub fn nested_schema(api_is_status: bool, parent: &str) -> Schema {
    match (api_is_status, parent) {
        (true, _) => ss::media_stream(),
        (false, "backplane") => hs::media_stream("backplane"),
        (false, _) => hs::media_stream("participant"),
    }
}
