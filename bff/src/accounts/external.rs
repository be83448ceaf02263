//! Just-in-time accounts for people of an identity source (LDAP, OpenID Connect): the first
//! sign-in creates the portal account (source, external id, email, role, tenant), every later
//! one refreshes its role, tenant, email and name from the groups the source reports now. No
//! password is stored for them.

use super::store::{AccountRow, COLUMNS, StoredAccount};
use super::validate::{MAX_USERNAME_CHARS, check_role_fields, normalize_email};
use super::{Account, Authenticated, DEMO_SOURCE, LOCAL_SOURCE, Role};
use crate::db::{Db, DbError, now_unix, with_pool};
use crate::identity::{ExternalIdentity, MappedRole, RoleMappingConfig};
use crate::tenants;

/// Why someone who proved their identity at the source still may not sign in.
#[derive(Debug, thiserror::Error)]
pub enum ExternalSignInError {
    /// The role mapping refused them (message fit to show them).
    #[error("{0}")]
    Refused(String),
    /// An admin disabled their portal account.
    #[error("This account is disabled.")]
    Disabled,
    /// The configuration names something that does not exist (logged in full; the person sees
    /// a general message).
    #[error("The portal's sign-in settings are incomplete; tell your administrator.")]
    Misconfigured(String),
    #[error("Signing in is not possible right now (the accounts database is unavailable).")]
    Db(#[from] DbError),
}

/// Signs in a person the source `identity` came from vouches for: maps their groups to a role
/// and tenant, then creates or refreshes their account. The result goes to
/// [`crate::sessions::log_in`] like a local sign-in.
pub async fn sign_in_external(
    db: &Db,
    identity: &ExternalIdentity,
    mapping: &RoleMappingConfig,
) -> Result<Authenticated, ExternalSignInError> {
    if identity.source == LOCAL_SOURCE || identity.source == DEMO_SOURCE {
        return Err(ExternalSignInError::Misconfigured(format!(
            "an identity source may not be called `{}`",
            identity.source
        )));
    }
    let email = identity
        .email
        .as_deref()
        .and_then(|email| normalize_email(email).ok());
    let (role, tenant_id) = match mapping.map(&identity.groups, email.is_some()) {
        MappedRole::Refused(reason) => {
            tracing::info!(source = %identity.source, user = %identity.username,
                groups = ?identity.groups, "sign-in refused by the role mapping");
            return Err(ExternalSignInError::Refused(reason));
        }
        MappedRole::Granted { role, tenant } => (role, tenant_id(db, tenant.as_deref()).await?),
    };
    check_role_fields(role, tenant_id, email.as_deref())
        .map_err(ExternalSignInError::Misconfigured)?;
    let display_name = identity
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| name.chars().take(200).collect::<String>());
    let person = Person {
        role,
        tenant_id,
        email,
        display_name,
    };
    // Two first sign-ins at once: the second insert collides and finds the first one's row.
    for _ in 0..2 {
        if let Some(stored) = by_external_id(db, &identity.source, &identity.external_id).await? {
            if stored.account.disabled {
                tracing::info!(source = %identity.source, user = %stored.account.username,
                    "sign-in refused: account disabled");
                return Err(ExternalSignInError::Disabled);
            }
            let account = refresh(db, stored.account.id, &person).await?;
            if account.role != stored.account.role
                || account.tenant_id != stored.account.tenant_id
                || account.email != stored.account.email
            {
                // The person's other sessions act with what the directory says now.
                crate::principal_cache::account_changed(account.id);
            }
            if account.role != stored.account.role || account.tenant_id != stored.account.tenant_id
            {
                tracing::info!(user = %account.username, from = %stored.account.role,
                    to = %account.role, "role changed by the directory groups");
            }
            return Ok(Authenticated {
                account,
                session_epoch: stored.session_epoch,
            });
        }
        match create(db, identity, &person).await {
            Ok(stored) => {
                tracing::info!(user = %stored.account.username, role = %stored.account.role,
                    "account created at first sign-in");
                return Ok(Authenticated {
                    account: stored.account,
                    session_epoch: stored.session_epoch,
                });
            }
            Err(CreateError::Taken) => continue,
            Err(CreateError::Db(error)) => return Err(error.into()),
        }
    }
    Err(ExternalSignInError::Db(DbError::Corrupt(format!(
        "the account of {} at {} could neither be found nor created",
        identity.external_id, identity.source
    ))))
}

/// What the source decides about an account at each sign-in.
struct Person {
    role: Role,
    tenant_id: Option<i64>,
    email: Option<String>,
    display_name: Option<String>,
}

