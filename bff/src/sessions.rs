//! Sessions: a tower-sessions store chosen by `sessions.store` (SQLite, PostgreSQL or Redis),
//! the cookie (`portal_session`, HttpOnly, SameSite, Secure when served over HTTPS), an idle
//! timeout (the record expires after inactivity; every request with a session renews it) and an
//! absolute timeout (the sign-in time is stored in the session and checked on every read), and
//! the helpers that sign a principal in (with a new session id) and out (deleting the record).
//!
//! Intended wiring in the server:
//! ```ignore
//! let store = bff::sessions::open_session_store(&config.sessions, &db).await?;
//! let _cleanup = bff::sessions::spawn_expired_session_cleanup(&store, &config.sessions);
//! let router = router.layer(bff::sessions::session_layer(store, &config.sessions, served_over_https));
//! // in handlers / server functions, with `session: tower_sessions::Session` extracted:
//! let principal = bff::sessions::current_principal(&session, &db, &config.sessions).await?;
//! ```

use crate::accounts::{Authenticated, Principal, store::stored_by_id};
use crate::db::{Db, DbError, now_unix};
use crate::principal_cache::{self, Cached};
use crate::session_records::KeptRecords;
use crate::tenants;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::task::JoinHandle;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;
use tower_sessions::{ExpiredDeletion, Expiry, Session, SessionManagerLayer, SessionStore};
use tower_sessions_redis_store::RedisStore;
use tower_sessions_redis_store::fred::prelude::{
    Builder as RedisBuilder, ClientLike, Config as RedisConfig, Pool as RedisPool,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session cookie's name.
pub const SESSION_COOKIE_NAME: &str = "portal_session";
/// The session key holding who signed in and when.
const AUTH_KEY: &str = "portal.auth";
/// The session key holding the OpenID provider a person signed in with, for signing out there.
const SSO_KEY: &str = "portal.sso";
/// When the signed-in session's record last had its idle timeout renewed (Unix seconds).
pub const RENEWED_KEY: &str = "portal.renewed_at";

/// `[sessions]`: where sessions live and how long they last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionConfig {
    /// `sqlite`, `postgres` or `redis`. Unset: the accounts database's engine (SQLite by
    /// default; PostgreSQL when `database.url` is `postgres://…`). `sqlite` and `postgres` keep
    /// sessions in the accounts database, so they need it to be that engine.
    pub store: Option<SessionStoreKind>,
    /// The Redis server for `store = "redis"` (`redis://[:password@]host:port[/db]`).
    pub redis_url: String,
    /// Whether the cookie is marked Secure: `auto` (when the server itself serves HTTPS),
    /// `always` (set this behind a TLS-terminating proxy) or `never`.
    pub secure_cookie: SecureCookie,
    /// The cookie's SameSite attribute: `strict` or `lax`.
    pub same_site: SameSitePolicy,
    /// A session ends after this many seconds without a request.
    pub idle_timeout_secs: u64,
    /// A session ends this many seconds after sign-in, however active.
    pub absolute_timeout_secs: u64,
    /// How often expired sessions are deleted from a SQLite or PostgreSQL store.
    pub cleanup_interval_secs: u64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            store: None,
            redis_url: "redis://127.0.0.1:6379".into(),
            secure_cookie: SecureCookie::Auto,
            same_site: SameSitePolicy::Strict,
            idle_timeout_secs: 30 * 60,
            absolute_timeout_secs: 12 * 60 * 60,
            cleanup_interval_secs: 5 * 60,
        }
    }
}

impl SessionConfig {
    /// Whether the values make sense.
    pub fn validate(&self) -> Result<(), SessionError> {
        let positive = [
            ("sessions.idle_timeout_secs", self.idle_timeout_secs),
            ("sessions.absolute_timeout_secs", self.absolute_timeout_secs),
            ("sessions.cleanup_interval_secs", self.cleanup_interval_secs),
        ];
        for (key, value) in positive {
            if value == 0 || i64::try_from(value).is_err() {
                return Err(SessionError::Config(format!(
                    "{key} must be a positive number of seconds, got {value}"
                )));
            }
        }
        Ok(())
    }
}

