//! Who is signed in to a session, remembered in this process for a few seconds, so that a request
//! does not read the session record, the account and its tenant from the database every time.
//!
//! An entry is keyed by the session id (the random id in the cookie, so entries of different
//! sessions, databases or test portals never mix) and holds the principal with the session's
//! sign-in time, its account's session epoch and when its idle timeout was last renewed. It is
//! used for at most [`TTL_SECS`] seconds after it was read from the database, and never past the
//! absolute timeout or the next renewal of the idle timeout (those take the full path in
//! [`crate::sessions`]).
//!
//! Invalidation in this process is immediate: every change to an account that can change what a
//! session may do (role, tenant, email, disabled, password, ended sessions, deletion) calls
//! [`account_changed`], every change to a tenant (renamed, tag changed, deleted) calls
//! [`everything_changed`], and signing in or out forgets the session's entry ([`forget`]). A
//! look-up that started before such a change cannot store what it read ([`Fill`]).
//!
//! Other instances of the portal (and the `server user` CLI, a process of its own) do not see
//! these calls: there, a change applies when the entry expires, within [`TTL_SECS`]. The same
//! bound holds for a sign-out on another instance and for a session store that lost its records
//! (a Redis restart without persistence).

use crate::accounts::Principal;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard};
use tower_sessions::session::Id;

/// How long an entry is used after it was read from the database, in seconds.
pub const TTL_SECS: i64 = 5;
/// The most entries kept; past it, expired ones are dropped, then all of them.
const MAX_ENTRIES: usize = 100_000;

/// What a session's look-up found.
#[derive(Debug, Clone)]
pub struct Cached {
    pub principal: Principal,
    /// The sign-in time (Unix seconds), for the absolute timeout.
    pub login_at: i64,
    /// When the session's idle timeout was last renewed (Unix seconds).
    pub renewed_at: i64,
}

struct Entry {
    cached: Cached,
    /// When it was read from the database (Unix seconds).
    read_at: i64,
}

#[derive(Default)]
struct State {
    entries: HashMap<Id, Entry>,
    /// Counts the changes; a [`Fill`] remembers the count when its look-up began.
    changes: u64,
    /// The change count of the latest change per account.
    changed_accounts: HashMap<i64, u64>,
    /// The change count of the latest change that concerned every account (a tenant).
    changed_all: u64,
}

/// The cache (one per process, [`get`] and the other functions of this module; a value of its
/// own in tests).
#[derive(Default)]
pub struct PrincipalCache {
    state: Mutex<State>,
}

static CACHE: LazyLock<PrincipalCache> = LazyLock::new(PrincipalCache::default);

/// The look-up of session `id` cached in this process (see [`PrincipalCache::get`]).
pub fn get(id: &Id, now: i64) -> Option<Cached> {
    CACHE.get(id, now)
}

/// Begins a look-up for this process's cache (see [`Fill`]).
pub fn begin() -> Fill<'static> {
    CACHE.begin()
}

/// Forgets session `id` in this process's cache.
pub fn forget(id: &Id) {
    CACHE.forget(id)
}

/// Account `account_id` changed (see [`PrincipalCache::account_changed`]).
pub fn account_changed(account_id: i64) {
    CACHE.account_changed(account_id)
}

/// Every account may have changed (see [`PrincipalCache::everything_changed`]).
pub fn everything_changed() {
    CACHE.everything_changed()
}

/// A look-up from the database about to begin: take it before reading, store with
/// [`Fill::store`] after. A change to the account (or to every account) in between makes the
/// store a no-op, so a value read before a change is never used after it.
#[must_use]
pub struct Fill<'a> {
    cache: &'a PrincipalCache,
    began_at_change: u64,
}

impl Fill<'_> {
    /// Keeps what session `id`'s look-up found, read at `now`, unless something changed since
    /// the look-up began.
    pub fn store(self, id: Id, cached: Cached, now: i64) {
        let mut state = self.cache.lock();
        let account_changed = state
            .changed_accounts
            .get(&cached.principal.account_id)
            .is_some_and(|&at| at > self.began_at_change);
        if account_changed || state.changed_all > self.began_at_change {
            return;
        }
        if state.entries.len() >= MAX_ENTRIES {
            state
                .entries
                .retain(|_, entry| now.saturating_sub(entry.read_at) < TTL_SECS);
            if state.entries.len() >= MAX_ENTRIES {
                state.entries.clear();
            }
        }
        state.entries.insert(
            id,
            Entry {
                cached,
                read_at: now,
            },
        );
    }
}

