//! Signing in with a username and password: throttling, then the portal password of a local
//! account (as slow for unknown accounts as for known ones), or, for names without a local
//! account, the directory ([`PasswordSource`], LDAP / Active Directory) and its role mapping.

use super::store::stored_by_username;
use super::validate::normalize_username;
use super::{Account, ExternalSignInError, password, sign_in_external};
use crate::db::{Db, DbError, now_unix};
use crate::identity::{PasswordSource, RoleMappingConfig, SourceRefusal};
use crate::metrics::Metrics;
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
    /// The directory knows the person, but the role mapping does not let them in.
    #[error("{0}")]
    Refused(String),
    #[error("Signing in is not possible right now ({0}).")]
    Unavailable(String),
}

impl From<DbError> for LoginError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "sign-in failed on the accounts database");
        LoginError::Unavailable("the accounts database is unavailable".into())
    }
}

/// The directory a password sign-in may fall back to, with its role mapping.
#[derive(Clone, Copy)]
pub struct DirectoryLogin<'a> {
    pub source: &'a dyn PasswordSource,
    pub mapping: &'a RoleMappingConfig,
}

/// Checks a username and password of a local account from `client` (the client's address).
/// Failures are not counted in any [`Metrics`].
pub async fn authenticate(
    db: &Db,
    throttle_config: &ThrottleConfig,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<Authenticated, LoginError> {
    let uncounted = Metrics::default();
    authenticate_with(
        db,
        throttle_config,
        &uncounted,
        None,
        username,
        password,
        client,
    )
    .await
}

/// Checks a username and password from `client`: a local account's own password when the name
/// is a local account's, otherwise `directory` when there is one. Failures of either count
/// towards the same throttle; wrong credentials are counted in `metrics` (source `password` or
/// `ldap`).
///
/// Intended call in the login server function, followed by
/// `bff::sessions::log_in(&session, &auth)`.
pub async fn authenticate_with(
    db: &Db,
    throttle_config: &ThrottleConfig,
    metrics: &Metrics,
    directory: Option<DirectoryLogin<'_>>,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<Authenticated, LoginError> {
    let local_name = normalize_username(username).ok();
    let key = local_name
        .clone()
        .unwrap_or_else(|| username.trim().to_lowercase());
    let now = now_unix();
    let attempt = match throttle::begin_attempt(db, throttle_config, &key, client, now).await? {
        Ok(attempt) => attempt,
        Err(wait) => {
            tracing::info!(username = %key, client = %client,
                retry_after_secs = wait.retry_after_secs, "sign-in refused: too many failures");
            return Err(LoginError::Throttled(wait));
        }
    };
    // Only names a local account may have are looked up here (directory accounts are named
    // `<source>:<name>` and have no portal password).
    let stored = match local_name {
        Some(name) => stored_by_username(db, &name)
            .await?
            .filter(|stored| stored.account.has_portal_password()),
        None => None,
    };
    if stored.is_none()
        && let Some(directory) = directory
    {
        return match directory.source.verify(username.trim(), password).await {
            Ok(identity) => match sign_in_external(db, &identity, directory.mapping).await {
                Ok(auth) => {
                    throttle::succeeded(db, attempt).await?;
                    tracing::info!(user = %auth.account.username, client = %client,
                        source = %identity.source, "signed in through the directory");
                    Ok(auth)
                }
                Err(error) => {
                    throttle::not_counted(db, attempt).await?;
                    Err(match error {
                        ExternalSignInError::Disabled => LoginError::Disabled,
                        ExternalSignInError::Refused(reason) => LoginError::Refused(reason),
                        ExternalSignInError::Misconfigured(_) => {
                            LoginError::Refused(error.to_string())
                        }
                        ExternalSignInError::Db(error) => error.into(),
                    })
                }
            },
            Err(SourceRefusal::InvalidCredentials) => {
                tracing::info!(username = %key, client = %client,
                    "sign-in failed: wrong credentials (directory)");
                metrics.sign_in_failure("ldap");
                Err(LoginError::InvalidCredentials)
            }
            Err(SourceRefusal::Unavailable(reason)) => {
                throttle::not_counted(db, attempt).await?;
                Err(LoginError::Unavailable(reason))
            }
        };
    }
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
            metrics.sign_in_failure("password");
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
    super::store::touch_last_login(db, stored.account.id).await?;
    Ok(Authenticated {
        account: stored.account,
        session_epoch: stored.session_epoch,
    })
}