/// Where sessions are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStoreKind {
    Sqlite,
    Postgres,
    Redis,
}

/// When the session cookie is marked Secure. Written `"auto"`, `"always"` or `"never"`;
/// `true` and `false` (as booleans or strings) mean `always` and `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecureCookie {
    /// When the portal itself serves HTTPS.
    Auto,
    /// Always (behind a TLS-terminating proxy).
    Always,
    /// Never (plain HTTP only; not for production).
    Never,
}

impl<'de> Deserialize<'de> for SecureCookie {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Flag(bool),
            Word(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Flag(true) => Ok(SecureCookie::Always),
            Raw::Flag(false) => Ok(SecureCookie::Never),
            Raw::Word(word) => match word.trim().to_ascii_lowercase().as_str() {
                "auto" => Ok(SecureCookie::Auto),
                "always" | "true" => Ok(SecureCookie::Always),
                "never" | "false" => Ok(SecureCookie::Never),
                _ => Err(serde::de::Error::custom(format!(
                    "expected auto, always or never, got `{word}`"
                ))),
            },
        }
    }
}

impl SecureCookie {
    /// Whether to set Secure, given whether the server serves HTTPS itself.
    pub fn resolve(self, served_over_https: bool) -> bool {
        match self {
            SecureCookie::Auto => served_over_https,
            SecureCookie::Always => true,
            SecureCookie::Never => false,
        }
    }
}

/// The session cookie's SameSite attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SameSitePolicy {
    Strict,
    Lax,
}

/// The message of a request refused because the session store or the accounts database could
/// not be reached (answered `503`).
pub const DATABASE_UNAVAILABLE: &str = "database unavailable, try again";

/// A session operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("invalid session configuration: {0}")]
    Config(String),
    #[error("cannot prepare the session store: {0}")]
    Store(String),
    #[error("the Redis session store at {url} does not answer: {reason}")]
    Redis { url: String, reason: String },
    #[error("session error: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot read the signed-in account's tenant: {0}")]
    Tenant(String),
}

impl SessionError {
    /// Whether the session store or the accounts database could not be reached (down,
    /// restarting, a connection cut, no free connection in time): the request may succeed when
    /// tried again, and is answered 503, not as a broken session.
    pub fn is_unavailable(&self) -> bool {
        match self {
            SessionError::Db(error) => error.is_unavailable(),
            // A store's backend error is its database or Redis failing; encoding and decoding
            // errors are about the record itself.
            SessionError::Session(tower_sessions::session::Error::Store(
                session_store::Error::Backend(_),
            )) => true,
            SessionError::Redis { .. } => true,
            _ => false,
        }
    }
}

/// The session store the configuration chose. Cheap to clone.
#[derive(Debug, Clone)]
pub enum PortalSessionStore {
    /// The records are also kept in memory for a few seconds (one instance, see
    /// [`crate::session_records`]).
    Sqlite(KeptRecords<SqliteStore>),
    Postgres(PostgresStore),
    Redis(RedisStore<RedisPool>),
}

#[async_trait]
impl SessionStore for PortalSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.create(record).await,
            PortalSessionStore::Postgres(store) => store.create(record).await,
            PortalSessionStore::Redis(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.save(record).await,
            PortalSessionStore::Postgres(store) => store.save(record).await,
            PortalSessionStore::Redis(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            PortalSessionStore::Sqlite(store) => store.load(id).await,
            PortalSessionStore::Postgres(store) => store.load(id).await,
            PortalSessionStore::Redis(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            PortalSessionStore::Sqlite(store) => store.delete(id).await,
            PortalSessionStore::Postgres(store) => store.delete(id).await,
            PortalSessionStore::Redis(store) => store.delete(id).await,
        }
    }
}

