//! The configuration store: for every configuration resource, its objects keyed by id.
//!
//! Objects are kept in their stored form: JSON objects whose relations are resource URIs
//! (`"/api/admin/configuration/v1/conference/1/"`). Whatever is computed when an object is read
//! (a conference's embedded aliases, say) is not stored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One object of a resource.
pub type Object = Map<String, Value>;

/// The store as shared between the handlers and background tasks.
pub type SharedStore = Arc<RwLock<ConfigStore>>;

/// The root of the configuration API.
pub const CONFIG_ROOT: &str = "/api/admin/configuration/v1/";

/// The resource URI of object `id` of `resource` in the configuration API.
pub fn config_uri(resource: &str, id: &ObjectId) -> String {
    format!("{CONFIG_ROOT}{resource}/{id}/")
}

/// Splits a resource URI (`/api/admin/<api>/v1/<resource>/<id>/`, absolute or relative) into the
/// resource name and the id text. Accepts a missing trailing slash.
pub fn split_uri(uri: &str) -> Option<(&str, &str)> {
    let path = match uri.find("/api/admin/") {
        Some(start) => &uri[start..],
        None => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut parts = path.trim_end_matches('/').split('/').skip(5);
    // "", "api", "admin", "<api>", "v1" were skipped: the rest is resource/id.
    let resource = parts.next().filter(|r| !r.is_empty())?;
    let id = parts.next().filter(|i| !i.is_empty())?;
    if parts.next().is_some() {
        return None;
    }
    Some((resource, id))
}

/// The id of an object: an integer for most configuration resources, a string (UUID) for some.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ObjectId {
    Int(i64),
    Text(String),
}

impl ObjectId {
    /// Reads the id part of a URI: an integer when it looks like one, text otherwise.
    pub fn parse(text: &str) -> ObjectId {
        match text.parse::<i64>() {
            Ok(n) => ObjectId::Int(n),
            Err(_) => ObjectId::Text(text.to_owned()),
        }
    }

    /// The id as it appears in an object's `id` field.
    pub fn to_json(&self) -> Value {
        match self {
            ObjectId::Int(n) => Value::from(*n),
            ObjectId::Text(s) => Value::from(s.clone()),
        }
    }

    /// Reads an object's `id` field.
    pub fn from_json(value: &Value) -> Option<ObjectId> {
        match value {
            Value::Number(n) => n.as_i64().map(ObjectId::Int),
            Value::String(s) => Some(ObjectId::parse(s)),
            _ => None,
        }
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectId::Int(n) => write!(f, "{n}"),
            ObjectId::Text(s) => f.write_str(s),
        }
    }
}

/// Identifies one state of a collection: it changes with every change of the collection and is
/// never handed out twice in a process, so a cache keyed by it is never stale. Content equality
/// of stores ignores it.
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

impl Generation {
    fn next() -> Generation {
        Generation(NEXT_GENERATION.fetch_add(1, Ordering::Relaxed))
    }

    /// The number identifying it.
    pub fn value(self) -> u64 {
        self.0
    }
}

impl Default for Generation {
    fn default() -> Self {
        Generation::next()
    }
}

impl PartialEq for Generation {
    fn eq(&self, _: &Generation) -> bool {
        true
    }
}

/// Equality indexes of a collection: for each indexed field, the ids of the objects by value
/// (JSON text; nulls are not indexed). Kept up to date by every change; shared between a store
/// and its drafts until one of them changes. Content equality of stores ignores them.
#[derive(Debug, Clone, Default)]
struct Indexes(Arc<HashMap<String, HashMap<String, BTreeSet<ObjectId>>>>);

impl PartialEq for Indexes {
    fn eq(&self, _: &Indexes) -> bool {
        true
    }
}

impl Indexes {
    fn add(&mut self, id: &ObjectId, object: &Object) {
        self.change(id, object, true);
    }

