//! Conference synchronization runs (`command/v1/conference/sync/`, `status/v1/conference_sync/`).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::time::{Instant, add_ms, iso};

/// Seconds a synchronization takes.
const RUN_SECONDS: i64 = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct SyncRun {
    pub started: Instant,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Syncs {
    pub runs: BTreeMap<i64, SyncRun>,
}

impl Syncs {
    pub fn start(&mut self, template: i64, now: Instant, unchanged: u64) {
        self.runs.insert(
            template,
            SyncRun {
                started: now,
                created: 0,
                updated: 0,
                unchanged,
            },
        );
    }

    pub fn status_json(&self, id: i64, name: &str, now: Instant) -> Value {
        let run = self.runs.get(&id);
        let status = match run {
            None => "IDLE",
            Some(r) if add_ms(r.started, RUN_SECONDS * 1000) > now => "RUNNING",
            Some(_) => "COMPLETED",
        };
        json!({
            "conferences_created": run.map_or(0, |r| r.created),
            "conferences_deleted": 0,
            "conferences_unchanged": run.map_or(0, |r| r.unchanged),
            "conferences_updated": run.map_or(0, |r| r.updated),
            "error_message": "",
            "id": id,
            "last_updated": run.map(|r| iso(r.started)),
            "name": name,
            "resource_uri": format!("/api/admin/status/v1/conference_sync/{id}/"),
            "sync_status": status,
        })
    }
}