/// Opens the configured session store: the SQLite or PostgreSQL store inside the accounts
/// database (its table is created when missing), or a Redis connection pool (checked now, so a
/// server without Redis does not start).
pub async fn open_session_store(
    config: &SessionConfig,
    db: &Db,
) -> Result<PortalSessionStore, SessionError> {
    config.validate()?;
    let kind = config.store.unwrap_or(match db {
        Db::Sqlite(_) => SessionStoreKind::Sqlite,
        Db::Postgres(_) => SessionStoreKind::Postgres,
    });
    match (kind, db) {
        (SessionStoreKind::Sqlite, Db::Sqlite(pool)) => {
            let store = SqliteStore::new(pool.clone());
            // `CREATE … IF NOT EXISTS` can still collide with another instance doing the same
            // at that moment; the second try finds the table made.
            if store.migrate().await.is_err() {
                store
                    .migrate()
                    .await
                    .map_err(|error| SessionError::Store(error.to_string()))?;
            }
            Ok(PortalSessionStore::Sqlite(KeptRecords::new(store)))
        }
        (SessionStoreKind::Postgres, Db::Postgres(pool)) => {
            let store = PostgresStore::new(pool.clone());
            // `CREATE … IF NOT EXISTS` can still collide with another instance doing the same
            // at that moment; the second try finds the table made.
            if store.migrate().await.is_err() {
                store
                    .migrate()
                    .await
                    .map_err(|error| SessionError::Store(error.to_string()))?;
            }
            Ok(PortalSessionStore::Postgres(store))
        }
        (SessionStoreKind::Redis, _) => Ok(PortalSessionStore::Redis(RedisStore::new(
            connect_redis(&config.redis_url).await?,
        ))),
        (SessionStoreKind::Sqlite, Db::Postgres(_)) => Err(SessionError::Config(
            "sessions.store = \"sqlite\" keeps sessions in the accounts database, which is \
             PostgreSQL (database.url); use \"postgres\" or \"redis\""
                .into(),
        )),
        (SessionStoreKind::Postgres, Db::Sqlite(_)) => Err(SessionError::Config(
            "sessions.store = \"postgres\" keeps sessions in the accounts database, which is \
             SQLite; set database.url to a postgres:// URL, or use \"sqlite\" or \"redis\""
                .into(),
        )),
    }
}

/// The number of connections in the Redis pool.
const REDIS_POOL_SIZE: usize = 4;

async fn connect_redis(url: &str) -> Result<RedisPool, SessionError> {
    let shown = crate::db::redact_url(url);
    let redis_error = |reason: String| SessionError::Redis {
        url: shown.clone(),
        reason,
    };
    let config = RedisConfig::from_url(url).map_err(|error| redis_error(error.to_string()))?;
    let mut builder = RedisBuilder::from_config(config);
    builder.with_connection_config(|connection| {
        connection.connection_timeout = Duration::from_secs(5);
        connection.internal_command_timeout = Duration::from_secs(5);
    });
    // Reconnect after a lost connection (the first one still fails fast).
    builder.set_policy(
        tower_sessions_redis_store::fred::types::config::ReconnectPolicy::new_exponential(
            0, 100, 5_000, 2,
        ),
    );
    let pool = builder
        .build_pool(REDIS_POOL_SIZE)
        .map_err(|error| redis_error(error.to_string()))?;
    pool.init()
        .await
        .map_err(|error| redis_error(error.to_string()))?;
    Ok(pool)
}

/// Starts deleting expired sessions every `sessions.cleanup_interval_secs` (SQLite and
/// PostgreSQL stores; Redis expires them itself, so there is no task for it).
pub fn spawn_expired_session_cleanup(
    store: &PortalSessionStore,
    config: &SessionConfig,
) -> Option<JoinHandle<()>> {
    let period = Duration::from_secs(config.cleanup_interval_secs.max(1));
    let report = |result: session_store::Result<()>| {
        if let Err(error) = result {
            tracing::error!(%error, "expired-session cleanup stopped");
        }
    };
    match store.clone() {
        PortalSessionStore::Sqlite(store) => Some(tokio::spawn(async move {
            report(store.continuously_delete_expired(period).await)
        })),
        PortalSessionStore::Postgres(store) => Some(tokio::spawn(async move {
            report(store.continuously_delete_expired(period).await)
        })),
        PortalSessionStore::Redis(_) => None,
    }
}

