//! Portal accounts and tenants (admins only). Every change is audited; passwords never are.

use super::BffError;
use crate::accounts::{self, Account, AccountError, AccountUpdate, NewAccount, Role};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use crate::tenants::{self, Tenant, TenantError, TenantInput};
use serde_json::{Value, json};

impl From<AccountError> for BffError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(message) => BffError::field(super::error::NON_FIELD, message),
            AccountError::Duplicate(_) => BffError::field("username", error.to_string()),
            AccountError::NotFound(_) => BffError::NotFound,
            AccountError::LastAdmin(_) => {
                BffError::field(super::error::NON_FIELD, error.to_string())
            }
            AccountError::UnknownTenant(_) => BffError::field("tenant_id", error.to_string()),
            AccountError::Hash(error) => BffError::Internal(error.to_string()),
            AccountError::Db(error) => error.into(),
        }
    }
}

impl From<TenantError> for BffError {
    fn from(error: TenantError) -> Self {
        match error {
            TenantError::Invalid(_) | TenantError::Duplicate { .. } | TenantError::InUse { .. } => {
                BffError::field(super::error::NON_FIELD, error.to_string())
            }
            TenantError::NotFound(_) => BffError::NotFound,
            TenantError::Db(error) => error.into(),
        }
    }
}

fn account_uri(id: i64) -> String {
    format!("portal:account/{id}")
}

fn tenant_uri(id: i64) -> String {
    format!("portal:tenant/{id}")
}

impl Portal {
    pub async fn accounts_list(&self, actor: &Actor) -> Result<Vec<Account>, BffError> {
        self.scope(actor, Operation::UsersManage)?;
        Ok(accounts::list_accounts(&self.db).await?)
    }

    pub async fn account_create(
        &self,
        actor: &Actor,
        new: &NewAccount,
    ) -> Result<Account, BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let changes = json!({
            "username": { "before": null, "after": new.username },
            "role": { "before": null, "after": new.role },
            "tenant_id": { "before": null, "after": new.tenant_id },
            "email": { "before": null, "after": new.email },
        });
        let outcome = accounts::create_account(&self.db, new)
            .await
            .map_err(BffError::from);
        let uri = outcome.as_ref().ok().map(|account| account_uri(account.id));
        self.audit(actor, "account.create", uri, changes, None, outcome)
            .await
    }

    pub async fn account_update(
        &self,
        actor: &Actor,
        id: i64,
        update: &AccountUpdate,
    ) -> Result<Account, BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let demotes = update.role.is_some_and(|role| role != Role::Admin);
        let disables = update.disabled == Some(true);
        if id == actor.principal.account_id && (demotes || disables) {
            return Err(BffError::field(
                super::error::NON_FIELD,
                "you cannot disable your own account or take away your own admin role",
            ));
        }
        let before = accounts::get_account(&self.db, id)
            .await?
            .ok_or(BffError::NotFound)?;
        let mut changes = serde_json::Map::new();
        let mut note = |field: &str, old: Value, new: Value| {
            if old != new {
                changes.insert(field.into(), json!({ "before": old, "after": new }));
            }
        };
        if let Some(role) = update.role {
            note("role", json!(before.role), json!(role));
        }
        if let Some(tenant) = update.tenant_id {
            note("tenant_id", json!(before.tenant_id), json!(tenant));
        }
        if let Some(email) = &update.email {
            note("email", json!(before.email), json!(email));
        }
        if let Some(disabled) = update.disabled {
            note("disabled", json!(before.disabled), json!(disabled));
        }
        let outcome = accounts::update_account(&self.db, id, update)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "account.update",
            Some(account_uri(id)),
            Value::Object(changes),
            None,
            outcome,
        )
        .await
    }

    pub async fn account_set_password(
        &self,
        actor: &Actor,
        id: i64,
        password: &str,
    ) -> Result<(), BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let changes =
            json!({ "password": { "before": crate::audit::MASK, "after": crate::audit::MASK } });
        let outcome = accounts::set_password(&self.db, id, password)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "account.password",
            Some(account_uri(id)),
            changes,
            None,
            outcome,
        )
        .await
    }

    /// Ends every session of an account at once (the person signs in again; a directory
    /// account then gets its role from its groups as they are now).
    pub async fn account_end_sessions(&self, actor: &Actor, id: i64) -> Result<(), BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let before = accounts::get_account(&self.db, id)
            .await?
            .ok_or(BffError::NotFound)?;
        let changes = json!({ "sessions": { "before": before.username, "after": "ended" } });
        let outcome = accounts::end_sessions(&self.db, id)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "account.end_sessions",
            Some(account_uri(id)),
            changes,
            None,
            outcome,
        )
        .await
    }

    pub async fn account_delete(&self, actor: &Actor, id: i64) -> Result<(), BffError> {
        self.scope(actor, Operation::UsersManage)?;
        if id == actor.principal.account_id {
            return Err(BffError::field(
                super::error::NON_FIELD,
                "you cannot delete your own account",
            ));
        }
        let before = accounts::get_account(&self.db, id)
            .await?
            .ok_or(BffError::NotFound)?;
        let changes = json!({ "username": { "before": before.username, "after": null } });
        let outcome = accounts::delete_account(&self.db, id)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "account.delete",
            Some(account_uri(id)),
            changes,
            None,
            outcome,
        )
        .await
    }

    pub async fn tenants_list(&self, actor: &Actor) -> Result<Vec<Tenant>, BffError> {
        self.scope(actor, Operation::UsersManage)?;
        Ok(tenants::list_tenants(&self.db).await?)
    }

    pub async fn tenant_create(
        &self,
        actor: &Actor,
        input: &TenantInput,
    ) -> Result<Tenant, BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let changes = json!({
            "name": { "before": null, "after": input.name },
            "tag": { "before": null, "after": input.tag },
            "alias_domains": { "before": null, "after": input.alias_domains },
        });
        let outcome = tenants::create_tenant(&self.db, input)
            .await
            .map_err(BffError::from);
        let uri = outcome.as_ref().ok().map(|tenant| tenant_uri(tenant.id));
        self.audit(
            actor,
            "tenant.create",
            uri,
            changes,
            Some(input.tag.clone()),
            outcome,
        )
        .await
    }

    pub async fn tenant_update(
        &self,
        actor: &Actor,
        id: i64,
        input: &TenantInput,
    ) -> Result<Tenant, BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let before = tenants::get_tenant(&self.db, id)
            .await?
            .ok_or(BffError::NotFound)?;
        let changes = json!({
            "name": { "before": before.name, "after": input.name },
            "tag": { "before": before.tag, "after": input.tag },
            "alias_domains": { "before": before.alias_domains, "after": input.alias_domains },
        });
        let outcome = tenants::update_tenant(&self.db, id, input)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "tenant.update",
            Some(tenant_uri(id)),
            changes,
            Some(before.tag),
            outcome,
        )
        .await
    }

    pub async fn tenant_delete(&self, actor: &Actor, id: i64) -> Result<(), BffError> {
        self.scope(actor, Operation::UsersManage)?;
        let before = tenants::get_tenant(&self.db, id)
            .await?
            .ok_or(BffError::NotFound)?;
        let changes = json!({ "name": { "before": before.name, "after": null } });
        let outcome = tenants::delete_tenant(&self.db, id)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "tenant.delete",
            Some(tenant_uri(id)),
            changes,
            Some(before.tag),
            outcome,
        )
        .await
    }
}