impl PrincipalCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data: a panic elsewhere while the lock was held leaves it usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached look-up of session `id` as of `now`, if it was read less than [`TTL_SECS`]
    /// ago.
    pub fn get(&self, id: &Id, now: i64) -> Option<Cached> {
        let state = self.lock();
        let entry = state.entries.get(id)?;
        let age = now.saturating_sub(entry.read_at);
        (0..TTL_SECS).contains(&age).then(|| entry.cached.clone())
    }

    /// Begins a look-up (see [`Fill`]).
    pub fn begin(&self) -> Fill<'_> {
        Fill {
            cache: self,
            began_at_change: self.lock().changes,
        }
    }

    /// Forgets session `id` (signed in with a new id, signed out, ended).
    pub fn forget(&self, id: &Id) {
        self.lock().entries.remove(id);
    }

    /// Account `account_id` changed (role, tenant, email, disabled, password, sessions ended,
    /// deleted): its sessions are read from the database again at their next request.
    pub fn account_changed(&self, account_id: i64) {
        let mut state = self.lock();
        state.changes += 1;
        let at = state.changes;
        state.changed_accounts.insert(account_id, at);
        state
            .entries
            .retain(|_, entry| entry.cached.principal.account_id != account_id);
        // The record of changes only matters to look-ups in flight; keep it small.
        if state.changed_accounts.len() > 10_000 {
            state.changed_accounts.clear();
            state.changed_all = at;
        }
    }

    /// Something every account may depend on changed (a tenant): every session is read from
    /// the database again at its next request.
    pub fn everything_changed(&self) {
        let mut state = self.lock();
        state.changes += 1;
        state.changed_all = state.changes;
        state.changed_accounts.clear();
        state.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn cached(account_id: i64) -> Cached {
        Cached {
            principal: Principal {
                account_id,
                username: format!("user{account_id}"),
                role: Role::Helpdesk,
                tenant: None,
                email: None,
            },
            login_at: 1_000,
            renewed_at: 1_000,
        }
    }

    fn fill(cache: &PrincipalCache, id: Id, account_id: i64, now: i64) {
        cache.begin().store(id, cached(account_id), now);
    }

    #[test]
    fn entries_expire_after_the_ttl() {
        let cache = PrincipalCache::default();
        let id = Id::default();
        fill(&cache, id, 1, 2_000);
        assert!(cache.get(&id, 2_000).is_some());
        assert!(cache.get(&id, 2_000 + TTL_SECS - 1).is_some());
        assert!(cache.get(&id, 2_000 + TTL_SECS).is_none(), "expired");
        assert!(
            cache.get(&id, 1_999).is_none(),
            "read in the future: not trusted"
        );
        assert!(
            cache.get(&Id::default(), 2_000).is_none(),
            "another session"
        );
    }

    #[test]
    fn an_account_change_forgets_its_sessions_only() {
        let cache = PrincipalCache::default();
        let (first, second, other) = (Id::default(), Id::default(), Id::default());
        fill(&cache, first, 1, 2_000);
        fill(&cache, second, 1, 2_000);
        fill(&cache, other, 2, 2_000);
        cache.account_changed(1);
        assert!(cache.get(&first, 2_001).is_none());
        assert!(cache.get(&second, 2_001).is_none());
        let kept = cache
            .get(&other, 2_001)
            .expect("another account's session stays");
        assert_eq!(kept.principal.account_id, 2);
        // Read again after the change: cached again.
        fill(&cache, first, 1, 2_002);
        assert_eq!(
            cache.get(&first, 2_002).unwrap().principal.username,
            "user1"
        );
    }

    #[test]
    fn a_look_up_that_began_before_a_change_is_not_kept() {
        let cache = PrincipalCache::default();
        let id = Id::default();
        let fill = cache.begin();
        // The account changes while the look-up reads the database...
        cache.account_changed(1);
        fill.store(id, cached(1), 2_000);
        assert!(
            cache.get(&id, 2_000).is_none(),
            "read before the change: not kept"
        );
        // ...but a change to another account does not spoil it.
        let fill = cache.begin();
        cache.account_changed(2);
        fill.store(id, cached(1), 2_000);
        assert!(cache.get(&id, 2_000).is_some());
    }

    #[test]
    fn a_tenant_change_forgets_everything_and_in_flight_look_ups() {
        let cache = PrincipalCache::default();
        let (id, in_flight) = (Id::default(), Id::default());
        fill(&cache, id, 1, 2_000);
        let fill = cache.begin();
        cache.everything_changed();
        assert!(cache.get(&id, 2_000).is_none());
        fill.store(in_flight, cached(2), 2_000);
        assert!(cache.get(&in_flight, 2_000).is_none());
        // Look-ups that begin afterwards are kept.
        fill_again(&cache, in_flight);
    }

    fn fill_again(cache: &PrincipalCache, id: Id) {
        fill(cache, id, 2, 2_000);
        assert!(cache.get(&id, 2_000).is_some());
    }

    #[test]
    fn forget_drops_one_session() {
        let cache = PrincipalCache::default();
        let (id, other) = (Id::default(), Id::default());
        fill(&cache, id, 1, 2_000);
        fill(&cache, other, 1, 2_000);
        cache.forget(&id);
        assert!(cache.get(&id, 2_000).is_none());
        assert!(cache.get(&other, 2_000).is_some());
    }
}