/// Deletes the expired sessions of a SQLite or PostgreSQL store once.
pub async fn delete_expired_sessions(store: &PortalSessionStore) -> Result<(), SessionError> {
    let result = match store {
        PortalSessionStore::Sqlite(store) => store.delete_expired().await,
        PortalSessionStore::Postgres(store) => store.delete_expired().await,
        PortalSessionStore::Redis(_) => Ok(()),
    };
    result.map_err(|error| SessionError::Store(error.to_string()))
}

/// The number of sessions that have not expired, counted in the SQLite or PostgreSQL store's
/// table (`db` is the accounts database those stores live in); `None` for Redis, whose keys are
/// the bare session ids and cannot be told from other keys without reading every one.
pub async fn count_active_sessions(
    store: &PortalSessionStore,
    db: &Db,
) -> Result<Option<u64>, SessionError> {
    let counted: Result<i64, sqlx::Error> = match (store, db) {
        (PortalSessionStore::Sqlite(_), Db::Sqlite(pool)) => {
            sqlx::query_scalar(
                "select count(*) from tower_sessions \
                 where datetime(expiry_date) > datetime('now')",
            )
            .fetch_one(pool)
            .await
        }
        (PortalSessionStore::Postgres(_), Db::Postgres(pool)) => {
            sqlx::query_scalar(
                r#"select count(*) from "tower_sessions"."session" where expiry_date > now()"#,
            )
            .fetch_one(pool)
            .await
        }
        _ => return Ok(None),
    };
    let count = counted.map_err(|error| SessionError::Store(error.to_string()))?;
    Ok(Some(u64::try_from(count).unwrap_or(0)))
}

/// The session middleware: cookie `portal_session`, HttpOnly, path `/`, SameSite and Secure
/// from the configuration (`served_over_https` decides `secure_cookie = "auto"`), expiring
/// after `idle_timeout_secs` of inactivity. A record is written only when it changed: requests
/// renew a signed-in session's timeout at most every [`renew_interval_secs`] (see
/// [`current_principal`]), not with a store write each.
pub fn session_layer(
    store: PortalSessionStore,
    config: &SessionConfig,
    served_over_https: bool,
) -> SessionManagerLayer<PortalSessionStore> {
    let idle = i64::try_from(config.idle_timeout_secs).unwrap_or(i64::MAX);
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE_NAME)
        .with_http_only(true)
        .with_path("/")
        .with_same_site(match config.same_site {
            SameSitePolicy::Strict => SameSite::Strict,
            SameSitePolicy::Lax => SameSite::Lax,
        })
        .with_secure(config.secure_cookie.resolve(served_over_https))
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(idle)))
}

/// How often a signed-in session's idle timeout is renewed: a tenth of the timeout, at most a
/// minute (so a session may end up to that much before `idle_timeout_secs` after its last
/// request).
pub fn renew_interval_secs(config: &SessionConfig) -> i64 {
    i64::try_from(config.idle_timeout_secs / 10)
        .unwrap_or(i64::MAX)
        .min(60)
}

/// Who signed in to a session, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct SessionAuth {
    account_id: i64,
    /// The account's session epoch at sign-in; a password change or disabling bumps it.
    epoch: i64,
    /// Unix seconds.
    login_at: i64,
}

/// Signs `auth`'s account in to `session`: the session gets a new id (the old record is
/// deleted, so a planted session id is worthless), its earlier data is dropped, and the sign-in
/// time is recorded for the absolute timeout.
pub async fn log_in(session: &Session, auth: &Authenticated) -> Result<(), SessionError> {
    if let Some(id) = session.id() {
        principal_cache::forget(&id);
    }
    session.cycle_id().await?;
    session.clear().await;
    session
        .insert(
            AUTH_KEY,
            SessionAuth {
                account_id: auth.account.id,
                epoch: auth.session_epoch,
                login_at: now_unix(),
            },
        )
        .await?;
    Ok(())
}

