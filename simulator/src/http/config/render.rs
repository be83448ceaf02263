//! An object as a GET shows it: secrets opaque, reverse relations computed (a conference embeds
//! its aliases as full objects; other reverse relations list resource URIs).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::catalogue::{Catalogue, Resource};
use crate::store::{ConfigStore, Object, ObjectId};

/// Reverse relations embedded as full objects rather than URIs: (resource, field).
const EMBEDDED: [(&str, &str); 1] = [("conference", "aliases")];

/// The opaque form in which secrets read back.
pub fn opaque_secret(clear: &str) -> String {
    if clear.is_empty() {
        return String::new();
    }
    let masked: Vec<u8> = clear
        .bytes()
        .enumerate()
        .map(|(i, b)| b ^ 0x5a ^ (i as u8).wrapping_mul(31))
        .collect();
    format!("$~!1{}", STANDARD.encode(masked))
}

/// For one (resource, field) relation: the ids of the objects pointing at each URI.
type UriIndex = HashMap<String, Vec<ObjectId>>;

/// An index and the generation of the collection it was built from.
type CachedIndex = (u64, Arc<UriIndex>);

/// Reverse-relation indexes kept between requests, each valid for one generation of the
/// collection it indexes (rebuilt after that collection changes).
#[derive(Default)]
pub struct ReverseCache {
    indexes: Mutex<HashMap<(String, String), CachedIndex>>,
}

impl ReverseCache {
    /// The index of the objects of `source` by the URIs in their field `field`.
    fn index(&self, store: &ConfigStore, source: &str, field: &str) -> Arc<UriIndex> {
        let Some(generation) = store.generation(source).map(|g| g.value()) else {
            return Arc::default();
        };
        let key = (source.to_owned(), field.to_owned());
        let mut indexes = self.indexes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, index)) = indexes.get(&key)
            && *g == generation
        {
            return index.clone();
        }
        let mut index = UriIndex::new();
        for object in store.objects(source) {
            let Some(id) = object.get("id").and_then(ObjectId::from_json) else {
                continue;
            };
            match object.get(field) {
                Some(Value::String(uri)) => index.entry(uri.clone()).or_default().push(id),
                Some(Value::Array(uris)) => {
                    for uri in uris.iter().filter_map(Value::as_str) {
                        index.entry(uri.to_owned()).or_default().push(id.clone());
                    }
                }
                _ => {}
            }
        }
        let index = Arc::new(index);
        indexes.insert(key, (generation, index.clone()));
        index
    }
}

/// For each reverse field of a resource, the objects pointing at each URI.
pub struct ReverseIndex<'a> {
    store: &'a ConfigStore,
    by_field: HashMap<&'a str, (&'a str, Arc<UriIndex>)>,
}

impl<'a> ReverseIndex<'a> {
    /// The indexes of every reverse field of `resource`, from `cache` when still valid.
    pub fn build(resource: &'a Resource, store: &'a ConfigStore, cache: &ReverseCache) -> Self {
        let by_field = resource
            .reverse
            .iter()
            .map(|(field, (source, source_field))| {
                (
                    field.as_str(),
                    (*source, cache.index(store, source, source_field)),
                )
            })
            .collect();
        ReverseIndex { store, by_field }
    }

    /// The objects pointing at `uri` through reverse field `field`, in id order.
    pub fn pointing_at(&self, field: &str, uri: &str) -> Vec<&'a Object> {
        let Some((source, index)) = self.by_field.get(field) else {
            return Vec::new();
        };
        index
            .get(uri)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| self.store.get(source, id))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The reverse fields of `object` as lists of URIs (for filtering on them).
pub fn with_reverse_uris(resource: &Resource, object: &Object, index: &ReverseIndex<'_>) -> Object {
    let mut out = object.clone();
    let uri = object
        .get("resource_uri")
        .and_then(Value::as_str)
        .unwrap_or("");
    for field in resource.reverse.keys() {
        let uris = index
            .pointing_at(field, uri)
            .iter()
            .filter_map(|o| o.get("resource_uri").cloned())
            .collect();
        out.insert(field.clone(), Value::Array(uris));
    }
    out
}

/// `object` of `resource` as a GET shows it.
pub fn render(
    catalogue: &Catalogue,
    resource: &Resource,
    object: &Object,
    index: &ReverseIndex<'_>,
) -> Value {
    let mut out = Map::with_capacity(object.len() + resource.reverse.len());
    for (name, value) in object {
        let value = match value {
            Value::String(s) if resource.is_secret(name) => Value::String(opaque_secret(s)),
            other => other.clone(),
        };
        out.insert(name.clone(), value);
    }
    let uri = object
        .get("resource_uri")
        .and_then(Value::as_str)
        .unwrap_or("");
    for (field, (source, _)) in &resource.reverse {
        let embed = EMBEDDED.contains(&(resource.name, field.as_str()));
        let source_resource = catalogue.get(source);
        let items = index
            .pointing_at(field, uri)
            .iter()
            .map(|o| match (embed, source_resource) {
                (true, Some(src)) => plain(src, o),
                _ => o.get("resource_uri").cloned().unwrap_or(Value::Null),
            })
            .collect();
        out.insert(field.clone(), Value::Array(items));
    }
    Value::Object(out)
}

/// An object without reverse relations of its own, secrets opaque.
fn plain(resource: &Resource, object: &Object) -> Value {
    Value::Object(
        object
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) if resource.is_secret(k) => {
                    (k.clone(), Value::String(opaque_secret(s)))
                }
                other => (k.clone(), other.clone()),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_opaque_and_distinct() {
        assert_eq!(opaque_secret(""), "");
        let a = opaque_secret("hunter2");
        assert!(a.starts_with("$~!1"));
        assert!(!a.contains("hunter2"));
        assert_ne!(a, opaque_secret("hunter3"));
    }
}
