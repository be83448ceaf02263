//! Signing in: throttling, then the password check (as slow for unknown accounts as for known
//! ones), then the disabled flag.

use super::store::stored_by_username;
use super::validate::normalize_username;
use super::{Account, password};
use crate::db::{Db, DbError, now_unix};
use crate::throttle::{self, ThrottleConfig, Throttled};
use std::net::IpAddr;

/// A successful sign-in, ready for [`crate::sessions::log_in`].
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub account: Account,
    pub(crate) session_epoch: i64,
}

/// Why a sign-in failed. The messages are fit to show on the login page.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("{0}")]
    Throttled(Throttled),
    /// Unknown username or wrong password (not told apart).
    #[error("Wrong username or password.")]
    InvalidCredentials,
    /// The password was right but the account is disabled.
    #[error("This account is disabled.")]
    Disabled,
    #[error("Signing in is not possible right now ({0}).")]
    Unavailable(String),
}

impl From<DbError> for LoginError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "sign-in failed on the accounts database");
        LoginError::Unavailable("the accounts database is unavailable".into())
    }
}

/// Checks a username and password from `client` (the client's address).
///
/// Intended call in the login server function: `let auth = bff::accounts::authenticate(&db,
/// &config.login_throttle, &form.username, &form.password, client_ip).await?;` followed by
/// `bff::sessions::log_in(&session, &auth).await?`.
pub async fn authenticate(
    db: &Db,
    throttle_config: &ThrottleConfig,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<Authenticated, LoginError> {
    let key = normalize_username(username).unwrap_or_else(|_| username.trim().to_lowercase());
    let now = now_unix();
    let attempt = match throttle::begin_attempt(db, throttle_config, &key, client, now).await? {
        Ok(attempt) => attempt,
        Err(wait) => {
            tracing::info!(username = %key, client = %client,
                retry_after_secs = wait.retry_after_secs, "sign-in refused: too many failures");
            return Err(LoginError::Throttled(wait));
        }
    };
    let stored = stored_by_username(db, &key).await?;
    let hash = stored.as_ref().map(|s| s.password_hash.as_str());
    let matches = match password::verify_password(password, hash).await {
        Ok(matches) => matches,
        Err(error) => {
            throttle::not_counted(db, attempt).await?;
            return Err(LoginError::Unavailable(error.to_string()));
        }
    };
    let stored = match stored {
        Some(stored) if matches => stored,
        _ => {
            // The attempt stays recorded as a failure.
            tracing::info!(username = %key, client = %client, "sign-in failed: wrong credentials");
            return Err(LoginError::InvalidCredentials);
        }
    };
    if stored.account.disabled {
        throttle::not_counted(db, attempt).await?;
        tracing::info!(username = %key, client = %client, "sign-in refused: account disabled");
        return Err(LoginError::Disabled);
    }
    throttle::succeeded(db, attempt).await?;
    tracing::info!(username = %key, client = %client, "signed in");
    Ok(Authenticated {
        account: stored.account,
        session_epoch: stored.session_epoch,
    })
}
