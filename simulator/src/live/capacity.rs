//! Media capacity and load of Conferencing Nodes and system locations, and the status records
//! that report them (`worker_vm`, `system_location` and their `statistics`).

use serde_json::{Map, Value, json};

use super::time::{Instant, iso};
use super::topology::{Location, Node};

/// Media tokens one node offers per vCPU.
const TOKENS_PER_CPU: u64 = 12;
/// Tokens a backplane (node-to-node media link) uses.
pub const BACKPLANE_TOKENS: u64 = 6;

/// What a node (or a location, summed) can carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capacity {
    pub max_media_tokens: u64,
    pub max_audio_calls: u64,
    pub max_sd_calls: u64,
    pub max_hd_calls: u64,
    pub max_full_hd_calls: u64,
}

impl Capacity {
    pub fn of_node(node: &Node) -> Self {
        let tokens = node.cpu_count * TOKENS_PER_CPU;
        Capacity {
            max_media_tokens: tokens,
            max_audio_calls: tokens,
            max_sd_calls: tokens / 3,
            max_hd_calls: tokens / 6,
            max_full_hd_calls: tokens / 12,
        }
    }
}

impl std::ops::Add for Capacity {
    type Output = Capacity;

    fn add(self, o: Capacity) -> Capacity {
        Capacity {
            max_media_tokens: self.max_media_tokens + o.max_media_tokens,
            max_audio_calls: self.max_audio_calls + o.max_audio_calls,
            max_sd_calls: self.max_sd_calls + o.max_sd_calls,
            max_hd_calls: self.max_hd_calls + o.max_hd_calls,
            max_full_hd_calls: self.max_full_hd_calls + o.max_full_hd_calls,
        }
    }
}

/// The load on a node (or a location, summed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Load {
    pub capacity: Capacity,
    pub tokens_used: u64,
    pub participants: u64,
    pub signaling: u64,
}

impl Load {
    /// Percent of the media capacity in use (100 when there is none).
    pub fn media_load(&self) -> u64 {
        if self.capacity.max_media_tokens == 0 {
            return 100;
        }
        (self.tokens_used * 100 / self.capacity.max_media_tokens).min(100)
    }

    pub fn free_hd_calls(&self) -> u64 {
        self.capacity
            .max_media_tokens
            .saturating_sub(self.tokens_used)
            / 6
    }

    pub fn fits(&self, tokens: u64) -> bool {
        self.tokens_used + tokens <= self.capacity.max_media_tokens
    }
}

impl std::ops::Add for Load {
    type Output = Load;

    fn add(self, o: Load) -> Load {
        Load {
            capacity: self.capacity + o.capacity,
            tokens_used: self.tokens_used + o.tokens_used,
            participants: self.participants + o.participants,
            signaling: self.signaling + o.signaling,
        }
    }
}

impl Load {
    fn fields(&self) -> Map<String, Value> {
        let c = self.capacity;
        let v = json!({
            "max_audio_calls": c.max_audio_calls,
            "max_full_hd_calls": c.max_full_hd_calls,
            "max_hd_calls": c.max_hd_calls,
            "max_media_tokens": c.max_media_tokens,
            "max_sd_calls": c.max_sd_calls,
            "media_load": self.media_load(),
            "media_tokens_used": self.tokens_used,
            "participant_count": self.participants,
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

fn with(mut base: Map<String, Value>, extra: Value) -> Value {
    if let Value::Object(e) = extra {
        base.extend(e);
    }
    let mut keys: Vec<(String, Value)> = base.into_iter().collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(keys.into_iter().collect())
}

/// Facts about the platform that status records report.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeFacts<'a> {
    pub version: &'a str,
    pub boot_time: Instant,
    pub now: Instant,
    pub location: &'a str,
}

pub fn worker_vm_status(node: &Node, load: &Load, f: &NodeFacts<'_>) -> Value {
    with(
        load.fields(),
        json!({
            "boot_time": iso(f.boot_time),
            "cpu_capabilities": "AVX2",
            "cpu_count": node.cpu_count,
            "cpu_model": "Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz",
            "deploy_status": "DEPLOYED",
            "hypervisor": "VMware",
            "id": node.id,
            "last_attempted_contact": iso(f.now),
            "last_contact": iso(f.now),
            "last_reported": iso(f.now),
            "last_updated": iso(f.boot_time),
            "maintenance_mode": node.maintenance_mode,
            "maintenance_mode_reason": "",
            "name": node.name,
            "node_type": "CONFERENCING",
            "resource_uri": format!("/api/admin/status/v1/worker_vm/{}/", node.id),
            "signaling_count": load.signaling,
            "sync_status": "SYNCED",
            "system_location": f.location,
            "total_ram": node.memory_mb * 1024,
            "upgrade_status": "IDLE",
            "version": f.version,
        }),
    )
}

pub fn worker_vm_statistics(node: &Node, load: &Load) -> Value {
    with(
        load.fields(),
        json!({
            "id": node.id,
            "name": node.name,
            "resource_uri": format!("/api/admin/status/v1/worker_vm/{}/statistics/", node.id),
        }),
    )
}

pub fn system_location_status(loc: &Location, load: &Load) -> Value {
    with(
        load.fields(),
        json!({
            "id": loc.id,
            "name": loc.name,
            "resource_uri": format!("/api/admin/status/v1/system_location/{}/", loc.id),
        }),
    )
}

pub fn system_location_statistics(loc: &Location, load: &Load) -> Value {
    with(
        load.fields(),
        json!({
            "id": loc.id,
            "name": loc.name,
            "resource_uri": format!("/api/admin/status/v1/system_location/{}/statistics/", loc.id),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(cpus: u64) -> Node {
        Node {
            id: 1,
            name: "n".into(),
            hostname: "n".into(),
            address: "10.0.0.1".into(),
            location_id: 1,
            cpu_count: cpus,
            memory_mb: 8192,
            maintenance_mode: false,
            cloud_bursting: false,
        }
    }

    #[test]
    fn load_follows_tokens_and_caps_at_100() {
        let cap = Capacity::of_node(&node(8));
        assert_eq!(cap.max_hd_calls, 16);
        let mut load = Load {
            capacity: cap,
            ..Load::default()
        };
        assert_eq!(load.media_load(), 0);
        load.tokens_used = 48;
        assert_eq!(load.media_load(), 50);
        assert_eq!(load.free_hd_calls(), 8);
        assert!(load.fits(48));
        assert!(!load.fits(49));
        load.tokens_used = 500;
        assert_eq!(load.media_load(), 100);
        assert_eq!(Load::default().media_load(), 100);
    }

    #[test]
    fn statistics_carry_sorted_load_fields() {
        let n = node(4);
        let load = Load {
            capacity: Capacity::of_node(&n),
            tokens_used: 12,
            participants: 2,
            signaling: 2,
        };
        let v = worker_vm_statistics(&n, &load);
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(v["media_load"], 25);
        assert_eq!(v["max_hd_calls"], 8);
    }
}
