//! Login throttling: failed sign-ins are recorded in the accounts database (so every instance
//! sees them) and counted per account and per client address over a sliding window.
//!
//! Each attempt is recorded before its password is checked and then counted together with the
//! others, so guesses sent concurrently (to one instance or several) cannot slip past the limit.
//! A success clears the account's failures but not the address's, so one valid account cannot
//! be used to reset the count while guessing the passwords of others.

use crate::db::{Db, DbError, with_pool};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// `[login_throttle]`: how many failed sign-ins are allowed before waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleConfig {
    /// Failed sign-ins for one username within the window before it is locked (0: no limit).
    pub max_failures_per_account: u32,
    /// Failed sign-ins from one client address (IPv6: its /64) within the window before it is
    /// locked (0: no limit).
    pub max_failures_per_address: u32,
    /// The sliding window, in seconds.
    pub window_secs: u64,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            window_secs: 15 * 60,
        }
    }
}

/// A sign-in that has to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds until the next attempt is accepted (at least 1).
    pub retry_after_secs: u64,
}

impl std::fmt::Display for Throttled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.retry_after_secs;
        let wait = if secs < 120 {
            format!("{secs} seconds")
        } else {
            format!("{} minutes", secs.div_ceil(60))
        };
        write!(f, "Too many failed sign-in attempts. Try again in {wait}.")
    }
}

/// The key failures from this address are counted under: the address for IPv4, the /64 prefix
/// for IPv6 (one host usually holds a whole /64).
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Whether a new sign-in for `username` from `address` would have to wait at time `now` (Unix
/// seconds).
pub async fn check(
    db: &Db,
    config: &ThrottleConfig,
    username: &str,
    address: IpAddr,
    now: i64,
) -> Result<Option<Throttled>, DbError> {
    limits(db, config, username, address, now, 0).await
}

/// A sign-in attempt under way. It is recorded (as a failure) before the password is checked,
/// so concurrent guesses count against each other; [`succeeded`] or [`not_counted`] take it
/// back, and a wrong password just leaves it recorded.
#[derive(Debug)]
pub struct Attempt {
    id: i64,
    username: String,
}

/// Starts a sign-in attempt at `now`: refused with how long to wait when the account or the
/// address has used up its failures in the window (a refused attempt is not recorded).
pub async fn begin_attempt(
    db: &Db,
    config: &ThrottleConfig,
    username: &str,
    address: IpAddr,
    now: i64,
) -> Result<Result<Attempt, Throttled>, DbError> {
    let id = record_failure(db, config, username, address, now).await?;
    let attempt = Attempt {
        id,
        username: username.to_string(),
    };
    match limits(db, config, username, address, now, 1).await {
        Ok(None) => Ok(Ok(attempt)),
        Ok(Some(wait)) => {
            not_counted(db, attempt).await?;
            Ok(Err(wait))
        }
        Err(error) => {
            let _ = not_counted(db, attempt).await;
            Err(error)
        }
    }
}

/// The attempt succeeded: the account's failures are forgotten (the address's are not).
pub async fn succeeded(db: &Db, attempt: Attempt) -> Result<(), DbError> {
    reset_account(db, &attempt.username).await
}

/// The attempt does not count as a failure (it was refused for another reason).
pub async fn not_counted(db: &Db, attempt: Attempt) -> Result<(), DbError> {
    with_pool!(db, pool => {
        sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(attempt.id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// How long to wait when `own` of the failures in the window are the caller's own attempt.
async fn limits(
    db: &Db,
    config: &ThrottleConfig,
    username: &str,
    address: IpAddr,
    now: i64,
    own: u32,
) -> Result<Option<Throttled>, DbError> {
    let window = i64::try_from(config.window_secs).unwrap_or(i64::MAX);
    let since = now.saturating_sub(window);
    let by_account = nth_latest_failure(
        db,
        "username",
        username,
        config.max_failures_per_account,
        own,
        since,
    )
    .await?;
    let by_address = nth_latest_failure(
        db,
        "address",
        &address_key(address),
        config.max_failures_per_address,
        own,
        since,
    )
    .await?;
    let until = by_account
        .into_iter()
        .chain(by_address)
        .map(|failed_at| failed_at.saturating_add(window))
        .max();
    Ok(until.map(|until| Throttled {
        retry_after_secs: u64::try_from(until.saturating_sub(now)).unwrap_or(0).max(1),
    }))
}

/// The time of the `(limit + own)`-th most recent failure after `since` under `column = key`:
/// while it exists, `limit` failures besides the caller's `own` fall in the window.
async fn nth_latest_failure(
    db: &Db,
    column: &'static str,
    key: &str,
    limit: u32,
    own: u32,
    since: i64,
) -> Result<Option<i64>, DbError> {
    if limit == 0 {
        return Ok(None);
    }
    let sql = format!(
        "SELECT failed_at FROM login_failures WHERE {column} = $1 AND failed_at > $2 \
         ORDER BY failed_at DESC LIMIT 1 OFFSET $3"
    );
    let found: Option<i64> = with_pool!(db, pool => {
        sqlx::query_scalar(&sql)
            .bind(key)
            .bind(since)
            .bind(i64::from(limit) + i64::from(own) - 1)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found)
}

/// Records a failed sign-in at `now` and returns its id (and forgets failures older than the
/// window).
pub async fn record_failure(
    db: &Db,
    config: &ThrottleConfig,
    username: &str,
    address: IpAddr,
    now: i64,
) -> Result<i64, DbError> {
    let window = i64::try_from(config.window_secs).unwrap_or(i64::MAX);
    let id = with_pool!(db, pool => {
        sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
            .bind(now.saturating_sub(window))
            .execute(pool)
            .await?;
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO login_failures (username, address, failed_at) VALUES ($1, $2, $3) \
             RETURNING id",
        )
        .bind(username)
        .bind(address_key(address))
        .bind(now)
        .fetch_one(pool)
        .await
    })?;
    Ok(id)
}

/// Forgets the failed sign-ins of `username` (after a successful one).
pub async fn reset_account(db: &Db, username: &str) -> Result<(), DbError> {
    with_pool!(db, pool => {
        sqlx::query("DELETE FROM login_failures WHERE username = $1")
            .bind(username)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_how_long_to_wait() {
        let short = Throttled {
            retry_after_secs: 42,
        };
        assert_eq!(
            short.to_string(),
            "Too many failed sign-in attempts. Try again in 42 seconds."
        );
        let long = Throttled {
            retry_after_secs: 601,
        };
        assert!(long.to_string().ends_with("Try again in 11 minutes."));
    }

    #[test]
    fn ipv6_addresses_count_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_eq!(address_key(a), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }
}
