//! Policy-scoped access to the Pexip Management API, named by use. Every function decides with
//! [`crate::policy`] first, pushes list scoping into the upstream filters, answers 404 for objects
//! outside the caller's scope, and records every mutation in the audit trail, whatever its result.

mod backups;
mod bulk;
mod cloud_nodes;
mod devices;
mod devices_bulk;
mod error;
mod file_uploads;
mod forms;
mod history;
mod licence_offline;
mod licences;
mod live;
mod platform;
mod room_email;
mod room_participants;
mod rooms;
mod template_sync;
mod trail;
mod users;

pub use crate::requests::{CallCommand, DeviceQuery, RoomQuery};
pub use devices::DEVICE_RESOURCE;
pub use error::BffError;
pub use file_uploads::ImportedCertificate;
pub use forms::{MAX_OPTIONS, ROOM_RESOURCES, related_target};
pub use licence_offline::{
    MAX_RESPONSE_DOCUMENT_BYTES, RESPONSE_FIELD, SEQUENCE_FIELD, check_response_document,
};
pub use room_email::NO_OWNER;
pub use rooms::SERVICE_RESOURCE;

use crate::audit::{self, NewAuditEvent};
use crate::db::retry;
use crate::policy::{self, Operation, Scope};
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::{Api, ObjectId, ObjectRef};
use pexip::query::Query;
use serde_json::Value;
use std::time::Duration;

/// Paging of upstream lists: the largest page one BFF call fetches.
pub const MAX_PAGE: u64 = 500;

/// How long an audit entry is tried again while the database cannot be reached: longer than a
/// database restart (a few seconds), short enough that the person gets an answer.
const AUDIT_PATIENCE: Duration = Duration::from_secs(20);

/// A query for one page of at most [`MAX_PAGE`] objects, with the given `field[__lookup]` filters.
fn page(filters: &[(String, String)], limit: u64, offset: u64) -> Query {
    filters.iter().fold(
        Query::new().limit(limit.clamp(1, MAX_PAGE)).offset(offset),
        |query, (key, value)| query.filter(key.clone(), value),
    )
}

/// The URI of a configuration object, as the audit trail records it.
fn config_uri(resource: &str, id: ObjectId) -> String {
    ObjectRef {
        api: Api::Configuration,
        resource: resource.to_string(),
        id,
    }
    .uri()
}

impl Portal {
    /// A page of `resource` after checking the query's filters and ordering against the
    /// resource's schema (a refused query is a form error). The schema and the page are asked
    /// for at the same time, so a cold schema cache costs no second round trip to a slow node:
    /// with the schema cached (the usual case) the check comes first and a refused query is
    /// never sent upstream; on a cold cache it may be, and its answer is thrown away.
    async fn list_checked<T: serde::de::DeserializeOwned>(
        &self,
        api: Api,
        resource: &str,
        query: &Query,
    ) -> Result<ListResponse<T>, BffError> {
        let check = |schema: &pexip::Schema| {
            query
                .validate(schema)
                .map_err(|error| BffError::field(error::NON_FIELD, error.to_string()))
        };
        if let Some(schema) = self.pexip.cached_schema(api, resource) {
            check(&schema)?;
            return Ok(self.pexip.list_as(api, resource, query).await?);
        }
        let (schema, list) = tokio::join!(
            self.pexip.schema(api, resource),
            self.pexip.list_as(api, resource, query)
        );
        check(schema?.as_ref())?;
        Ok(list?)
    }

    /// Creates a configuration object of `resource` from `fields` and audits it as `action`
    /// under `tenant`; answers the new object's numeric id (`what` names the object when the
    /// node answers another kind of id).
    async fn create_audited(
        &self,
        actor: &Actor,
        resource: &str,
        fields: serde_json::Map<String, Value>,
        action: &str,
        tenant: Option<String>,
        what: &str,
    ) -> Result<u64, BffError> {
        let changes = audit::diff(None, &fields);
        let outcome = self
            .pexip
            .create(Api::Configuration, resource, &Value::Object(fields))
            .await;
        let uri = outcome.as_ref().ok().map(ObjectRef::uri);
        let outcome = outcome
            .map_err(BffError::from)
            .and_then(|created| match created.id {
                ObjectId::Int(id) => Ok(id),
                other => Err(BffError::Internal(format!(
                    "the new {what} has an unexpected id {other}"
                ))),
            });
        self.audit(actor, action, uri, changes, tenant, outcome)
            .await
    }

    /// The scope `actor` has for `operation`, or why not.
    pub fn scope(&self, actor: &Actor, operation: Operation) -> Result<Scope, BffError> {
        Ok(policy::decide(&actor.principal, operation, &self.policy).scope()?)
    }

    /// The operations `actor` may perform (for the UI to offer; the server still decides each).
    pub fn capabilities(&self, actor: &Actor) -> Vec<Operation> {
        Operation::ALL
            .into_iter()
            .filter(|op| {
                policy::decide(&actor.principal, *op, &self.policy) != policy::Decision::Deny
            })
            .collect()
    }

    /// Records a mutation and its outcome. The change has already reached the Management Node, so
    /// while the database cannot be reached (a restart, a cut connection) the entry is tried
    /// again for up to [`AUDIT_PATIENCE`]. A failure to write the trail after that is logged with
    /// the entry and reported: a change that cannot be audited is reported as failed to the
    /// caller even if it happened.
    pub(crate) async fn audit<T>(
        &self,
        actor: &Actor,
        action: &str,
        resource_uri: Option<String>,
        changes: Value,
        tenant: Option<String>,
        outcome: Result<T, BffError>,
    ) -> Result<T, BffError> {
        let result = match &outcome {
            Ok(_) => "ok".to_string(),
            Err(error) => format!("error: {error}"),
        };
        let event = NewAuditEvent {
            username: actor.principal.username.clone(),
            role: actor.principal.role.to_string(),
            tenant: tenant.or_else(|| actor.tenant_tag()),
            action: action.to_string(),
            resource_uri,
            changes,
            result,
            client_addr: actor.client_addr.clone(),
        };
        let (written, tries) =
            retry::while_unavailable(AUDIT_PATIENCE, || audit::record(&self.db, &event)).await;
        if let Err(error) = written {
            // The log keeps what the trail could not (secrets are masked in `changes`).
            tracing::error!(
                %error,
                tries,
                action,
                user = %actor.principal.username,
                resource = event.resource_uri.as_deref().unwrap_or_default(),
                changes = %event.changes,
                result = %event.result,
                "cannot write the audit trail"
            );
            return Err(BffError::Internal(
                "the change could not be recorded in the audit trail".into(),
            ));
        }
        if tries > 1 {
            tracing::info!(
                action,
                tries,
                "audit entry written after the database came back"
            );
        }
        outcome
    }
}
