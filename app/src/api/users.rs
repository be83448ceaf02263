//! Portal accounts and tenants (admins only; the policy decides on the server).

use super::{AppError, Deferred};
use bff::accounts::Account;
use bff::tenants::Tenant;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn optional(value: String) -> Option<String> {
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(value)
}

#[cfg(feature = "ssr")]
fn invalid(field: &str, message: String) -> AppError {
    AppError::Invalid {
        message: message.clone(),
        fields: [(field.to_string(), vec![message])].into(),
    }
}

#[server(endpoint = "users/list", output = crate::api::JsonText)]
pub async fn list_accounts() -> Result<Deferred<Vec<Account>>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Deferred::new(&portal.accounts_list(&actor).await?)
}

/// Creates an account. `tenant_id` and `email` may be empty.
#[server(endpoint = "users/create", output = crate::api::JsonText)]
pub async fn create_account(
    username: String,
    password: String,
    role: String,
    tenant_id: String,
    email: String,
) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let role = role
        .parse::<bff::Role>()
        .map_err(|error| invalid("role", error.to_string()).with_status())?;
    let tenant_id = match optional(tenant_id) {
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| invalid("tenant_id", "choose a tenant".into()).with_status())?,
        ),
        None => None,
    };
    let new = bff::accounts::NewAccount {
        username,
        password,
        role,
        tenant_id,
        email: optional(email),
    };
    portal.account_create(&actor, &new).await?;
    Ok(())
}

/// Enables or disables an account (its sessions end when disabled).
#[server(endpoint = "users/set-disabled", output = crate::api::JsonText)]
pub async fn set_account_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let update = bff::accounts::AccountUpdate {
        disabled: Some(disabled),
        ..Default::default()
    };
    portal.account_update(&actor, id, &update).await?;
    Ok(())
}

/// Ends every session of an account (the person must sign in again).
#[server(endpoint = "users/end-sessions", output = crate::api::JsonText)]
pub async fn end_account_sessions(id: i64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.account_end_sessions(&actor, id).await?)
}

#[server(endpoint = "users/delete", output = crate::api::JsonText)]
pub async fn delete_account(id: i64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.account_delete(&actor, id).await?)
}

#[server(endpoint = "tenants/list", output = crate::api::JsonText)]
pub async fn list_tenants() -> Result<Deferred<Vec<Tenant>>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Deferred::new(&portal.tenants_list(&actor).await?)
}

/// Creates a tenant; `alias_domains` is comma- or space-separated.
#[server(endpoint = "tenants/create", output = crate::api::JsonText)]
pub async fn create_tenant(
    name: String,
    tag: String,
    alias_domains: String,
) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let alias_domains = alias_domains
        .split([',', ' '])
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(String::from)
        .collect();
    let input = bff::tenants::TenantInput {
        name,
        tag,
        alias_domains,
    };
    portal.tenant_create(&actor, &input).await?;
    Ok(())
}

#[server(endpoint = "tenants/delete", output = crate::api::JsonText)]
pub async fn delete_tenant(id: i64) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.tenant_delete(&actor, id).await?)
}
