//! Pending sign-ins (`oidc_logins`): what [`begin`](super::begin) stored for
//! [`finish`](super::finish), keyed by the `state` sent through the provider. A row is taken
//! (selected and deleted) in one statement, so each can be used once.

use crate::db::{Db, DbError, now_unix, with_pool};

/// How long a started sign-in may take to come back, in seconds (10 minutes).
pub const PENDING_LOGIN_TTL_SECS: i64 = 600;

/// One pending sign-in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct PendingLogin {
    pub state: String,
    pub provider_id: String,
    pub nonce: String,
    pub code_verifier: String,
    /// The local path to go to afterwards.
    pub next_path: String,
    /// SHA-256 of the browser binding token, base64url.
    pub binding_hash: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// Stores a pending sign-in.
pub(crate) async fn insert(db: &Db, login: &PendingLogin) -> Result<(), DbError> {
    with_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO oidc_logins \
             (state, provider_id, nonce, code_verifier, next_path, binding_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&login.state)
        .bind(&login.provider_id)
        .bind(&login.nonce)
        .bind(&login.code_verifier)
        .bind(&login.next_path)
        .bind(&login.binding_hash)
        .bind(login.created_at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Removes and returns the pending sign-in of `state`, if there is one: two callbacks with the
/// same state cannot both get it.
pub(crate) async fn take(db: &Db, state: &str) -> Result<Option<PendingLogin>, DbError> {
    let login = with_pool!(db, pool => {
        sqlx::query_as::<_, PendingLogin>(
            "DELETE FROM oidc_logins WHERE state = $1 \
             RETURNING state, provider_id, nonce, code_verifier, next_path, binding_hash, \
             created_at",
        )
        .bind(state)
        .fetch_optional(pool)
        .await
    })?;
    Ok(login)
}

/// Deletes the pending sign-ins older than [`PENDING_LOGIN_TTL_SECS`] (sign-ins abandoned at
/// the provider); returns how many. Call it now and then, e.g. with the session cleanup.
pub async fn delete_expired_pending(db: &Db) -> Result<u64, DbError> {
    let before = now_unix() - PENDING_LOGIN_TTL_SECS;
    let deleted = with_pool!(db, pool => {
        sqlx::query("DELETE FROM oidc_logins WHERE created_at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(deleted)
}
