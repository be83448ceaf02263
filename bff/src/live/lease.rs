//! A named lease held by one portal instance at a time: the instance holding `live-feed` runs the
//! upstream source, the others follow it (see [`super::election`]).
//!
//! The lease lives in Redis when the deployment has Redis (`SET key holder NX PX ttl` to take
//! it, a compare-and-set Lua script to renew and release it), else in the accounts database (a
//! row of `live_leases` with its holder and expiry, taken with one `INSERT … ON CONFLICT DO
//! UPDATE … WHERE` that only overwrites an expired row or our own). Times are the store's own
//! clock (Redis expiry, PostgreSQL's `clock_timestamp()`), so instances need not agree on theirs.
//!
//! A holder renews every third of the TTL ([`Lease::hold`]); a renewal that fails or finds the
//! lease gone ends the holding at once, so an instance never acts as leader past its expiry.

use crate::db::{Db, DbError, with_pool};
use std::sync::OnceLock;
use std::time::Duration;
use tower_sessions_redis_store::fred::prelude::{Client as RedisClient, KeysInterface};
use tower_sessions_redis_store::fred::types::{
    ClusterHash, CustomCommand, Expiration, SetOptions, Value as RedisValue,
};

/// How long a lease lasts without renewal, by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(10);

/// This process's instance id: 16 random hex digits, drawn once per process.
pub fn instance_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let mut bytes = [0u8; 8];
        // Without an operating-system random source the clock and the process id still
        // distinguish the instances of one deployment.
        if getrandom::fill(&mut bytes).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            bytes = (u64::from(std::process::id()) ^ nanos as u64).to_be_bytes();
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// A lease could not be read or written (the store is unreachable or refused the command).
#[derive(Debug, thiserror::Error)]
#[error("the lease `{name}` could not be {action} in {store}: {reason}")]
pub struct LeaseError {
    name: String,
    action: &'static str,
    store: &'static str,
    reason: String,
}

/// Where leases live.
#[derive(Clone)]
pub enum LeaseStore {
    /// A Redis server; keys are `<prefix>lease:<name>`.
    Redis { client: RedisClient, prefix: String },
    /// The accounts database's `live_leases` table.
    Db(Db),
}

impl std::fmt::Debug for LeaseStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeaseStore::Redis { prefix, .. } => write!(f, "Redis({prefix:?})"),
            LeaseStore::Db(db) => write!(f, "Db({:?})", db.kind()),
        }
    }
}

impl LeaseStore {
    fn label(&self) -> &'static str {
        match self {
            LeaseStore::Redis { .. } => "Redis",
            LeaseStore::Db(Db::Postgres(_)) => "PostgreSQL",
            LeaseStore::Db(Db::Sqlite(_)) => "SQLite",
        }
    }
}

/// Who holds a lease after an attempt to take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holding {
    /// This lease's holder (taken now, or renewed because it was already ours).
    Mine,
    /// Another instance, for at most `expires_in` more unless it renews.
    Theirs {
        holder: String,
        expires_in: Duration,
    },
}

/// Why [`Lease::hold`] stopped holding.
#[derive(Debug)]
pub enum Lost {
    /// The lease had expired or another instance held it when renewing.
    Taken,
    /// The renewal could not be made.
    Failed(LeaseError),
}

/// One instance's handle on a named lease.
#[derive(Debug, Clone)]
pub struct Lease {
    store: LeaseStore,
    name: String,
    holder: String,
    ttl: Duration,
}

/// The compare-and-set renewal: extends the key's expiry only while it holds our id.
const RENEW_SCRIPT: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
/// The compare-and-delete release: deletes the key only while it holds our id.
const RELEASE_SCRIPT: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     return redis.call('DEL', KEYS[1]) else return 0 end";

/// The current time in Unix milliseconds, on the database's clock.
macro_rules! now_ms {
    (postgres) => {
        "(extract(epoch from clock_timestamp()) * 1000)::bigint"
    };
    (sqlite) => {
        "CAST(unixepoch('subsec') * 1000 AS INTEGER)"
    };
}

