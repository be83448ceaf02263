//! Account and principal types shared with the UI (compiled without `ssr`).

use super::Role;
use crate::tenants::Tenant;
use serde::{Deserialize, Serialize};

/// A portal account as the Users page and the CLI see it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    /// Lower case, unique.
    pub username: String,
    pub role: Role,
    /// The tenant a `tenant_admin` manages (required for that role, absent for the others).
    pub tenant_id: Option<i64>,
    /// Lower case. Required for `user` accounts: it selects the VMRs whose
    /// `primary_owner_email_address` they may manage.
    pub email: Option<String>,
    /// A disabled account cannot sign in and its sessions end.
    pub disabled: bool,
    /// Where the person signs in: [`LOCAL_SOURCE`] (a portal password), [`DEMO_SOURCE`] (a demo
    /// person, demo mode only) or an identity source's id (`ldap`, an OpenID provider's id),
    /// whose accounts have no portal password and get their role from their groups at every
    /// sign-in.
    pub source: String,
    /// The name the identity source gives (directory accounts).
    pub display_name: Option<String>,
    /// Unix seconds of the last sign-in.
    pub last_login_at: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// [`Account::source`] of accounts with a portal password.
pub const LOCAL_SOURCE: &str = "local";
/// [`Account::source`] of the demo people (demo mode only; removed when a real node is set).
pub const DEMO_SOURCE: &str = "demo";

impl Account {
    /// Whether the person signs in with a portal password (local and demo accounts), so that
    /// password actions apply to them.
    pub fn has_portal_password(&self) -> bool {
        self.source == LOCAL_SOURCE || self.source == DEMO_SOURCE
    }
}

/// What creating an account needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub tenant_id: Option<i64>,
    pub email: Option<String>,
}

/// A change to an account's role, tenant, email or disabled flag; `None` leaves a field as is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUpdate {
    pub role: Option<Role>,
    /// `Some(None)` removes the tenant.
    pub tenant_id: Option<Option<i64>>,
    /// `Some(None)` removes the email address.
    pub email: Option<Option<String>>,
    pub disabled: Option<bool>,
}

/// Who is signed in: what every policy decision starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: i64,
    pub username: String,
    pub role: Role,
    /// The tenant of a `tenant_admin`.
    pub tenant: Option<Tenant>,
    /// The email address of the account (what `user` accounts are scoped by).
    pub email: Option<String>,
}
