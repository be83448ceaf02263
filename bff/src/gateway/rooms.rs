//! Meeting rooms: the `conference` configuration resource (VMRs, Virtual Auditoriums, Virtual
//! Receptions, Test Call Services), scoped by tenant tag or owner.

use super::BffError;
use crate::audit;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use crate::requests::RoomQuery;
use pexip::ListResponse;
use pexip::Query;
use pexip::client::{Api, ObjectId};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The configuration resource that holds services.
pub const SERVICE_RESOURCE: &str = "conference";

impl Portal {
    /// A page of the rooms the actor may see, with the total count of that scope.
    pub async fn rooms_list(
        &self,
        actor: &Actor,
        request: &RoomQuery,
    ) -> Result<ListResponse<Value>, BffError> {
        let query = self.rooms_query(actor, request)?;
        self.list_checked(Api::Configuration, SERVICE_RESOURCE, &query)
            .await
    }

    /// [`Portal::rooms_list`] with each room as the node wrote it: the same decision, scope and
    /// upstream request, but the rooms are passed on without being parsed into a tree and written
    /// out again (the rooms list server function; its caller reads the fields it shows).
    pub async fn rooms_list_raw(
        &self,
        actor: &Actor,
        request: &RoomQuery,
    ) -> Result<ListResponse<Box<RawValue>>, BffError> {
        let query = self.rooms_query(actor, request)?;
        self.list_checked(Api::Configuration, SERVICE_RESOURCE, &query)
            .await
    }

    /// The upstream query for a page of rooms: the actor's scope as filters, then the search.
    fn rooms_query(&self, actor: &Actor, request: &RoomQuery) -> Result<Query, BffError> {
        let scope = self.scope(actor, Operation::RoomsList)?;
        let mut query = super::page(&scope.room_filters(), request.limit, request.offset);
        if let Some(name) = request
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            query = query.filter_lookup("name", "icontains", name);
        }
        if let Some(alias) = request
            .alias
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            query = query.filter("aliases__alias__icontains", alias);
        }
        if let Some(service_type) = request.service_type.as_deref().filter(|s| !s.is_empty()) {
            query = query.filter("service_type", service_type);
        }
        if let Some(order) = request.order_by.as_deref().filter(|o| !o.is_empty()) {
            query = query.order_by(order);
        }
        Ok(query)
    }

    /// One room, if the actor may see it (else `NotFound`).
    pub async fn room_get(&self, actor: &Actor, id: u64) -> Result<Value, BffError> {
        let scope = self.scope(actor, Operation::RoomRead)?;
        self.room_in_scope(&scope, id).await
    }

    /// Creates a room; returns its id.
    pub async fn room_create(
        &self,
        actor: &Actor,
        mut fields: Map<String, Value>,
    ) -> Result<u64, BffError> {
        let scope = self.scope(actor, Operation::RoomCreate)?;
        scope.prepare_room_create(&mut fields)?;
        let tenant = fields
            .get(crate::policy::TENANT_FIELD)
            .and_then(Value::as_str)
            .map(String::from);
        self.create_audited(
            actor,
            SERVICE_RESOURCE,
            fields,
            "room.create",
            tenant,
            "room",
        )
        .await
    }

    /// Changes the given fields of a room (explicit nulls clear them).
    pub async fn room_update(
        &self,
        actor: &Actor,
        id: u64,
        changes: Map<String, Value>,
    ) -> Result<(), BffError> {
        let scope = self.scope(actor, Operation::RoomUpdate)?;
        let before = self.room_in_scope(&scope, id).await?;
        scope.check_room_update(&changes)?;
        let uri = room_uri(id);
        let diff = audit::diff(before.as_object(), &changes);
        let outcome = self
            .pexip
            .patch(
                Api::Configuration,
                SERVICE_RESOURCE,
                &ObjectId::Int(id),
                &Value::Object(changes),
            )
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "room.update",
            Some(uri),
            diff,
            tag_of(&before),
            outcome,
        )
        .await
    }

    /// Deletes a room (and with it, on the node, its aliases).
    pub async fn room_delete(&self, actor: &Actor, id: u64) -> Result<(), BffError> {
        let scope = self.scope(actor, Operation::RoomDelete)?;
        let before = self.room_in_scope(&scope, id).await?;
        let diff = before.as_object().map(audit::removed).unwrap_or_default();
        let outcome = self
            .pexip
            .delete(Api::Configuration, SERVICE_RESOURCE, &ObjectId::Int(id))
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "room.delete",
            Some(room_uri(id)),
            diff,
            tag_of(&before),
            outcome,
        )
        .await
    }

    pub(super) async fn room_in_scope(
        &self,
        scope: &crate::policy::Scope,
        id: u64,
    ) -> Result<Value, BffError> {
        let room = self
            .pexip
            .get(Api::Configuration, SERVICE_RESOURCE, &ObjectId::Int(id))
            .await?;
        scope.require_room(&room)?;
        Ok(room)
    }
}

pub(super) fn room_uri(id: u64) -> String {
    super::config_uri(SERVICE_RESOURCE, ObjectId::Int(id))
}

pub(super) fn tag_of(room: &Value) -> Option<String> {
    room.get(crate::policy::TENANT_FIELD)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(String::from)
}