/// Takes the lease (`$1` name, `$2` holder, `$3` TTL in ms) unless another holder's row has not
/// expired; returns the holder when taken.
macro_rules! acquire_sql {
    ($engine:ident) => {
        concat!(
            "INSERT INTO live_leases (name, holder, expires_at) VALUES ($1, $2, ",
            now_ms!($engine),
            " + $3) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             expires_at = excluded.expires_at \
             WHERE live_leases.expires_at < ",
            now_ms!($engine),
            " OR live_leases.holder = excluded.holder RETURNING holder"
        )
    };
}

/// Extends our unexpired row (`$1` name, `$2` holder, `$3` TTL in ms).
macro_rules! renew_sql {
    ($engine:ident) => {
        concat!(
            "UPDATE live_leases SET expires_at = ",
            now_ms!($engine),
            " + $3 WHERE name = $1 AND holder = $2 AND expires_at >= ",
            now_ms!($engine)
        )
    };
}

/// The holder of `$1` and the milliseconds left.
macro_rules! holder_sql {
    ($engine:ident) => {
        concat!(
            "SELECT holder, expires_at - ",
            now_ms!($engine),
            " FROM live_leases WHERE name = $1"
        )
    };
}

const RELEASE_SQL: &str = "DELETE FROM live_leases WHERE name = $1 AND holder = $2";

impl Lease {
    /// A handle on the lease `name` for `holder` (normally [`instance_id`]), lasting `ttl`
    /// without renewal (at least 30 ms, so that a third of it is a usable renewal period).
    pub fn new(store: LeaseStore, name: &str, holder: &str, ttl: Duration) -> Lease {
        Lease {
            store,
            name: name.to_string(),
            holder: holder.to_string(),
            ttl: ttl.max(Duration::from_millis(30)),
        }
    }

    /// The lease's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Who this handle holds the lease as.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// How long the lease lasts without renewal.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// How often a holder renews: a third of the TTL.
    pub fn renew_every(&self) -> Duration {
        self.ttl / 3
    }