/// Who is signed in to `session`, if anyone. A session past its absolute timeout, or whose
/// account is gone, disabled or has changed its password since, is ended (deleted) and answers
/// `None`. The session record, account and tenant are read afresh, so every change applies at
/// once (see [`current_principal_cached`] for the request path).
pub async fn current_principal(
    session: &Session,
    db: &Db,
    config: &SessionConfig,
) -> Result<Option<Principal>, SessionError> {
    current_principal_at(session, db, config, now_unix()).await
}

/// [`current_principal`] as of `now` (Unix seconds).
pub async fn current_principal_at(
    session: &Session,
    db: &Db,
    config: &SessionConfig,
    now: i64,
) -> Result<Option<Principal>, SessionError> {
    let id = session.id();
    let found = read_principal(session, db, config, now).await;
    if let (Some(id), Ok(None) | Err(_)) = (id, &found) {
        principal_cache::forget(&id);
    }
    Ok(found?.map(|cached| cached.principal))
}

/// [`current_principal`] with what the previous request of this session found, when that was
/// less than [`principal_cache::TTL_SECS`] ago: no read of the session record, the account or
/// the tenant. Changes to the account or a tenant made through this process apply at once; made
/// by another instance (or a sign-out there), within the cache's TTL ([`principal_cache`]). The
/// absolute timeout and the renewal of the idle timeout are checked as on the full path.
pub async fn current_principal_cached(
    session: &Session,
    db: &Db,
    config: &SessionConfig,
) -> Result<Option<Principal>, SessionError> {
    current_principal_cached_at(session, db, config, now_unix()).await
}

/// [`current_principal_cached`] as of `now` (Unix seconds).
pub async fn current_principal_cached_at(
    session: &Session,
    db: &Db,
    config: &SessionConfig,
    now: i64,
) -> Result<Option<Principal>, SessionError> {
    // The id the cookie names; without one there is nobody to look up.
    let Some(id) = session.id() else {
        return Ok(None);
    };
    let absolute = i64::try_from(config.absolute_timeout_secs).unwrap_or(i64::MAX);
    if let Some(cached) = principal_cache::get(&id, now)
        && now.saturating_sub(cached.login_at) < absolute
        && now.saturating_sub(cached.renewed_at) < renew_interval_secs(config)
    {
        // The session record is still read (one look-up): a sign-out on another instance
        // deletes it, and that must end the session here at once. The cache spares the account
        // and tenant reads.
        match session.get::<SessionAuth>(AUTH_KEY).await? {
            Some(auth) if auth.account_id == cached.principal.account_id => {
                return Ok(Some(cached.principal));
            }
            _ => principal_cache::forget(&id),
        }
    }
    let fill = principal_cache::begin();
    let mut found = read_principal(session, db, config, now).await;
    if found.as_ref().is_err_and(SessionError::is_unavailable) {
        // A pooled connection cut by a database restart fails once; a fresh one may not.
        found = read_principal(session, db, config, now).await;
    }
    match found {
        Ok(Some(cached)) => {
            fill.store(id, cached.clone(), now);
            Ok(Some(cached.principal))
        }
        Ok(None) => {
            principal_cache::forget(&id);
            Ok(None)
        }
        Err(error) => {
            principal_cache::forget(&id);
            Err(error)
        }
    }
}