    fn forget(&mut self, id: &ObjectId, object: &Object) {
        self.change(id, object, false);
    }

    fn change(&mut self, id: &ObjectId, object: &Object, add: bool) {
        if self.0.is_empty() {
            return;
        }
        for (field, by_value) in Arc::make_mut(&mut self.0).iter_mut() {
            let Some(value) = object.get(field).filter(|v| !v.is_null()) else {
                continue;
            };
            let key = value.to_string();
            if add {
                by_value.entry(key).or_default().insert(id.clone());
            } else if let Some(ids) = by_value.get_mut(&key) {
                ids.remove(id);
                if ids.is_empty() {
                    by_value.remove(&key);
                }
            }
        }
    }
}

/// The objects of one resource. Objects are shared (`Arc`) so that a draft of the whole store
/// (see `http::config::write`) costs a pointer per object, not a deep copy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    /// The next integer id to hand out (ids are never reused, as in PostgreSQL).
    pub next_id: i64,
    #[serde(with = "objects_as_list")]
    objects: BTreeMap<ObjectId, Arc<Object>>,
    #[serde(skip)]
    generation: Generation,
    #[serde(skip)]
    indexes: Indexes,
}

/// The configuration of the whole node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigStore {
    collections: BTreeMap<String, Collection>,
}

impl ConfigStore {
    pub fn new() -> Self {
        ConfigStore::default()
    }

    /// The store shared behind a lock.
    pub fn shared(self) -> SharedStore {
        Arc::new(RwLock::new(self))
    }