    fn ttl_ms(&self) -> i64 {
        i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX)
    }

    fn error(&self, action: &'static str, reason: impl ToString) -> LeaseError {
        LeaseError {
            name: self.name.clone(),
            action,
            store: self.store.label(),
            reason: reason.to_string(),
        }
    }

    /// Takes the lease when it is free or expired (or renews it when it is already ours), else
    /// says who holds it and for how long.
    pub async fn try_acquire(&self) -> Result<Holding, LeaseError> {
        match &self.store {
            LeaseStore::Redis { client, prefix } => {
                let key = format!("{prefix}lease:{}", self.name);
                let set: Option<String> = client
                    .set(
                        key.as_str(),
                        self.holder.as_str(),
                        Some(Expiration::PX(self.ttl_ms())),
                        Some(SetOptions::NX),
                        false,
                    )
                    .await
                    .map_err(|error| self.error("taken", error))?;
                if set.is_some() || self.renew_redis(client, &key).await? {
                    return Ok(Holding::Mine);
                }
                let holder: Option<String> = client
                    .get(key.as_str())
                    .await
                    .map_err(|error| self.error("read", error))?;
                let left: i64 = client
                    .pttl(key.as_str())
                    .await
                    .map_err(|error| self.error("read", error))?;
                Ok(theirs(holder, left))
            }
            LeaseStore::Db(db) => {
                let taken: Option<String> = with_pool!(db, pool => {
                    let sql = match db {
                        Db::Postgres(_) => acquire_sql!(postgres),
                        Db::Sqlite(_) => acquire_sql!(sqlite),
                    };
                    sqlx::query_scalar(sql)
                        .bind(&self.name)
                        .bind(&self.holder)
                        .bind(self.ttl_ms())
                        .fetch_optional(pool)
                        .await
                })
                .map_err(|error| self.error("taken", DbError::from(error)))?;
                if taken.is_some() {
                    return Ok(Holding::Mine);
                }
                let row: Option<(String, i64)> = with_pool!(db, pool => {
                    let sql = match db {
                        Db::Postgres(_) => holder_sql!(postgres),
                        Db::Sqlite(_) => holder_sql!(sqlite),
                    };
                    sqlx::query_as(sql).bind(&self.name).fetch_optional(pool).await
                })
                .map_err(|error| self.error("read", DbError::from(error)))?;
                Ok(match row {
                    Some((holder, left)) => theirs(Some(holder), left),
                    None => theirs(None, 0),
                })
            }
        }
    }

    /// Extends the lease by a whole TTL if this handle still holds it; `false` when it has
    /// expired or another instance holds it.
    pub async fn renew(&self) -> Result<bool, LeaseError> {
        match &self.store {
            LeaseStore::Redis { client, prefix } => {
                let key = format!("{prefix}lease:{}", self.name);
                self.renew_redis(client, &key).await
            }
            LeaseStore::Db(db) => {
                let done = with_pool!(db, pool => {
                    let sql = match db {
                        Db::Postgres(_) => renew_sql!(postgres),
                        Db::Sqlite(_) => renew_sql!(sqlite),
                    };
                    sqlx::query(sql)
                        .bind(&self.name)
                        .bind(&self.holder)
                        .bind(self.ttl_ms())
                        .execute(pool)
                        .await
                        .map(|done| done.rows_affected())
                })
                .map_err(|error| self.error("renewed", DbError::from(error)))?;
                Ok(done == 1)
            }
        }
    }

    async fn renew_redis(&self, client: &RedisClient, key: &str) -> Result<bool, LeaseError> {
        let renewed: i64 = eval(client, RENEW_SCRIPT, key, &self.holder, Some(self.ttl_ms()))
            .await
            .map_err(|error| self.error("renewed", error))?;
        Ok(renewed == 1)
    }

    /// Gives the lease up if this handle holds it, so another instance can take it at once.
    pub async fn release(&self) -> Result<(), LeaseError> {
        match &self.store {
            LeaseStore::Redis { client, prefix } => {
                let key = format!("{prefix}lease:{}", self.name);
                let _: i64 = eval(client, RELEASE_SCRIPT, &key, &self.holder, None)
                    .await
                    .map_err(|error| self.error("released", error))?;
            }
            LeaseStore::Db(db) => {
                with_pool!(db, pool => sqlx::query(RELEASE_SQL)
                    .bind(&self.name)
                    .bind(&self.holder)
                    .execute(pool)
                    .await
                    .map(|_| ()))
                .map_err(|error| self.error("released", DbError::from(error)))?;
            }
        }
        Ok(())
    }

    /// Renews the lease every [`Lease::renew_every`] while it is held; returns as soon as a
    /// renewal finds it gone or fails (the caller must stop acting as holder at once). The
    /// first renewal is one period after the call: call it right after taking the lease.
    pub async fn hold(&self) -> Lost {
        let mut ticks = tokio::time::interval(self.renew_every());
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            match self.renew().await {
                Ok(true) => {}
                Ok(false) => return Lost::Taken,
                Err(error) => return Lost::Failed(error),
            }
        }
    }
}

/// `Theirs` from a holder read back and its milliseconds left (a key or row that vanished in
/// between reads as free now: the next attempt takes it).
fn theirs(holder: Option<String>, left_ms: i64) -> Holding {
    Holding::Theirs {
        holder: holder.unwrap_or_default(),
        expires_in: Duration::from_millis(u64::try_from(left_ms).unwrap_or(0)),
    }
}

/// Runs a Lua script on one key with the holder (and a TTL in ms) as arguments.
async fn eval(
    client: &RedisClient,
    script: &'static str,
    key: &str,
    holder: &str,
    ttl_ms: Option<i64>,
) -> Result<i64, tower_sessions_redis_store::fred::error::Error> {
    use tower_sessions_redis_store::fred::prelude::ClientLike;
    let mut args: Vec<RedisValue> = vec![script.into(), 1.into(), key.into(), holder.into()];
    if let Some(ttl) = ttl_ms {
        args.push(ttl.into());
    }
    client
        .custom(
            CustomCommand::new_static("EVAL", ClusterHash::Offset(2), false),
            args,
        )
        .await
}
