//! The first start: an empty accounts database gets an `admin` account.

use super::validate::check_password;
use super::{AccountError, Role, password};
use crate::db::{Db, now_unix, with_pool};

/// The username of the account made on first start.
pub const FIRST_ADMIN_USERNAME: &str = "admin";

/// What [`ensure_first_admin`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstAdmin {
    /// Accounts existed already; nothing was created.
    AlreadySetUp,
    /// `admin` was created with the password given (from `PORTAL_ADMIN_PASSWORD`).
    CreatedWithGivenPassword,
    /// `admin` was created with this generated password, which has been logged once.
    CreatedWithGeneratedPassword(String),
}

/// Creates the `admin` account when no account exists yet, with `given_password` (the value of
/// `PORTAL_ADMIN_PASSWORD`, read by the caller) or a generated password written once to the log.
/// Safe when several instances start at once: only one creates the account.
///
/// Intended call at server start, after [`Db::open`](crate::db::Db::open):
/// `bff::accounts::ensure_first_admin(&db, std::env::var("PORTAL_ADMIN_PASSWORD").ok().as_deref()).await?;`
pub async fn ensure_first_admin(
    db: &Db,
    given_password: Option<&str>,
) -> Result<FirstAdmin, AccountError> {
    if let Some(given) = given_password {
        check_password(given)
            .map_err(|reason| AccountError::Invalid(format!("PORTAL_ADMIN_PASSWORD: {reason}")))?;
    }
    let existing: i64 = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(pool).await
    })?;
    if existing > 0 {
        if given_password.is_some() {
            tracing::info!("PORTAL_ADMIN_PASSWORD is ignored: portal accounts exist already");
        }
        return Ok(FirstAdmin::AlreadySetUp);
    }
    let (secret, generated) = match given_password {
        Some(given) => (given.to_string(), false),
        None => (password::generate_password()?, true),
    };
    let hash = password::hash_password(&secret).await?;
    // Inserts only while the table is still empty; a concurrent start inserts nothing.
    let inserted = with_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO accounts (username, password_hash, role, disabled, created_at, \
             updated_at) SELECT $1, $2, $3, FALSE, $4, $4 \
             WHERE NOT EXISTS (SELECT 1 FROM accounts) ON CONFLICT (username) DO NOTHING",
        )
        .bind(FIRST_ADMIN_USERNAME)
        .bind(&hash)
        .bind(Role::Admin.as_str())
        .bind(now_unix())
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    if inserted == 0 {
        return Ok(FirstAdmin::AlreadySetUp);
    }
    if generated {
        tracing::warn!(
            "created the first portal account `{FIRST_ADMIN_USERNAME}` with the generated \
             password {secret} (shown only this once; change it with `server user passwd \
             {FIRST_ADMIN_USERNAME}`)"
        );
        Ok(FirstAdmin::CreatedWithGeneratedPassword(secret))
    } else {
        tracing::info!(
            "created the first portal account `{FIRST_ADMIN_USERNAME}` with the password \
             from PORTAL_ADMIN_PASSWORD"
        );
        Ok(FirstAdmin::CreatedWithGivenPassword)
    }
}
