//! Licences: the installed entitlements (configuration `licence`), current usage (status
//! `licensing`), activation and return (admins only).

use super::{BffError, MAX_PAGE};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::{Api, ObjectId};
use pexip::query::Query;
use serde_json::{Value, json};

const RESOURCE: &str = "licence";

impl Portal {
    pub async fn licences_list(&self, actor: &Actor) -> Result<ListResponse<Value>, BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        Ok(self
            .pexip
            .list(Api::Configuration, RESOURCE, &Query::new().limit(MAX_PAGE))
            .await?)
    }

    /// The licensing status record (usage against the licensed totals).
    pub async fn licensing_status(&self, actor: &Actor) -> Result<Value, BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let list = self
            .pexip
            .list(Api::Status, "licensing", &Query::new())
            .await?;
        list.objects.into_iter().next().ok_or(BffError::NotFound)
    }

    /// Activates an entitlement key (`XXXX-XXXX-XXXX-XXXX`).
    pub async fn licence_add(&self, actor: &Actor, entitlement_id: &str) -> Result<(), BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let entitlement_id = entitlement_id.trim();
        let changes = json!({ "entitlement_id": { "before": null, "after": entitlement_id } });
        let outcome = self
            .pexip
            .create(
                Api::Configuration,
                RESOURCE,
                &json!({ "entitlement_id": entitlement_id }),
            )
            .await
            .map(drop)
            .map_err(BffError::from);
        self.audit(actor, "licence.add", None, changes, None, outcome)
            .await
    }

    /// Returns a licence by its fulfillment id.
    pub async fn licence_remove(
        &self,
        actor: &Actor,
        fulfillment_id: &str,
    ) -> Result<(), BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let id = ObjectId::key(fulfillment_id)?;
        let uri = super::config_uri(RESOURCE, id.clone());
        let outcome = self
            .pexip
            .delete(Api::Configuration, RESOURCE, &id)
            .await
            .map_err(BffError::from);
        self.audit(actor, "licence.remove", Some(uri), json!({}), None, outcome)
            .await
    }
}