/// Reads who is signed in to `session` from the session record, the account and its tenant
/// (see [`current_principal`]).
async fn read_principal(
    session: &Session,
    db: &Db,
    config: &SessionConfig,
    now: i64,
) -> Result<Option<Cached>, SessionError> {
    let Some(auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Ok(None);
    };
    let absolute = i64::try_from(config.absolute_timeout_secs).unwrap_or(i64::MAX);
    if now.saturating_sub(auth.login_at) >= absolute {
        tracing::info!(
            account_id = auth.account_id,
            "session ended: absolute timeout"
        );
        session.flush().await?;
        return Ok(None);
    }
    let stored = stored_by_id(db, auth.account_id).await?;
    let Some(stored) = stored.filter(|s| !s.account.disabled && s.session_epoch == auth.epoch)
    else {
        tracing::info!(
            account_id = auth.account_id,
            "session ended: the account was deleted, disabled or given a new password"
        );
        session.flush().await?;
        return Ok(None);
    };
    let tenant = match stored.account.tenant_id {
        Some(id) => tenants::get_tenant(db, id)
            .await
            .map_err(|error| match error {
                tenants::TenantError::Db(error) => SessionError::Db(error),
                other => SessionError::Tenant(other.to_string()),
            })?,
        None => None,
    };
    let mut renewed_at = session
        .get::<i64>(RENEWED_KEY)
        .await?
        .unwrap_or(auth.login_at);
    if now.saturating_sub(renewed_at) >= renew_interval_secs(config) {
        // Changing the record makes the session layer save it with a fresh idle timeout.
        session.insert(RENEWED_KEY, now).await?;
        renewed_at = now;
    }
    let account = stored.account;
    Ok(Some(Cached {
        principal: Principal {
            account_id: account.id,
            username: account.username,
            role: account.role,
            tenant,
            email: account.email,
        },
        login_at: auth.login_at,
        renewed_at,
    }))
}

/// The OpenID provider a session was signed in with, and the ID token it issued (the hint for
/// RP-initiated logout). Kept in the server-side session record only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSignIn {
    pub provider: String,
    pub id_token: String,
}

/// Records, after [`log_in`], that the session came from an OpenID provider.
pub async fn remember_sso(session: &Session, sso: SsoSignIn) -> Result<(), SessionError> {
    session.insert(SSO_KEY, sso).await?;
    Ok(())
}

/// The OpenID provider the session was signed in with, if any.
pub async fn sso_sign_in(session: &Session) -> Result<Option<SsoSignIn>, SessionError> {
    Ok(session.get::<SsoSignIn>(SSO_KEY).await?)
}

/// Signs out: the session record is deleted from the store and the cookie removed.
pub async fn log_out(session: &Session) -> Result<(), SessionError> {
    if let Some(id) = session.id() {
        principal_cache::forget(&id);
    }
    session.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_cookie_follows_the_setting() {
        assert!(SecureCookie::Auto.resolve(true));
        assert!(!SecureCookie::Auto.resolve(false));
        assert!(SecureCookie::Always.resolve(false));
        assert!(!SecureCookie::Never.resolve(true));
        let parsed: SessionConfig =
            serde_json::from_str(r#"{"secure_cookie": "true", "store": "redis"}"#).unwrap();
        assert_eq!(parsed.secure_cookie, SecureCookie::Always);
        assert_eq!(parsed.store, Some(SessionStoreKind::Redis));
        let parse = |json: &str| serde_json::from_str::<SecureCookie>(json);
        assert_eq!(parse("false").unwrap(), SecureCookie::Never);
        assert_eq!(parse("\"Auto\"").unwrap(), SecureCookie::Auto);
        assert_eq!(parse("\"never\"").unwrap(), SecureCookie::Never);
        let error = parse("\"sometimes\"").unwrap_err().to_string();
        assert!(
            error.contains("expected auto, always or never, got `sometimes`"),
            "{error}"
        );
        // The default serializes as a word, so environment overrides are read as strings.
        assert_eq!(
            serde_json::to_value(SessionConfig::default()).unwrap()["secure_cookie"],
            "auto"
        );
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let config = SessionConfig {
            idle_timeout_secs: 0,
            ..SessionConfig::default()
        };
        let error = config.validate().unwrap_err().to_string();
        assert!(error.contains("sessions.idle_timeout_secs"), "{error}");
        assert!(SessionConfig::default().validate().is_ok());
    }
}
