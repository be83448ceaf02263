//! The SQLite session store's records, kept in this process's memory for a few seconds, so that a
//! signed-in request does not read its session record from the database every time.
//!
//! With SQLite the portal runs as one instance (several instances share PostgreSQL or Redis, and
//! those stores are not wrapped in this), so every write to a session record goes through this
//! process's store: signing in (a new record, the old one deleted), signing out (deleted), the
//! idle timeout's renewal and the sign-in flows' own keys (saved). Each write updates or drops
//! the kept record at once, and a load that began before a write does not keep what it read.
//! Nothing else writes session records: the `server user` CLI ends sessions through the
//! account's session epoch (read with the account, see [`crate::principal_cache`]), and the
//! expired-session cleanup deletes only records past their expiry, which are never served (and
//! it empties the memory too).
//!
//! A kept record is served for at most [`TTL`] after it was read or written here, and never past
//! its own expiry.

use crate::principal_cache;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;
use tower_sessions::{ExpiredDeletion, SessionStore};

/// How long a record is served from memory after it was read or written (the principal cache's
/// lifetime: an unsupported second instance on the same SQLite file would see the other's
/// sign-outs within it).
pub const TTL: Duration = Duration::from_secs(principal_cache::TTL_SECS.unsigned_abs());
/// The most records kept; past it, those older than the TTL are dropped, then all of them.
const MAX_ENTRIES: usize = 100_000;

/// A session store whose records are kept in memory (see the module documentation).
#[derive(Debug, Clone)]
pub struct KeptRecords<S> {
    store: S,
    kept: Arc<Kept>,
}

#[derive(Debug)]
struct Kept {
    ttl: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    records: HashMap<Id, Entry>,
    /// Counts the writes; a load remembers the count when it began.
    writes: u64,
}

#[derive(Debug)]
struct Entry {
    record: Record,
    kept_at: Instant,
}

impl<S> KeptRecords<S> {
    /// `store`'s records, each kept for [`TTL`].
    pub fn new(store: S) -> Self {
        Self::with_ttl(store, TTL)
    }

