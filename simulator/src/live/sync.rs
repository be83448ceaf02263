//! Conference synchronization runs (`command/v1/conference/sync/`, `status/v1/conference_sync/`).
//!
//! A run renders one service per person of the directory ([`super::directory`]) from the sync
//! template (its `{{ variable }}` templates: LDAP attribute names, or the
//! `template_variable_name` of an `ldap_sync_field`), then works through them a few at a time:
//! every read of the `conference_sync` status advances each running sync by [`STEP`] people,
//! creating the service a person does not have yet (found by its `sync_tag`), updating one whose
//! fields differ, and last deleting the template's services whose person left the directory.
//! A template that names an unknown variable fails the run with Jinja's message.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::directory::{PEOPLE, Person};
use super::time::{Instant, iso};
use crate::catalogue::Catalogue;
use crate::http::config::ops;
use crate::store::{ConfigStore, Object, ObjectId};

/// People a running sync processes per status read.
pub const STEP: usize = 4;

/// Template fields rendered per person, and the service field each fills.
const RENDERED: [(&str, &str); 6] = [
    ("conference_name", "name"),
    ("conference_description", "description"),
    ("pin", "pin"),
    ("guest_pin", "guest_pin"),
    ("primary_owner_email_address", "primary_owner_email_address"),
    ("tag", "tag"),
];

/// Template fields copied onto every service as they are.
const COPIED: [&str; 4] = ["allow_guests", "service_type", "host_view", "ivr_theme"];

/// One service a run wants to exist: its `sync_tag` and fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    pub sync_tag: String,
    pub fields: Object,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncRun {
    pub started: Instant,
    pub last_updated: Instant,
    pub plan: Vec<Desired>,
    /// How many of `plan` are done.
    pub done: usize,
    /// Whether the stale services have been deleted (the last step).
    pub swept: bool,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deleted: u64,
    /// Why the run failed (a template error), or the last service the node refused.
    pub error: Option<String>,
    pub failed: bool,
}

