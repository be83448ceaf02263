//! Ended conferences and their participants (the history API).

use super::{BffError, MAX_PAGE};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::Api;
use pexip::query::Query;
use serde_json::Value;

impl Portal {
    /// A page of a history resource (`conference`, `participant`, `participant_media_stream`...)
    /// with filters and ordering validated against its schema.
    pub async fn history_list(
        &self,
        actor: &Actor,
        resource: &str,
        filters: &[(String, String)],
        order_by: Option<&str>,
        limit: u64,
        offset: u64,
    ) -> Result<ListResponse<Value>, BffError> {
        self.scope(actor, Operation::HistoryView)?;
        let mut query = Query::new().limit(limit.clamp(1, MAX_PAGE)).offset(offset);
        for (key, value) in filters {
            query = query.filter(key.clone(), value);
        }
        if let Some(order) = order_by.filter(|o| !o.is_empty()) {
            query = query.order_by(order);
        }
        let schema = self.pexip.schema(Api::History, resource).await?;
        query
            .validate(&schema)
            .map_err(|error| BffError::field(super::error::NON_FIELD, error.to_string()))?;
        Ok(self.pexip.list(Api::History, resource, &query).await?)
    }
}
