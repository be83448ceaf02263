//! Device aliases: the `device` configuration resource (the aliases endpoints register with),
//! scoped like services by tenant tag, with the tenant's alias domains enforced on `alias`.

use super::BffError;
use crate::audit;
use crate::policy::{Operation, Scope};
use crate::portal::{Actor, Portal};
use crate::requests::DeviceQuery;
use pexip::ListResponse;
use pexip::client::{Api, ObjectId};
use serde_json::{Map, Value};

/// The configuration resource that holds device aliases.
pub const DEVICE_RESOURCE: &str = "device";

impl Portal {
    /// A page of the device aliases the actor may see, with the total count of that scope.
    pub async fn devices_list(
        &self,
        actor: &Actor,
        request: &DeviceQuery,
    ) -> Result<ListResponse<Value>, BffError> {
        let scope = self.scope(actor, Operation::DevicesList)?;
        let mut query = super::page(&scope.room_filters(), request.limit, request.offset);
        if let Some(alias) = request
            .alias
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            query = query.filter_lookup("alias", "icontains", alias);
        }
        if let Some(order) = request.order_by.as_deref().filter(|o| !o.is_empty()) {
            query = query.order_by(order);
        }
        self.list_checked(Api::Configuration, DEVICE_RESOURCE, &query)
            .await
    }

    /// One device alias, if the actor may see it (else `NotFound`).
    pub async fn device_get(&self, actor: &Actor, id: u64) -> Result<Value, BffError> {
        let scope = self.scope(actor, Operation::DeviceRead)?;
        self.device_in_scope(&scope, id).await
    }

    /// Creates a device alias; returns its id.
    pub async fn device_create(
        &self,
        actor: &Actor,
        mut fields: Map<String, Value>,
    ) -> Result<u64, BffError> {
        let scope = self.scope(actor, Operation::DeviceCreate)?;
        scope.prepare_device_create(&mut fields)?;
        let tenant = super::rooms::tag_of(&Value::Object(fields.clone()));
        self.create_audited(
            actor,
            DEVICE_RESOURCE,
            fields,
            "device.create",
            tenant,
            "device",
        )
        .await
    }

    /// Changes the given fields of a device alias (explicit nulls clear them).
    pub async fn device_update(
        &self,
        actor: &Actor,
        id: u64,
        changes: Map<String, Value>,
    ) -> Result<(), BffError> {
        let scope = self.scope(actor, Operation::DeviceUpdate)?;
        let before = self.device_in_scope(&scope, id).await?;
        scope.check_device_update(&changes)?;
        let diff = audit::diff(before.as_object(), &changes);
        let outcome = self
            .pexip
            .patch(
                Api::Configuration,
                DEVICE_RESOURCE,
                &ObjectId::Int(id),
                &Value::Object(changes),
            )
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "device.update",
            Some(device_uri(id)),
            diff,
            super::rooms::tag_of(&before),
            outcome,
        )
        .await
    }

    /// Deletes a device alias.
    pub async fn device_delete(&self, actor: &Actor, id: u64) -> Result<(), BffError> {
        let scope = self.scope(actor, Operation::DeviceDelete)?;
        let before = self.device_in_scope(&scope, id).await?;
        let diff = before.as_object().map(audit::removed).unwrap_or_default();
        let outcome = self
            .pexip
            .delete(Api::Configuration, DEVICE_RESOURCE, &ObjectId::Int(id))
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "device.delete",
            Some(device_uri(id)),
            diff,
            super::rooms::tag_of(&before),
            outcome,
        )
        .await
    }

    async fn device_in_scope(&self, scope: &Scope, id: u64) -> Result<Value, BffError> {
        let device = self
            .pexip
            .get(Api::Configuration, DEVICE_RESOURCE, &ObjectId::Int(id))
            .await?;
        scope.require_device(&device)?;
        Ok(device)
    }
}

fn device_uri(id: u64) -> String {
    super::config_uri(DEVICE_RESOURCE, ObjectId::Int(id))
}