    /// The objects of `resource` in id order (none for an unknown resource).
    pub fn objects<'a>(&'a self, resource: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.collections
            .get(resource)
            .into_iter()
            .flat_map(|c| c.objects.values().map(|o| &**o))
    }

    /// Keeps an equality index of `field` of `resource` from now on (see [`Self::ids_with`]).
    pub fn index_field(&mut self, resource: &str, field: &str) {
        let c = self.collections.entry(resource.to_owned()).or_default();
        if c.indexes.0.contains_key(field) {
            return;
        }
        let mut by_value: HashMap<String, BTreeSet<ObjectId>> = HashMap::new();
        for (id, o) in &c.objects {
            if let Some(value) = o.get(field).filter(|v| !v.is_null()) {
                by_value
                    .entry(value.to_string())
                    .or_default()
                    .insert(id.clone());
            }
        }
        Arc::make_mut(&mut c.indexes.0).insert(field.to_owned(), by_value);
    }

    /// The ids of the objects of `resource` whose `field` equals `value`, when that field is
    /// indexed (`None` otherwise: scan the objects).
    pub fn ids_with(&self, resource: &str, field: &str, value: &Value) -> Option<Vec<ObjectId>> {
        let by_value = self.collections.get(resource)?.indexes.0.get(field)?;
        Some(
            by_value
                .get(&value.to_string())
                .map(|ids| ids.iter().cloned().collect())
                .unwrap_or_default(),
        )
    }

    /// The current generation of `resource`'s objects (`None` while it has none).
    pub fn generation(&self, resource: &str) -> Option<Generation> {
        self.collections.get(resource).map(|c| c.generation)
    }

    /// How many objects `resource` has.
    pub fn count(&self, resource: &str) -> usize {
        self.collections
            .get(resource)
            .map_or(0, |c| c.objects.len())
    }

    /// Object `id` of `resource`.
    pub fn get(&self, resource: &str, id: &ObjectId) -> Option<&Object> {
        self.collections
            .get(resource)?
            .objects
            .get(id)
            .map(|o| &**o)
    }

    /// The object a configuration resource URI names.
    pub fn resolve(&self, uri: &str) -> Option<&Object> {
        let (resource, id) = split_uri(uri)?;
        self.get(resource, &ObjectId::parse(id))
    }

    /// Hands out the next integer id of `resource`.
    pub fn allocate_id(&mut self, resource: &str) -> ObjectId {
        let c = self.collections.entry(resource.to_owned()).or_default();
        c.next_id = c.next_id.max(1);
        let id = c.next_id;
        c.next_id += 1;
        ObjectId::Int(id)
    }

    /// Stores `object` as object `id` of `resource`, replacing any object with that id.
    pub fn put(&mut self, resource: &str, id: ObjectId, object: Object) {
        let c = self.collections.entry(resource.to_owned()).or_default();
        if let ObjectId::Int(n) = id {
            c.next_id = c.next_id.max(n + 1);
        }
        if let Some(old) = c.objects.get(&id) {
            c.indexes.forget(&id, old);
        }
        c.indexes.add(&id, &object);
        c.objects.insert(id, Arc::new(object));
        c.generation = Generation::next();
    }

    /// Removes object `id` of `resource`.
    pub fn remove(&mut self, resource: &str, id: &ObjectId) -> Option<Object> {
        let c = self.collections.get_mut(resource)?;
        let removed = c.objects.remove(id)?;
        c.indexes.forget(id, &removed);
        c.generation = Generation::next();
        Some(Arc::unwrap_or_clone(removed))
    }

    /// Removes the objects of `resource` for which `remove` says so; returns them.
    pub fn remove_where(
        &mut self,
        resource: &str,
        mut remove: impl FnMut(&Object) -> bool,
    ) -> Vec<Object> {
        let Some(c) = self.collections.get_mut(resource) else {
            return Vec::new();
        };
        let ids: Vec<ObjectId> = c
            .objects
            .iter()
            .filter(|(_, o)| remove(o))
            .map(|(id, _)| id.clone())
            .collect();
        if !ids.is_empty() {
            c.generation = Generation::next();
        }
        let mut removed = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(o) = c.objects.remove(id) {
                c.indexes.forget(id, &o);
                removed.push(Arc::unwrap_or_clone(o));
            }
        }
        removed
    }

    /// Changes with `edit` the objects of `resource` that `matches` selects (the others stay
    /// shared, untouched).
    pub fn edit_where(
        &mut self,
        resource: &str,
        matches: impl Fn(&Object) -> bool,
        mut edit: impl FnMut(&mut Object),
    ) {
        let Some(c) = self.collections.get_mut(resource) else {
            return;
        };
        let mut changed = false;
        for (id, o) in c.objects.iter_mut().filter(|(_, o)| matches(o)) {
            c.indexes.forget(id, o);
            edit(Arc::make_mut(o));
            c.indexes.add(id, o);
            changed = true;
        }
        if changed {
            c.generation = Generation::next();
        }
    }
}

