//! What the form engine asks the server: a resource's schema (as the caller's forms use it) and
//! the options of a related field's picker.

use super::AppError;
use bff::requests::RelatedOption;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use pexip::Schema;

/// The schema of `resource` for the caller's forms: rooms for whoever may read rooms (end users
/// get only the fields they may change), any configuration resource for admins.
#[server(endpoint = "forms/schema", input = Json, output = crate::api::JsonText)]
pub async fn form_schema(resource: String) -> Result<Schema, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.form_schema(&actor, &resource).await?)
}

/// Objects the related `field` of `resource` may point to, whose name contains `search`.
#[server(endpoint = "forms/options", input = Json, output = crate::api::JsonText)]
pub async fn related_options(
    resource: String,
    field: String,
    search: String,
    limit: u64,
) -> Result<Vec<RelatedOption>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .form_options(&actor, &resource, &field, &search, limit)
        .await?)
}
