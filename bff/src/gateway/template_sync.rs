//! LDAP template sync: "Sync now" runs a `conference_sync_template` on the Management Node
//! (`command/v1/conference/sync/`), whose progress the `conference_sync` status shows
//! (`sync_status` IDLE, RUNNING, COMPLETED or FAILED, and the VMRs created, updated,
//! unchanged and deleted so far). Admins only ([`Operation::TemplateSync`]).

use super::BffError;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::client::{Api, ObjectId};
use serde_json::{Value, json};

/// The configuration resource of sync templates.
pub const TEMPLATE_RESOURCE: &str = "conference_sync_template";
/// The status resource of sync runs (one per template, keyed by the template's id).
pub const SYNC_STATUS: &str = "conference_sync";

impl Portal {
    /// Starts the sync of template `id`; the audit trail records who started it.
    pub async fn template_sync_start(&self, actor: &Actor, id: u64) -> Result<(), BffError> {
        self.scope(actor, Operation::TemplateSync)?;
        let uri = super::config_uri(TEMPLATE_RESOURCE, ObjectId::Int(id));
        let body = json!({ "conference_sync_template_id": id.to_string() });
        let changes = json!({ "sync": { "before": null, "after": "started" } });
        let outcome = self
            .pexip
            .command("conference", "sync", &body)
            .await
            .map(|_| ())
            .map_err(BffError::from);
        self.audit(actor, "template.sync", Some(uri), changes, None, outcome)
            .await
    }

    /// The sync status of template `id` (IDLE before its first run).
    pub async fn template_sync_status(&self, actor: &Actor, id: u64) -> Result<Value, BffError> {
        self.scope(actor, Operation::TemplateSync)?;
        Ok(self
            .pexip
            .get(Api::Status, SYNC_STATUS, &ObjectId::Int(id))
            .await?)
    }
}
