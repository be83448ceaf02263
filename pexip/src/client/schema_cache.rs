//! Resource schemas kept for a while, so forms and query checks do not fetch them every time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::path::Api;
use crate::schema::Schema;

/// Cached schemas by tree and resource, with the time each was fetched.
type Entries = HashMap<(Api, String), (Instant, Arc<Schema>)>;

/// The schemas being fetched: a caller that misses the cache waits here while another fetches
/// the same one, then finds it cached.
type Fetching = HashMap<(Api, String), Arc<tokio::sync::Mutex<()>>>;

pub(crate) struct SchemaCache {
    ttl: Duration,
    entries: Mutex<Entries>,
    fetching: Mutex<Fetching>,
}

impl SchemaCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        SchemaCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            fetching: Mutex::new(HashMap::new()),
        }
    }

    /// The turn to fetch the schema of `resource`: one fetch at a time per schema, so that
    /// callers missing the cache together (a page's requests on a cold cache) make one request.
    pub(crate) fn fetch_turn(&self, api: Api, resource: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut fetching = self.fetching.lock().unwrap_or_else(|e| e.into_inner());
        fetching
            .entry((api, resource.to_owned()))
            .or_default()
            .clone()
    }

    /// Forgets the turn of `resource` once no other caller holds or waits for it (`turn` is
    /// the caller's own copy), so the map holds only schemas being fetched.
    pub(crate) fn end_turn(&self, api: Api, resource: &str, turn: Arc<tokio::sync::Mutex<()>>) {
        let mut fetching = self.fetching.lock().unwrap_or_else(|e| e.into_inner());
        // The map's copy and `turn`: nobody else.
        if Arc::strong_count(&turn) == 2 {
            fetching.remove(&(api, resource.to_owned()));
        }
    }

    /// The cached schema, when fresh.
    pub(crate) fn get(&self, api: Api, resource: &str) -> Option<Arc<Schema>> {
        let entries = self.lock();
        let (at, schema) = entries.get(&(api, resource.to_owned()))?;
        (at.elapsed() < self.ttl).then(|| schema.clone())
    }

    pub(crate) fn put(&self, api: Api, resource: &str, schema: Arc<Schema>) {
        self.lock()
            .insert((api, resource.to_owned()), (Instant::now(), schema));
    }

    pub(crate) fn invalidate(&self, api: Api, resource: &str) {
        self.lock().remove(&(api, resource.to_owned()));
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // Entries are replaced whole; a panic elsewhere cannot leave one half-written.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_after_ttl_and_invalidates() {
        let schema = Arc::new(Schema::from_json(r#"{"fields": {}}"#).unwrap());
        let cache = SchemaCache::new(Duration::from_secs(60));
        cache.put(Api::Configuration, "conference", schema.clone());
        assert!(cache.get(Api::Configuration, "conference").is_some());
        assert!(cache.get(Api::Status, "conference").is_none());
        cache.invalidate(Api::Configuration, "conference");
        assert!(cache.get(Api::Configuration, "conference").is_none());
        cache.put(Api::Configuration, "conference", schema.clone());
        cache.clear();
        assert!(cache.get(Api::Configuration, "conference").is_none());
        let expired = SchemaCache::new(Duration::ZERO);
        expired.put(Api::Configuration, "conference", schema);
        assert!(expired.get(Api::Configuration, "conference").is_none());
    }
}