/// Stores a collection's objects as a JSON list (object keys must be strings; ids may not be).
mod objects_as_list {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Object, ObjectId};

    pub fn serialize<S: Serializer>(
        objects: &BTreeMap<ObjectId, Arc<Object>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        objects
            .values()
            .map(|o| &**o)
            .collect::<Vec<_>>()
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<ObjectId, Arc<Object>>, D::Error> {
        let list = Vec::<Object>::deserialize(deserializer)?;
        list.into_iter()
            .map(|o| {
                let id = o
                    .get("id")
                    .and_then(ObjectId::from_json)
                    .ok_or_else(|| serde::de::Error::custom("an object without an id"))?;
                Ok((id, Arc::new(o)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uris_split_into_resource_and_id() {
        assert_eq!(
            split_uri("/api/admin/configuration/v1/conference/12/"),
            Some(("conference", "12"))
        );
        assert_eq!(
            split_uri("https://h:8443/api/admin/status/v1/participant/ab-cd"),
            Some(("participant", "ab-cd"))
        );
        assert_eq!(split_uri("/api/admin/configuration/v1/conference/"), None);
        assert_eq!(split_uri("conference/1/"), None);
        assert_eq!(split_uri("/api/admin/configuration/v1/a/1/b/"), None);
    }

    #[test]
    fn ids_are_never_reused_and_survive_serialization() {
        let mut s = ConfigStore::new();
        let a = s.allocate_id("conference");
        s.put(
            "conference",
            a.clone(),
            json!({"id": 1}).as_object().unwrap().clone(),
        );
        s.remove("conference", &a);
        assert_eq!(s.allocate_id("conference"), ObjectId::Int(2));
        s.put(
            "conference",
            ObjectId::Int(7),
            json!({"id": 7}).as_object().unwrap().clone(),
        );
        let text = serde_json::to_string(&s).unwrap();
        let back: ConfigStore = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        let mut back = back;
        assert_eq!(back.allocate_id("conference"), ObjectId::Int(8));
    }

    #[test]
    fn generations_change_with_their_collection_only() {
        let mut s = ConfigStore::new();
        let obj = |id: i64, tag: &str| json!({"id": id, "tag": tag}).as_object().unwrap().clone();
        s.put("conference", ObjectId::Int(1), obj(1, "a"));
        s.put("conference", ObjectId::Int(2), obj(2, "b"));
        s.put("conference_alias", ObjectId::Int(1), obj(1, "x"));
        let alias_gen = s.generation("conference_alias").unwrap().value();
        let conf_gen = s.generation("conference").unwrap().value();
        let copy = s.clone();
        assert_eq!(copy.generation("conference").unwrap().value(), conf_gen);

        // Nothing selected: nothing changes.
        s.edit_where(
            "conference",
            |o| o["tag"] == "zzz",
            |o| {
                o.insert("tag".into(), json!("never"));
            },
        );
        assert_eq!(s.generation("conference").unwrap().value(), conf_gen);
        s.edit_where(
            "conference",
            |o| o["tag"] == "b",
            |o| {
                o.insert("tag".into(), json!("c"));
            },
        );
        assert_ne!(s.generation("conference").unwrap().value(), conf_gen);
        assert_eq!(s.generation("conference_alias").unwrap().value(), alias_gen);
        assert_eq!(s.get("conference", &ObjectId::Int(2)).unwrap()["tag"], "c");
        // The copy taken before is untouched, and equal content compares equal.
        assert_eq!(
            copy.get("conference", &ObjectId::Int(2)).unwrap()["tag"],
            "b"
        );
        assert_ne!(copy, s);
    }

    #[test]
    fn indexes_follow_every_change() {
        let mut s = ConfigStore::new();
        let obj =
            |id: i64, name: &str| json!({"id": id, "name": name}).as_object().unwrap().clone();
        s.put("conference", ObjectId::Int(1), obj(1, "a"));
        s.index_field("conference", "name");
        let ids = |s: &ConfigStore, v: &str| s.ids_with("conference", "name", &json!(v)).unwrap();
        assert_eq!(ids(&s, "a"), [ObjectId::Int(1)]);
        assert_eq!(s.ids_with("conference", "tag", &json!("a")), None);
        s.put("conference", ObjectId::Int(2), obj(2, "b"));
        s.put("conference", ObjectId::Int(1), obj(1, "c"));
        assert!(ids(&s, "a").is_empty());
        assert_eq!(ids(&s, "c"), [ObjectId::Int(1)]);
        let draft_base = s.clone();
        s.edit_where(
            "conference",
            |o| o["name"] == "b",
            |o| {
                o.insert("name".into(), json!("d"));
            },
        );
        assert_eq!(ids(&s, "d"), [ObjectId::Int(2)]);
        // The clone taken before keeps its own index.
        assert_eq!(ids(&draft_base, "b"), [ObjectId::Int(2)]);
        s.remove("conference", &ObjectId::Int(2));
        assert!(ids(&s, "d").is_empty());
        s.remove_where("conference", |_| true);
        assert!(ids(&s, "c").is_empty());
    }
}