impl SyncRun {
    fn running(&self) -> bool {
        !self.failed && !self.swept
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Syncs {
    pub runs: BTreeMap<i64, SyncRun>,
}

/// The `sync_tag` prefix of the services template `template` made.
fn tag_prefix(template: i64) -> String {
    format!("sync:{template}:")
}

/// Renders `text` for `person`: `{{ name }}` is the attribute `name` or, through `fields`
/// (`template_variable_name` → LDAP attribute), the attribute it names.
pub fn render(
    text: &str,
    person: &Person,
    fields: &BTreeMap<String, String>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!(
                "unexpected end of template in `{text}`, expected '}}}}'"
            ));
        };
        let name = after[..end].trim();
        let attribute = fields.get(name).map_or(name, String::as_str);
        match person.attribute(attribute) {
            Some(value) => out.push_str(&value),
            None => return Err(format!("'{name}' is undefined")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The services template `template` wants, one per person, or why it cannot be rendered.
pub fn plan(store: &ConfigStore, template: &Object) -> Result<Vec<Desired>, String> {
    let id = template
        .get("id")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let fields: BTreeMap<String, String> = store
        .objects("ldap_sync_field")
        .filter_map(|f| {
            Some((
                f.get("template_variable_name")?.as_str()?.to_string(),
                f.get("name")?.as_str()?.to_string(),
            ))
        })
        .collect();
    PEOPLE
        .iter()
        .map(|person| {
            let mut service = Map::new();
            for (from, to) in RENDERED {
                if let Some(text) = template
                    .get(from)
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                {
                    let value =
                        render(text, person, &fields).map_err(|e| format!("{from}: {e}"))?;
                    service.insert(to.into(), json!(value));
                }
            }
            for field in COPIED {
                if let Some(value) = template.get(field).filter(|v| !v.is_null()) {
                    service.insert(field.into(), value.clone());
                }
            }
            let sync_tag = format!("{}{}", tag_prefix(id), person.uuid());
            service.insert("sync_tag".into(), json!(sync_tag));
            Ok(Desired {
                sync_tag,
                fields: service,
            })
        })
        .collect()
}

impl Syncs {
    /// Starts a run of `template` with its `plan` (or its failure).
    pub fn start(&mut self, template: i64, now: Instant, plan: Result<Vec<Desired>, String>) {
        let (plan, error) = match plan {
            Ok(plan) => (plan, None),
            Err(error) => (Vec::new(), Some(error)),
        };
        self.runs.insert(
            template,
            SyncRun {
                started: now,
                last_updated: now,
                plan,
                done: 0,
                swept: false,
                created: 0,
                updated: 0,
                unchanged: 0,
                deleted: 0,
                failed: error.is_some(),
                error,
            },
        );
    }

    /// Whether a run is in progress (a new `conference/sync` of it is refused).
    pub fn is_running(&self, template: i64) -> bool {
        self.runs.get(&template).is_some_and(SyncRun::running)
    }

    /// Advances every running sync by [`STEP`] people (then the sweep of stale services),
    /// writing the services into `store`.
    pub fn advance(&mut self, store: &mut ConfigStore, catalogue: &Catalogue, now: Instant) {
        let Some(conference) = catalogue.get("conference") else {
            return;
        };
        for (template, run) in &mut self.runs {
            if !run.running() {
                continue;
            }
            run.last_updated = now;
            if run.done == run.plan.len() {
                run.swept = sweep(store, catalogue, *template, run);
                continue;
            }
            let end = (run.done + STEP).min(run.plan.len());
            for desired in run.plan[run.done..end].iter().cloned() {
                let existing = store
                    .objects("conference")
                    .find(|c| {
                        c.get("sync_tag").and_then(Value::as_str) == Some(desired.sync_tag.as_str())
                    })
                    .cloned();
                let outcome = match existing {
                    None => ops::create(store, catalogue, conference, &desired.fields, None)
                        .map(|_| &mut run.created),
                    Some(current)
                        if desired
                            .fields
                            .iter()
                            .all(|(k, v)| current.get(k) == Some(v)) =>
                    {
                        Ok(&mut run.unchanged)
                    }
                    Some(current) => {
                        let id = current
                            .get("id")
                            .and_then(ObjectId::from_json)
                            .unwrap_or(ObjectId::Int(0));
                        ops::update(store, catalogue, conference, &id, &desired.fields)
                            .map(|_| &mut run.updated)
                    }
                };
                match outcome {
                    Ok(counter) => *counter += 1,
                    Err(errors) => {
                        run.error = Some(format!(
                            "{}: {}",
                            desired
                                .fields
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or_default(),
                            errors.to_json()
                        ));
                    }
                }
            }
            run.done = end;
        }
    }

    pub fn status_json(&self, id: i64, name: &str) -> Value {
        let run = self.runs.get(&id);
        let status = match run {
            None => "IDLE",
            Some(r) if r.failed => "FAILED",
            Some(r) if r.running() => "RUNNING",
            Some(_) => "COMPLETED",
        };
        json!({
            "conferences_created": run.map_or(0, |r| r.created),
            "conferences_deleted": run.map_or(0, |r| r.deleted),
            "conferences_unchanged": run.map_or(0, |r| r.unchanged),
            "conferences_updated": run.map_or(0, |r| r.updated),
            "error_message": run.and_then(|r| r.error.clone()).unwrap_or_default(),
            "id": id,
            "last_updated": run.map(|r| iso(r.last_updated)),
            "name": name,
            "resource_uri": format!("/api/admin/status/v1/conference_sync/{id}/"),
            "sync_status": status,
        })
    }
}

/// Deletes the services `template` made whose person is no longer wanted; returns true.
fn sweep(store: &mut ConfigStore, catalogue: &Catalogue, template: i64, run: &mut SyncRun) -> bool {
    let prefix = tag_prefix(template);
    let stale: Vec<ObjectId> = store
        .objects("conference")
        .filter(|c| {
            c.get("sync_tag").and_then(Value::as_str).is_some_and(|t| {
                t.starts_with(&prefix) && !run.plan.iter().any(|d| d.sync_tag == t)
            })
        })
        .filter_map(|c| c.get("id").and_then(ObjectId::from_json))
        .collect();
    for id in stale {
        if ops::delete(store, catalogue, "conference", &id) {
            run.deleted += 1;
        }
    }
    true
}
