//! The configuration browser: any configuration resource the node serves, discovered from its
//! schema root (admins only). Resource names are checked against the discovered catalogue, so
//! no browser input reaches a path the node does not list.

use super::BffError;
use crate::audit;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::client::{Api, ObjectId};
use pexip::{ListResponse, Schema};
use serde_json::{Map, Value};
use std::sync::Arc;

impl Portal {
    /// The configuration resources the node serves, in its order.
    pub async fn platform_resources(&self, actor: &Actor) -> Result<Vec<String>, BffError> {
        self.scope(actor, Operation::PlatformRead)?;
        Ok(self
            .pexip
            .discover(Api::Configuration)
            .await?
            .into_keys()
            .collect())
    }

    async fn known_resource(&self, resource: &str) -> Result<(), BffError> {
        if self
            .pexip
            .discover(Api::Configuration)
            .await?
            .contains_key(resource)
        {
            Ok(())
        } else {
            Err(BffError::NotFound)
        }
    }

    pub async fn platform_schema(
        &self,
        actor: &Actor,
        resource: &str,
    ) -> Result<Arc<Schema>, BffError> {
        self.scope(actor, Operation::PlatformRead)?;
        // Both at once: on cold caches a slow node costs one round trip, not two. The name is
        // checked first; a schema fetched for an unknown one is thrown away.
        let (known, schema) = tokio::join!(
            self.known_resource(resource),
            self.pexip.schema(Api::Configuration, resource)
        );
        known?;
        Ok(schema?)
    }

    pub async fn platform_list(
        &self,
        actor: &Actor,
        resource: &str,
        limit: u64,
        offset: u64,
    ) -> Result<ListResponse<Value>, BffError> {
        self.scope(actor, Operation::PlatformRead)?;
        self.known_resource(resource).await?;
        let query = super::page(&[], limit, offset);
        Ok(self
            .pexip
            .list(Api::Configuration, resource, &query)
            .await?)
    }

    pub async fn platform_get(
        &self,
        actor: &Actor,
        resource: &str,
        id: &str,
    ) -> Result<Value, BffError> {
        self.scope(actor, Operation::PlatformRead)?;
        self.known_resource(resource).await?;
        Ok(self
            .pexip
            .get(Api::Configuration, resource, &ObjectId::key(id)?)
            .await?)
    }

    pub async fn platform_create(
        &self,
        actor: &Actor,
        resource: &str,
        fields: Map<String, Value>,
    ) -> Result<String, BffError> {
        self.scope(actor, Operation::PlatformWrite)?;
        self.known_resource(resource).await?;
        let changes = audit::diff(None, &fields);
        let outcome = self
            .pexip
            .create(Api::Configuration, resource, &Value::Object(fields))
            .await;
        let uri = outcome.as_ref().ok().map(|created| created.uri());
        let outcome = outcome.map(|created| created.uri()).map_err(BffError::from);
        self.audit(
            actor,
            &format!("config.{resource}.create"),
            uri,
            changes,
            None,
            outcome,
        )
        .await
    }

    pub async fn platform_update(
        &self,
        actor: &Actor,
        resource: &str,
        id: &str,
        changes: Map<String, Value>,
    ) -> Result<(), BffError> {
        self.scope(actor, Operation::PlatformWrite)?;
        self.known_resource(resource).await?;
        let id = ObjectId::key(id)?;
        let before = self.pexip.get(Api::Configuration, resource, &id).await?;
        let diff = audit::diff(before.as_object(), &changes);
        let uri = super::config_uri(resource, id.clone());
        let outcome = self
            .pexip
            .patch(Api::Configuration, resource, &id, &Value::Object(changes))
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            &format!("config.{resource}.update"),
            Some(uri),
            diff,
            None,
            outcome,
        )
        .await
    }

    /// Deletes one object. (Deleting a whole list — which the API allows — is never offered.)
    pub async fn platform_delete(
        &self,
        actor: &Actor,
        resource: &str,
        id: &str,
    ) -> Result<(), BffError> {
        self.scope(actor, Operation::PlatformWrite)?;
        self.known_resource(resource).await?;
        let id = ObjectId::key(id)?;
        let before = self.pexip.get(Api::Configuration, resource, &id).await?;
        let diff = before.as_object().map(audit::removed).unwrap_or_default();
        let uri = super::config_uri(resource, id.clone());
        let outcome = self
            .pexip
            .delete(Api::Configuration, resource, &id)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            &format!("config.{resource}.delete"),
            Some(uri),
            diff,
            None,
            outcome,
        )
        .await
    }
}
