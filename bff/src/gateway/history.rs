//! Ended conferences and their participants (the history API).

use super::BffError;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::Api;
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
        let mut query = super::page(filters, limit, offset);
        if let Some(order) = order_by.filter(|o| !o.is_empty()) {
            query = query.order_by(order);
        }
        self.list_checked(Api::History, resource, &query).await
    }
}
