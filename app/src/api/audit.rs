//! The audit trail (admins: everything; tenant admins: their tenant's changes).

use super::{AppError, Deferred};
use bff::audit::AuditEvent;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One page of the trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub total: i64,
}

/// Events newest first; empty filters match everything.
#[server(endpoint = "audit/list", output = crate::api::JsonText)]
pub async fn list_audit(
    username: String,
    action: String,
    limit: u32,
    offset: u32,
) -> Result<Deferred<AuditPage>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let text = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = bff::audit::AuditFilter {
        username: text(username),
        action_prefix: text(action),
        limit,
        offset,
        ..Default::default()
    };
    let (events, total) = portal.audit_list(&actor, &filter).await?;
    Deferred::new(&AuditPage { events, total })
}
