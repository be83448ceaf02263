//! Whether the edits survived the run: every edit a person made is logged with how it ended, and
//! at the end compared with the audit trail (one `room.update` entry per edit, none lost, none
//! duplicated) and with the rooms on the simulator (each field holds the last acknowledged
//! value, or a later one whose request got no clear answer).
//!
//! Every edit writes a value no other edit writes (`load <person> #<n>` descriptions, numbered
//! participant limits), and each (room, field) is edited by one person only, one edit at a
//! time, so the order of the log is the order on the node.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use crate::record::Outcome;

/// One edit: `changes = {field: value}` on a room.
#[derive(Debug, Clone)]
pub struct Edit {
    pub person: String,
    pub room: u64,
    pub field: &'static str,
    pub value: Value,
    pub at: Duration,
    pub outcome: Outcome,
}

/// The edits of the run.
#[derive(Default)]
pub struct EditLog {
    edits: Mutex<Vec<Edit>>,
}

impl EditLog {
    pub fn push(&self, edit: Edit) {
        self.edits.lock().unwrap().push(edit);
    }

    pub fn snapshot(&self) -> Vec<Edit> {
        self.edits.lock().unwrap().clone()
    }
}

/// The audit entries of one edit: how many say `ok`, how many an error.
#[derive(Debug, Default, Clone, Copy)]
struct Entries {
    ok: usize,
    error: usize,
}

/// The outcome of the comparison.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Edits answered 2xx.
    pub acknowledged: usize,
    /// … with exactly one `ok` entry.
    pub acknowledged_audited_once: usize,
    /// Edits refused with an answer (4xx, 5xx).
    pub refused: usize,
    /// Edits without an answer (connection refused after sending, closed, timed out).
    pub unknown: usize,
    /// Refused or unknown edits that have an `ok` entry (applied although not acknowledged).
    pub applied_unacknowledged: usize,
    /// Refused or unknown edits that have an entry with an error result.
    pub audited_as_failed: usize,
    /// Problems, one line each: lost or duplicated entries, entries no edit explains, fields
    /// holding a value no edit could have left.
    pub problems: Vec<String>,
    /// Rooms' fields compared with the log.
    pub fields_checked: usize,
}

/// Compares the log with the `room.update` audit entries and the rooms' final state
/// (`rooms[id]` the room as the node has it).
pub fn check(edits: &[Edit], audit: &[Value], rooms: &BTreeMap<u64, Value>) -> Verdict {
    // (room, field, value as JSON text) -> entries.
    let mut entries: BTreeMap<(u64, String, String), Entries> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for event in audit {
        let Some(room) = event
            .get("resource_uri")
            .and_then(Value::as_str)
            .and_then(room_id)
        else {
            continue;
        };
        let ok = event.get("result").and_then(Value::as_str) == Some("ok");
        let Some(changes) = event.get("changes").and_then(Value::as_object) else {
            continue;
        };
        for (field, change) in changes {
            let after = change.get("after").cloned().unwrap_or(Value::Null);
            let slot = entries
                .entry((room, field.clone(), after.to_string()))
                .or_default();
            if ok {
                slot.ok += 1;
            } else {
                slot.error += 1;
            }
        }
    }
    let mut verdict = Verdict::default();
    let mut explained: BTreeMap<(u64, String, String), ()> = BTreeMap::new();
    for edit in edits {
        let key = (edit.room, edit.field.to_string(), edit.value.to_string());
        let found = entries.get(&key).copied().unwrap_or_default();
        explained.insert(key, ());
        let what = format!(
            "{} set {} of room {} to {} at {:.1} s ({})",
            edit.person,
            edit.field,
            edit.room,
            edit.value,
            edit.at.as_secs_f64(),
            edit.outcome.label()
        );
        if found.ok + found.error > 1 {
            verdict.problems.push(format!(
                "duplicated: {what}: {} ok and {} error entries",
                found.ok, found.error
            ));
        }
        if edit.outcome.is_success() {
            verdict.acknowledged += 1;
            if found.ok == 1 {
                verdict.acknowledged_audited_once += 1;
            } else if found.ok == 0 {
                verdict
                    .problems
                    .push(format!("lost: {what}: no ok entry in the audit trail"));
            }
        } else {
            match edit.outcome {
                Outcome::Status(_) => verdict.refused += 1,
                Outcome::NoAnswer(_) => verdict.unknown += 1,
            }
            if found.ok > 0 {
                verdict.applied_unacknowledged += 1;
            }
            if found.error > 0 {
                verdict.audited_as_failed += 1;
            }
        }
    }
    for (key, found) in &entries {
        if !explained.contains_key(key) && is_load_value(&key.1, &key.2) {
            unexplained.push(format!(
                "unexplained entry: room {} {} = {} ({} ok, {} error)",
                key.0, key.1, key.2, found.ok, found.error
            ));
        }
    }
    verdict.problems.extend(unexplained);

    // The final value of each (room, field): the last acknowledged edit, or any later edit
    // whose answer was a 5xx or none (it may have been applied).
    let mut by_field: BTreeMap<(u64, &str), Vec<&Edit>> = BTreeMap::new();
    for edit in edits {
        by_field
            .entry((edit.room, edit.field))
            .or_default()
            .push(edit);
    }
    for ((room, field), edits) in &by_field {
        let Some(actual) = rooms
            .get(room)
            .map(|r| r.get(*field).cloned().unwrap_or(Value::Null))
        else {
            verdict
                .problems
                .push(format!("room {room} could not be read at the end"));
            continue;
        };
        verdict.fields_checked += 1;
        let last_acked = edits.iter().rposition(|e| e.outcome.is_success());
        let later = last_acked.map_or(0, |i| i + 1);
        let mut allowed: Vec<&Value> = edits[later..]
            .iter()
            .filter(|e| e.outcome.is_failure())
            .map(|e| &e.value)
            .collect();
        if let Some(i) = last_acked {
            allowed.push(&edits[i].value);
        }
        // Without an acknowledged edit the field may still hold the value it had.
        let untouched = last_acked.is_none() && !edits.iter().any(|e| e.value == actual);
        if !untouched && !allowed.contains(&&actual) {
            verdict.problems.push(format!(
                "room {room} {field} is {actual}, expected {}",
                allowed
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
        }
    }
    verdict
}

/// The id in `/api/admin/configuration/v1/conference/<id>/`.
fn room_id(uri: &str) -> Option<u64> {
    uri.trim_end_matches('/')
        .strip_prefix("/api/admin/configuration/v1/conference/")?
        .parse()
        .ok()
}

/// Whether a value is one this run writes (so an entry holding it must have a logged edit).
fn is_load_value(field: &str, value: &str) -> bool {
    match field {
        "description" => value.starts_with("\"load "),
        "participant_limit" => value.parse::<u64>().is_ok_and(|n| n >= FIRST_LIMIT),
        _ => false,
    }
}

/// The first participant limit the tenant admins write (then +1 per edit of the run).
pub const FIRST_LIMIT: u64 = 100_000;
