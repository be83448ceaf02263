//! Accounts in the database: create, read, list, update, delete.

use super::validate::{check_password, check_role_fields, normalize_email, normalize_username};
use super::{Account, AccountError, AccountUpdate, NewAccount, Role, password};
use crate::db::{Db, DbError, now_unix, with_pool};
use crate::principal_cache;

/// An account with what only the server may see.
#[derive(Debug, Clone)]
pub(crate) struct StoredAccount {
    pub account: Account,
    pub password_hash: String,
    /// Sessions made under another epoch are no longer valid.
    pub session_epoch: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: i64,
    username: String,
    password_hash: String,
    role: String,
    tenant_id: Option<i64>,
    email: Option<String>,
    disabled: bool,
    session_epoch: i64,
    source: String,
    display_name: Option<String>,
    last_login_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<AccountRow> for StoredAccount {
    type Error = DbError;

    fn try_from(row: AccountRow) -> Result<StoredAccount, DbError> {
        let role: Role = row
            .role
            .parse()
            .map_err(|error| DbError::Corrupt(format!("account {}: {error}", row.id)))?;
        Ok(StoredAccount {
            account: Account {
                id: row.id,
                username: row.username,
                role,
                tenant_id: row.tenant_id,
                email: row.email,
                disabled: row.disabled,
                source: row.source,
                display_name: row.display_name,
                last_login_at: row.last_login_at,
                created_at: row.created_at,
                updated_at: row.updated_at,
            },
            password_hash: row.password_hash,
            session_epoch: row.session_epoch,
        })
    }
}

pub(crate) const COLUMNS: &str = "id, username, password_hash, role, tenant_id, email, \
                       disabled, session_epoch, source, display_name, last_login_at, \
                       created_at, updated_at";

fn normalize_optional_email(email: Option<&str>) -> Result<Option<String>, AccountError> {
    email
        .filter(|e| !e.trim().is_empty())
        .map(normalize_email)
        .transpose()
        .map_err(AccountError::Invalid)
}

/// Turns a foreign-key violation on `tenant_id` into [`AccountError::UnknownTenant`].
fn tenant_or(error: sqlx::Error, tenant_id: Option<i64>) -> AccountError {
    let error = DbError::from(error);
    match tenant_id {
        Some(id) if error.is_foreign_key_violation() => AccountError::UnknownTenant(id),
        _ => AccountError::Db(error),
    }
}

/// Creates a local account (signing in with a portal password).
pub async fn create_account(db: &Db, new: &NewAccount) -> Result<Account, AccountError> {
    create_password_account(db, new, super::LOCAL_SOURCE).await
}

/// Creates an account with a portal password whose source is `source` ([`super::LOCAL_SOURCE`]
/// or [`super::DEMO_SOURCE`]).
pub(crate) async fn create_password_account(
    db: &Db,
    new: &NewAccount,
    source: &str,
) -> Result<Account, AccountError> {
    let username = normalize_username(&new.username).map_err(AccountError::Invalid)?;
    check_password(&new.password).map_err(AccountError::Invalid)?;
    let email = normalize_optional_email(new.email.as_deref())?;
    check_role_fields(new.role, new.tenant_id, email.as_deref()).map_err(AccountError::Invalid)?;
    let hash = password::hash_password(&new.password).await?;
    let now = now_unix();
    let sql = format!(
        "INSERT INTO accounts (username, password_hash, role, tenant_id, email, disabled, \
         source, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, FALSE, $7, $6, $6) \
         RETURNING {COLUMNS}"
    );
    let row: Result<AccountRow, sqlx::Error> = with_pool!(db, pool => {
        sqlx::query_as(&sql)
            .bind(&username)
            .bind(&hash)
            .bind(new.role.as_str())
            .bind(new.tenant_id)
            .bind(&email)
            .bind(now)
            .bind(source)
            .fetch_one(pool)
            .await
    });
    match row {
        Ok(row) => Ok(StoredAccount::try_from(row)?.account),
        Err(error) => {
            let error = tenant_or(error, new.tenant_id);
            match error {
                AccountError::Db(db_error) if db_error.is_unique_violation() => {
                    Err(AccountError::Duplicate(username))
                }
                other => Err(other),
            }
        }
    }
}

pub(crate) async fn stored_by_id(db: &Db, id: i64) -> Result<Option<StoredAccount>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = $1");
    let row: Option<AccountRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    row.map(StoredAccount::try_from).transpose()
}

