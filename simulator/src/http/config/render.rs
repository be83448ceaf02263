//! An object as a GET shows it: secrets opaque, reverse relations computed (a conference embeds
//! its aliases as full objects; other reverse relations list resource URIs).

use std::collections::{HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::catalogue::{Catalogue, Resource};
use crate::store::{ConfigStore, Object};

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

/// For each reverse field of a resource, the objects pointing at each URI.
pub struct ReverseIndex<'a> {
    by_field: HashMap<&'a str, HashMap<&'a str, Vec<&'a Object>>>,
}

impl<'a> ReverseIndex<'a> {
    /// Indexes, in one pass per reverse field, the objects of `store` pointing at objects of
    /// `resource`; only those pointing at `targets` when given (the URIs of a page).
    pub fn build(
        resource: &'a Resource,
        store: &'a ConfigStore,
        targets: Option<&HashSet<&str>>,
    ) -> Self {
        let mut by_field = HashMap::new();
        for (field, (source, source_field)) in &resource.reverse {
            let mut index: HashMap<&str, Vec<&Object>> = HashMap::new();
            let mut add = |uri: &'a str, object: &'a Object| {
                if targets.is_none_or(|t| t.contains(uri)) {
                    index.entry(uri).or_default().push(object);
                }
            };
            for object in store.objects(source) {
                match object.get(*source_field) {
                    Some(Value::String(uri)) => add(uri.as_str(), object),
                    Some(Value::Array(uris)) => {
                        for uri in uris.iter().filter_map(Value::as_str) {
                            add(uri, object);
                        }
                    }
                    _ => {}
                }
            }
            by_field.insert(field.as_str(), index);
        }
        ReverseIndex { by_field }
    }

    /// The objects pointing at `uri` through reverse field `field`.
    pub fn pointing_at(&self, field: &str, uri: &str) -> &[&'a Object] {
        self.by_field
            .get(field)
            .and_then(|i| i.get(uri))
            .map_or(&[], Vec::as_slice)
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