    /// `store`'s records, each kept for `ttl`.
    pub fn with_ttl(store: S, ttl: Duration) -> Self {
        Self {
            store,
            kept: Arc::new(Kept {
                ttl,
                state: Mutex::new(State::default()),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves nothing half-done: the map is still a valid
        // set of records.
        self.kept
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// After a write of `id`: keep `written` (the record as stored), or drop the entry when the
    /// record is gone or the write failed. Loads in flight no longer keep what they read.
    fn written(&self, id: &Id, written: Option<Record>) {
        let mut state = self.lock();
        state.writes += 1;
        state.keep_or_drop(id, written, self.kept.ttl);
    }
}

impl State {
    /// Keeps `found` as `id`'s record, or drops `id`'s entry when there is none.
    fn keep_or_drop(&mut self, id: &Id, found: Option<Record>, ttl: Duration) {
        match found {
            Some(record) => self.keep(record, ttl),
            None => {
                self.records.remove(id);
            }
        }
    }

    fn keep(&mut self, record: Record, ttl: Duration) {
        if self.records.len() >= MAX_ENTRIES {
            self.records
                .retain(|_, entry| entry.kept_at.elapsed() < ttl);
            if self.records.len() >= MAX_ENTRIES {
                self.records.clear();
            }
        }
        self.records.insert(
            record.id,
            Entry {
                record,
                kept_at: Instant::now(),
            },
        );
    }
}

#[async_trait]
impl<S: SessionStore> SessionStore for KeptRecords<S> {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let result = self.store.create(record).await;
        self.written(&record.id, result.is_ok().then(|| record.clone()));
        result
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let result = self.store.save(record).await;
        self.written(&record.id, result.is_ok().then(|| record.clone()));
        result
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let began = {
            let state = self.lock();
            if let Some(entry) = state.records.get(id)
                && entry.kept_at.elapsed() < self.kept.ttl
                && entry.record.expiry_date > OffsetDateTime::now_utc()
            {
                return Ok(Some(entry.record.clone()));
            }
            state.writes
        };
        let loaded = self.store.load(id).await?;
        let mut state = self.lock();
        if state.writes == began {
            state.keep_or_drop(id, loaded.clone(), self.kept.ttl);
        }
        Ok(loaded)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let result = self.store.delete(id).await;
        self.written(id, None);
        result
    }
}

/// The cleanup also drops every kept record, so that the memory never serves a record the
/// database no longer holds for longer than until the next load.
#[async_trait]
impl<S: ExpiredDeletion> ExpiredDeletion for KeptRecords<S> {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let result = self.store.delete_expired().await;
        let mut state = self.lock();
        state.writes += 1;
        state.records.clear();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::Notify;

    /// A held load: it signals the first when it has read, then waits for the second.
    type Hold = Arc<(Notify, Notify)>;

    /// A store in memory that counts its loads and can hold a load until told to go on.
    #[derive(Debug, Clone, Default)]
    struct Counting {
        records: Arc<Mutex<HashMap<Id, Record>>>,
        loads: Arc<AtomicUsize>,
        hold: Arc<Mutex<Option<Hold>>>,
    }

    impl Counting {
        fn loads(&self) -> usize {
            self.loads.load(Ordering::SeqCst)
        }

        /// Writes `record` behind the wrapper's back (as another process would).
        fn put(&self, record: Record) {
            self.records.lock().unwrap().insert(record.id, record);
        }

        /// The next load reads, then signals the first `Notify` and waits for the second.
        fn hold_next_load(&self) -> Hold {
            let pair = Arc::new((Notify::new(), Notify::new()));
            *self.hold.lock().unwrap() = Some(pair.clone());
            pair
        }
    }

    #[async_trait]
    impl SessionStore for Counting {
        async fn save(&self, record: &Record) -> session_store::Result<()> {
            self.put(record.clone());
            Ok(())
        }

        async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
            self.loads.fetch_add(1, Ordering::SeqCst);
            let found = self.records.lock().unwrap().get(id).cloned();
            let hold = self.hold.lock().unwrap().take();
            if let Some(pair) = hold {
                pair.0.notify_one();
                pair.1.notified().await;
            }
            Ok(found)
        }

        async fn delete(&self, id: &Id) -> session_store::Result<()> {
            self.records.lock().unwrap().remove(id);
            Ok(())
        }
    }

    #[async_trait]
    impl ExpiredDeletion for Counting {
        async fn delete_expired(&self) -> session_store::Result<()> {
            let now = OffsetDateTime::now_utc();
            self.records
                .lock()
                .unwrap()
                .retain(|_, r| r.expiry_date > now);
            Ok(())
        }
    }

    fn record(value: &str, expires_in: time::Duration) -> Record {
        Record {
            id: Id::default(),
            data: [("k".to_owned(), serde_json::json!(value))].into(),
            expiry_date: OffsetDateTime::now_utc() + expires_in,
        }
    }

    fn value(record: Option<Record>) -> Option<String> {
        record.map(|r| r.data["k"].as_str().unwrap().to_owned())
    }

    const HOUR: time::Duration = time::Duration::hours(1);

    /// A counting store and its records kept for an hour.
    fn kept_for_an_hour() -> (Counting, KeptRecords<Counting>) {
        let store = Counting::default();
        let kept = KeptRecords::with_ttl(store.clone(), Duration::from_secs(3600));
        (store, kept)
    }

    #[tokio::test]
    async fn a_record_read_once_is_served_from_memory_within_the_ttl() {
        let (store, kept) = kept_for_an_hour();
        let first = record("a", HOUR);
        store.put(first.clone());
        assert_eq!(value(kept.load(&first.id).await.unwrap()), Some("a".into()));
        assert_eq!(value(kept.load(&first.id).await.unwrap()), Some("a".into()));
        assert_eq!(store.loads(), 1);
        // Past the TTL (none here), every load reads the store.
        let fresh = KeptRecords::with_ttl(store.clone(), Duration::ZERO);
        fresh.load(&first.id).await.unwrap();
        fresh.load(&first.id).await.unwrap();
        assert_eq!(store.loads(), 3);
    }

    #[tokio::test]
    async fn writes_here_apply_at_once() {
        let (store, kept) = kept_for_an_hour();
        let mut session = record("a", HOUR);
        kept.create(&mut session).await.unwrap();
        assert_eq!(
            value(kept.load(&session.id).await.unwrap()),
            Some("a".into())
        );
        session.data.insert("k".into(), serde_json::json!("b"));
        kept.save(&session).await.unwrap();
        assert_eq!(
            value(kept.load(&session.id).await.unwrap()),
            Some("b".into())
        );
        assert_eq!(store.loads(), 0, "served from what was written");
        kept.delete(&session.id).await.unwrap();
        assert_eq!(kept.load(&session.id).await.unwrap(), None);
        assert_eq!(
            store.loads(),
            1,
            "a deleted record is read again, not served"
        );
    }

    #[tokio::test]
    async fn an_expired_record_is_not_served() {
        let (store, kept) = kept_for_an_hour();
        let mut session = record("a", time::Duration::seconds(-1));
        kept.create(&mut session).await.unwrap();
        kept.load(&session.id).await.unwrap();
        assert_eq!(store.loads(), 1, "past its expiry, the store decides");
    }

    #[tokio::test]
    async fn a_load_that_began_before_a_write_does_not_keep_what_it_read() {
        let (store, kept) = kept_for_an_hour();
        let session = record("old", HOUR);
        store.put(session.clone());
        let pair = store.hold_next_load();
        let loading = tokio::spawn({
            let kept = kept.clone();
            let id = session.id;
            async move { kept.load(&id).await.unwrap() }
        });
        // The load has read "old"; a sign-out deletes the record before the load finishes.
        pair.0.notified().await;
        kept.delete(&session.id).await.unwrap();
        pair.1.notify_one();
        assert_eq!(value(loading.await.unwrap()), Some("old".into()));
        assert_eq!(
            kept.load(&session.id).await.unwrap(),
            None,
            "the deleted record is not served from the stale read"
        );
        assert_eq!(store.loads(), 2);
    }

    #[tokio::test]
    async fn the_expired_session_cleanup_empties_the_memory() {
        let (store, kept) = kept_for_an_hour();
        let mut session = record("a", HOUR);
        kept.create(&mut session).await.unwrap();
        // The database's copy expired (as a record does once its idle timeout passes).
        store.put(Record {
            expiry_date: OffsetDateTime::now_utc() - HOUR,
            ..session.clone()
        });
        kept.delete_expired().await.unwrap();
        assert_eq!(kept.load(&session.id).await.unwrap(), None);
        assert_eq!(store.loads(), 1);
    }
}
