//! Dynamic bursting: cloud overflow Conferencing Nodes, the locations they serve and the
//! locations monitored for overflow (`status/v1/cloud_*`).

use chrono::Timelike;
use serde_json::{Value, json};

use super::capacity::Load;
use super::rng::Rng;
use super::time::{Instant, add_ms, iso};
use super::topology::Topology;

/// Seconds a cloud instance takes to boot, and to stop.
const START_SECONDS: i64 = 90;
const STOP_SECONDS: i64 = 30;
/// A running overflow node with no calls this long is stopped again.
const IDLE_SECONDS: i64 = 1800;
/// A monitored location this loaded starts an overflow node.
const BURST_AT_LOAD: u64 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudState {
    Stopped,
    Pending { until: Instant },
    Running { idle_since: Option<Instant> },
    Stopping { until: Instant },
}

impl CloudState {
    pub fn name(self) -> &'static str {
        match self {
            CloudState::Stopped => "stopped",
            CloudState::Pending { .. } => "pending",
            CloudState::Running { .. } => "running",
            CloudState::Stopping { .. } => "stopping",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CloudNode {
    pub instance_id: String,
    pub node_id: i64,
    pub state: CloudState,
    pub launch_time: Instant,
}

/// What `start_cloudnode` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartOutcome {
    Started,
    NotStopped,
    Unknown,
}

/// Keeps one cloud instance per bursting node of the topology.
pub fn sync(nodes: &mut Vec<CloudNode>, rng: &mut Rng, topology: &Topology, now: Instant) {
    nodes.retain(|c| topology.node(c.node_id).is_some_and(|n| n.cloud_bursting));
    for n in topology.nodes.iter().filter(|n| n.cloud_bursting) {
        if !nodes.iter().any(|c| c.node_id == n.id) {
            nodes.push(CloudNode {
                instance_id: format!("i-{}", rng.hex(8)),
                node_id: n.id,
                state: CloudState::Stopped,
                launch_time: now,
            });
        }
    }
}

pub fn start(nodes: &mut [CloudNode], instance_id: &str, now: Instant) -> StartOutcome {
    let Some(node) = nodes.iter_mut().find(|c| c.instance_id == instance_id) else {
        return StartOutcome::Unknown;
    };
    if node.state != CloudState::Stopped {
        return StartOutcome::NotStopped;
    }
    node.state = CloudState::Pending {
        until: add_ms(now, START_SECONDS * 1000),
    };
    node.launch_time = now;
    StartOutcome::Started
}

/// Whether a cloud node can take calls.
pub fn is_running(nodes: &[CloudNode], node_id: i64) -> bool {
    nodes
        .iter()
        .any(|c| c.node_id == node_id && matches!(c.state, CloudState::Running { .. }))
}

/// One step: boots finish, idle nodes stop, loaded monitored locations burst.
/// `load_of(node_id)` gives a node's load; `monitored_load` the busiest monitored location's.
pub fn step(
    nodes: &mut [CloudNode],
    now: Instant,
    node_busy: impl Fn(i64) -> bool,
    monitored_load: u64,
) {
    for c in nodes.iter_mut() {
        c.state = match c.state {
            CloudState::Pending { until } if now >= until => CloudState::Running {
                idle_since: Some(now),
            },
            CloudState::Stopping { until } if now >= until => CloudState::Stopped,
            CloudState::Running { idle_since } => {
                if node_busy(c.node_id) {
                    CloudState::Running { idle_since: None }
                } else {
                    let since = idle_since.unwrap_or(now);
                    if (now - since).num_seconds() >= IDLE_SECONDS {
                        CloudState::Stopping {
                            until: add_ms(now, STOP_SECONDS * 1000),
                        }
                    } else {
                        CloudState::Running {
                            idle_since: Some(since),
                        }
                    }
                }
            }
            other => other,
        };
    }
    let bursting = nodes
        .iter()
        .any(|c| matches!(c.state, CloudState::Pending { .. }));
    if monitored_load >= BURST_AT_LOAD
        && !bursting
        && let Some(c) = nodes.iter_mut().find(|c| c.state == CloudState::Stopped)
    {
        c.state = CloudState::Pending {
            until: add_ms(now, START_SECONDS * 1000),
        };
        c.launch_time = now;
    }
}

pub fn node_json(c: &CloudNode, topology: &Topology, load: &Load) -> Value {
    let node = topology.node(c.node_id);
    let running = matches!(c.state, CloudState::Running { .. });
    json!({
        "aws_instance_id": c.instance_id,
        "aws_instance_ip": node.map(|n| n.address.clone()).unwrap_or_default(),
        "aws_instance_launch_time": iso(c.launch_time.with_nanosecond(0).unwrap_or(c.launch_time)),
        "aws_instance_name": node.map(|n| n.name.clone()).unwrap_or_default(),
        "aws_instance_state": c.state.name(),
        "max_hd_calls": if running { load.capacity.max_hd_calls } else { 0 },
        "media_load": if running { load.media_load() } else { 100 },
        "resource_uri": format!("/api/admin/status/v1/cloud_node/{}/", c.instance_id),
        "workermv_configuration_id": c.node_id,
        "workermv_configuration_location_name": node.map(|n| topology.location_name(n.location_id)).unwrap_or_default(),
        "workermv_configuration_name": node.map(|n| n.name.clone()).unwrap_or_default(),
    })
}

/// A location record of `cloud_monitored_location` (or, with `overflow`, of
/// `cloud_overflow_location`).
pub fn location_json(id: i64, name: &str, load: &Load, overflow: bool) -> Value {
    let resource = if overflow {
        "cloud_overflow_location"
    } else {
        "cloud_monitored_location"
    };
    let mut v = json!({
        "free_hd_calls": load.free_hd_calls(),
        "id": id,
        "max_hd_calls": load.capacity.max_hd_calls,
        "media_load": load.media_load(),
        "name": name,
        "resource_uri": format!("/api/admin/status/v1/{resource}/{id}/"),
    });
    if overflow && let Value::Object(m) = &mut v {
        m.insert("systemlocation_id".into(), json!(id));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn start_answers_and_boot_completes() {
        let t0 = NaiveDate::from_ymd_opt(2017, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let mut nodes = vec![CloudNode {
            instance_id: "i-1".into(),
            node_id: 1,
            state: CloudState::Stopped,
            launch_time: t0,
        }];
        assert_eq!(start(&mut nodes, "i-2", t0), StartOutcome::Unknown);
        assert_eq!(start(&mut nodes, "i-1", t0), StartOutcome::Started);
        assert_eq!(start(&mut nodes, "i-1", t0), StartOutcome::NotStopped);
        step(&mut nodes, add_ms(t0, 91_000), |_| false, 0);
        assert!(is_running(&nodes, 1));
        step(
            &mut nodes,
            add_ms(t0, 91_000 + IDLE_SECONDS * 1000),
            |_| false,
            0,
        );
        assert_eq!(nodes[0].state.name(), "stopping");
        step(
            &mut nodes,
            add_ms(t0, 200_000 + IDLE_SECONDS * 1000),
            |_| false,
            0,
        );
        assert_eq!(nodes[0].state.name(), "stopped");
        step(
            &mut nodes,
            add_ms(t0, 201_000 + IDLE_SECONDS * 1000),
            |_| false,
            90,
        );
        assert_eq!(
            nodes[0].state.name(),
            "pending",
            "a loaded monitored location bursts"
        );
    }
}