pub(crate) async fn stored_by_username(
    db: &Db,
    username: &str,
) -> Result<Option<StoredAccount>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE username = $1");
    let row: Option<AccountRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).bind(username).fetch_optional(pool).await
    })?;
    row.map(StoredAccount::try_from).transpose()
}

/// The account with this id, if any.
pub async fn get_account(db: &Db, id: i64) -> Result<Option<Account>, AccountError> {
    Ok(stored_by_id(db, id).await?.map(|stored| stored.account))
}

/// The account with this username (any case), if any: a local name, or a directory account's
/// `<source>:<name>`.
pub async fn find_account(db: &Db, username: &str) -> Result<Option<Account>, AccountError> {
    let username = match username.split_once(':') {
        Some((source, name)) => super::portal_username(source, name),
        None => match normalize_username(username) {
            Ok(username) => username,
            Err(_) => return Ok(None),
        },
    };
    Ok(stored_by_username(db, &username)
        .await?
        .map(|stored| stored.account))
}

/// Every account, by username.
pub async fn list_accounts(db: &Db) -> Result<Vec<Account>, AccountError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts ORDER BY username");
    let rows: Vec<AccountRow> = with_pool!(db, pool => {
        sqlx::query_as(&sql).fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|row| Ok(StoredAccount::try_from(row)?.account))
        .collect()
}

/// Sets a new password; the account's existing sessions end. Accounts of an identity source
/// have no portal password: theirs is refused.
pub async fn set_password(db: &Db, id: i64, new_password: &str) -> Result<(), AccountError> {
    check_password(new_password).map_err(AccountError::Invalid)?;
    let account = stored_by_id(db, id)
        .await?
        .ok_or_else(|| AccountError::NotFound(format!("id {id}")))?
        .account;
    if !account.has_portal_password() {
        return Err(AccountError::Invalid(format!(
            "{} signs in through {}; the password is kept there",
            account.username, account.source
        )));
    }
    let hash = password::hash_password(new_password).await?;
    let updated = with_pool!(db, pool => {
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, session_epoch = session_epoch + 1, \
             updated_at = $2 WHERE id = $3",
        )
        .bind(&hash)
        .bind(now_unix())
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    if updated == 0 {
        return Err(AccountError::NotFound(format!("id {id}")));
    }
    principal_cache::account_changed(id);
    Ok(())
}

/// Runs `$body` in a transaction that holds the accounts' admin lock, so that changes which
/// could take away the last active admin happen one at a time (SQLite: `BEGIN IMMEDIATE`, the
/// database's write lock; PostgreSQL: a transaction-scoped advisory lock). `$tx` is the
/// transaction; the body's `Ok` commits, its `Err` rolls back.
macro_rules! with_admin_lock {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db {
            Db::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let result = $body;
                if result.is_ok() {
                    $tx.commit().await?;
                }
                result
            }
            Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(ADMIN_LOCK_KEY)
                    .execute(&mut *$tx)
                    .await?;
                let result = $body;
                if result.is_ok() {
                    $tx.commit().await?;
                }
                result
            }
        }
    };
}

/// The PostgreSQL advisory lock serialising changes that could remove the last admin.
const ADMIN_LOCK_KEY: i64 = 0x7065_7869_705f_6164; // "pexip_ad"

/// Refused: `account` is the last active admin (someone must be able to manage the portal).
fn last_admin(account: &Account) -> AccountError {
    AccountError::LastAdmin(account.username.clone())
}