/// The id of the tenant a mapping rule names (by name or tag, any case).
async fn tenant_id(db: &Db, wanted: Option<&str>) -> Result<Option<i64>, ExternalSignInError> {
    let Some(wanted) = wanted.map(str::trim) else {
        return Ok(None);
    };
    let all = tenants::list_tenants(db)
        .await
        .map_err(|error| ExternalSignInError::Misconfigured(error.to_string()))?;
    all.into_iter()
        .find(|t| t.name.eq_ignore_ascii_case(wanted) || t.tag.eq_ignore_ascii_case(wanted))
        .map(|t| Some(t.id))
        .ok_or_else(|| {
            let reason = format!("roles.rules names the tenant `{wanted}`, which does not exist");
            tracing::error!("{reason}");
            ExternalSignInError::Misconfigured(reason)
        })
}

async fn by_external_id(
    db: &Db,
    source: &str,
    external_id: &str,
) -> Result<Option<StoredAccount>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE source = $1 AND external_id = $2");
    let row: Option<AccountRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).bind(source).bind(external_id).fetch_optional(pool).await
    })?;
    row.map(StoredAccount::try_from).transpose()
}

async fn refresh(db: &Db, id: i64, person: &Person) -> Result<Account, DbError> {
    let now = now_unix();
    let sql = format!(
        "UPDATE accounts SET role = $1, tenant_id = $2, email = $3, display_name = $4, \
         last_login_at = $5, updated_at = $5 WHERE id = $6 RETURNING {COLUMNS}"
    );
    let row: AccountRow = with_pool!(db, pool => {
        sqlx::query_as(&sql)
            .bind(person.role.as_str())
            .bind(person.tenant_id)
            .bind(&person.email)
            .bind(&person.display_name)
            .bind(now)
            .bind(id)
            .fetch_one(pool)
            .await
    })?;
    Ok(StoredAccount::try_from(row)?.account)
}

enum CreateError {
    /// Another sign-in created this person's account at the same moment.
    Taken,
    Db(DbError),
}

/// Creates the account as `<source>:<name>` (a name local accounts cannot have), with `-2`,
/// `-3`… when another person of the source had that name before.
async fn create(
    db: &Db,
    identity: &ExternalIdentity,
    person: &Person,
) -> Result<StoredAccount, CreateError> {
    let base = portal_username(&identity.source, &identity.username);
    let now = now_unix();
    let sql = format!(
        "INSERT INTO accounts (username, password_hash, role, tenant_id, email, disabled, \
         source, external_id, display_name, last_login_at, created_at, updated_at) \
         VALUES ($1, '', $2, $3, $4, FALSE, $5, $6, $7, $8, $8, $8) RETURNING {COLUMNS}"
    );
    for n in 1..=20 {
        let username = if n == 1 {
            base.clone()
        } else {
            let suffix = format!("-{n}");
            let keep = MAX_USERNAME_CHARS - suffix.len();
            format!("{}{suffix}", base.chars().take(keep).collect::<String>())
        };
        let row: Result<AccountRow, sqlx::Error> = with_pool!(db, pool => {
            sqlx::query_as(&sql)
                .bind(&username)
                .bind(person.role.as_str())
                .bind(person.tenant_id)
                .bind(&person.email)
                .bind(&identity.source)
                .bind(&identity.external_id)
                .bind(&person.display_name)
                .bind(now)
                .fetch_one(pool)
                .await
        });
        match row {
            Ok(row) => return StoredAccount::try_from(row).map_err(CreateError::Db),
            Err(error) => {
                let error = DbError::from(error);
                if !error.is_unique_violation() {
                    return Err(CreateError::Db(error));
                }
                // Either this person's account appeared meanwhile, or the name is someone
                // else's: tell the two apart.
                match by_external_id(db, &identity.source, &identity.external_id).await {
                    Ok(Some(_)) => return Err(CreateError::Taken),
                    Ok(None) => continue,
                    Err(error) => return Err(CreateError::Db(error)),
                }
            }
        }
    }
    Err(CreateError::Db(DbError::Corrupt(format!(
        "no free account name for `{base}`"
    ))))
}

/// `<source>:<name>`, lower case, characters other than letters, digits and `. _ - @` replaced
/// by `_`, at most [`MAX_USERNAME_CHARS`] characters.
pub fn portal_username(source: &str, name: &str) -> String {
    let clean = |text: &str| -> String {
        text.trim()
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let name = clean(name);
    let name = if name.is_empty() { "_".into() } else { name };
    format!("{}:{name}", clean(source))
        .chars()
        .take(MAX_USERNAME_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::portal_username;

    #[test]
    fn portal_usernames_name_the_source_and_stay_valid() {
        assert_eq!(portal_username("ldap", "Alice"), "ldap:alice");
        assert_eq!(
            portal_username("keycloak", "eve*)(uid=*"),
            "keycloak:eve___uid__"
        );
        assert_eq!(portal_username("ldap", "  "), "ldap:_");
        assert_eq!(
            portal_username("ldap", &"x".repeat(100)).chars().count(),
            64
        );
    }
}
