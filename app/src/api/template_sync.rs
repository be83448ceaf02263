//! LDAP template sync: start a `conference_sync_template`'s sync and read its progress
//! (admins only, decided by `bff::policy`).

use super::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde_json::Value;

/// Starts the sync of template `id` on the Management Node.
#[server(endpoint = "sync/start", input = Json, output = crate::api::JsonText)]
pub async fn start_template_sync(id: u64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.template_sync_start(&actor, id).await?)
}

/// The `conference_sync` status of template `id`.
#[server(endpoint = "sync/status", input = Json, output = crate::api::JsonText)]
pub async fn template_sync_status(id: u64) -> Result<Value, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.template_sync_status(&actor, id).await?)
}