/// Changes role, tenant, email or the disabled flag, checking that they still fit together.
/// Disabling an account ends its sessions. The last active admin cannot be demoted or
/// disabled: the check and the change are one transaction, so two concurrent changes cannot
/// each leave the other admin as the last one and then both go through.
pub async fn update_account(
    db: &Db,
    id: i64,
    update: &AccountUpdate,
) -> Result<Account, AccountError> {
    let select = format!("SELECT {COLUMNS} FROM accounts WHERE id = $1");
    let others = "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND NOT disabled AND id <> $1";
    let sql = format!(
        "UPDATE accounts SET role = $1, tenant_id = $2, email = $3, disabled = $4, \
         session_epoch = session_epoch + $5, updated_at = $6 WHERE id = $7 RETURNING {COLUMNS}"
    );
    let result = with_admin_lock!(db, tx => {
        let found: Option<AccountRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
        let current = StoredAccount::try_from(
            found.ok_or_else(|| AccountError::NotFound(format!("id {id}")))?,
        )?
        .account;
        let role = update.role.unwrap_or(current.role);
        let tenant_id = update.tenant_id.unwrap_or(current.tenant_id);
        let email = match &update.email {
            Some(email) => normalize_optional_email(email.as_deref())?,
            None => current.email.clone(),
        };
        let disabled = update.disabled.unwrap_or(current.disabled);
        check_role_fields(role, tenant_id, email.as_deref()).map_err(AccountError::Invalid)?;
        let was_admin = current.role == Role::Admin && !current.disabled;
        let stays_admin = role == Role::Admin && !disabled;
        if was_admin && !stays_admin {
            let remaining: i64 = sqlx::query_scalar(others).bind(id).fetch_one(&mut *tx).await?;
            if remaining == 0 {
                return Err(last_admin(&current));
            }
        }
        let end_sessions = disabled && !current.disabled;
        let row: Result<Option<AccountRow>, sqlx::Error> = sqlx::query_as(&sql)
            .bind(role.as_str())
            .bind(tenant_id)
            .bind(&email)
            .bind(disabled)
            .bind(i64::from(end_sessions))
            .bind(now_unix())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await;
        let row = row
            .map_err(|error| tenant_or(error, tenant_id))?
            .ok_or_else(|| AccountError::NotFound(format!("id {id}")))?;
        Ok::<Account, AccountError>(StoredAccount::try_from(row)?.account)
    });
    if result.is_ok() {
        principal_cache::account_changed(id);
    }
    result
}

/// Records a sign-in's time.
pub(crate) async fn touch_last_login(db: &Db, id: i64) -> Result<(), DbError> {
    with_pool!(db, pool => {
        sqlx::query("UPDATE accounts SET last_login_at = $1 WHERE id = $2")
            .bind(now_unix())
            .bind(id)
            .execute(pool)
            .await
            .map(drop)
    })?;
    Ok(())
}

/// Ends every session of an account (they are checked against its session epoch at each
/// request); the person can sign in again.
pub async fn end_sessions(db: &Db, id: i64) -> Result<(), AccountError> {
    let updated = with_pool!(db, pool => {
        sqlx::query(
            "UPDATE accounts SET session_epoch = session_epoch + 1, updated_at = $1 WHERE id = $2",
        )
        .bind(now_unix())
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    if updated == 0 {
        return Err(AccountError::NotFound(format!("id {id}")));
    }
    principal_cache::account_changed(id);
    Ok(())
}

/// Deletes an account; its sessions end with it. The last active admin cannot be deleted (one
/// transaction with the check, as in [`update_account`]).
pub async fn delete_account(db: &Db, id: i64) -> Result<(), AccountError> {
    let select = format!("SELECT {COLUMNS} FROM accounts WHERE id = $1");
    let others = "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND NOT disabled AND id <> $1";
    let result = with_admin_lock!(db, tx => {
        let found: Option<AccountRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
        let current = StoredAccount::try_from(
            found.ok_or_else(|| AccountError::NotFound(format!("id {id}")))?,
        )?
        .account;
        if current.role == Role::Admin && !current.disabled {
            let remaining: i64 = sqlx::query_scalar(others).bind(id).fetch_one(&mut *tx).await?;
            if remaining == 0 {
                return Err(last_admin(&current));
            }
        }
        sqlx::query("DELETE FROM accounts WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Ok::<(), AccountError>(())
    });
    if result.is_ok() {
        principal_cache::account_changed(id);
    }
    result
}
