//! An event sink as configured (`event_sink` objects) and where it listens: the system
//! locations whose `event_sinks` list it. A sink no location lists hears every node (a
//! simplification: a real node sends nothing to it), so a receiver can be registered with one
//! request.

use std::collections::BTreeSet;

use serde_json::Value;

use super::payload::Object;
use crate::store::ConfigStore;

/// The protocol versions the simulator speaks (a sink asking for more gets the newest).
pub const NEWEST_VERSION: u8 = 2;

/// One configured event sink.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkSpec {
    /// Its configuration id.
    pub id: String,
    pub name: String,
    pub url: String,
    /// HTTP Basic credentials, when a username is set.
    pub username: String,
    pub password: String,
    pub verify_tls: bool,
    /// 1 or 2.
    pub version: u8,
    pub bulk: bool,
    /// The only events sent (`filter_events`); `None`: every event.
    pub events: Option<BTreeSet<String>>,
    /// The names of the locations it is attached to; `None`: attached to none, every node
    /// sends to it.
    pub locations: Option<BTreeSet<String>>,
    /// The Conferencing Nodes it hears from at start: `(address, location name)`.
    pub nodes: Vec<(String, String)>,
    /// The whole configuration object: any change (`restart_date` included) restarts it.
    pub config: Object,
}

impl SinkSpec {
    /// Whether nodes of `location` send to it.
    pub fn covers(&self, location: &str) -> bool {
        self.locations
            .as_ref()
            .is_none_or(|names| names.contains(location))
    }

    /// Whether it receives events named `event` (the publisher's own always go).
    pub fn wants(&self, event: &str) -> bool {
        event.starts_with("eventsink_")
            || self
                .events
                .as_ref()
                .is_none_or(|names| names.contains(event))
    }
}

fn text(o: &Object, key: &str) -> String {
    match o.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn flag(o: &Object, key: &str, default: bool) -> bool {
    o.get(key).and_then(Value::as_bool).unwrap_or(default)
}

/// The event sinks of `store`, in id order.
pub fn of_store(store: &ConfigStore) -> Vec<SinkSpec> {
    if store.count("event_sink") == 0 {
        return Vec::new();
    }
    let locations: Vec<(String, String, Vec<String>)> = store
        .objects("system_location")
        .map(|l| {
            let sinks = l
                .get("event_sinks")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|u| pexip::uri_id(u).to_owned())
                        .collect()
                })
                .unwrap_or_default();
            (text(l, "id"), text(l, "name"), sinks)
        })
        .collect();
    let nodes: Vec<(String, String)> = store
        .objects("worker_vm")
        .filter_map(|n| {
            let address = text(n, "address");
            let location_id = n
                .get("system_location")
                .and_then(Value::as_str)
                .map(pexip::uri_id)?;
            let (_, location, _) = locations.iter().find(|(id, _, _)| id == location_id)?;
            (!address.is_empty()).then(|| (address, location.clone()))
        })
        .collect();
    let mut specs: Vec<SinkSpec> = store
        .objects("event_sink")
        .map(|o| {
            let id = text(o, "id");
            let attached: BTreeSet<String> = locations
                .iter()
                .filter(|(_, _, sinks)| sinks.contains(&id))
                .map(|(_, name, _)| name.clone())
                .collect();
            let locations = (!attached.is_empty()).then_some(attached);
            let version = o
                .get("version")
                .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
                .unwrap_or(1)
                .clamp(1, u64::from(NEWEST_VERSION)) as u8;
            let events = flag(o, "filter_events", false).then(|| {
                o.get("events")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default()
            });
            let mut spec = SinkSpec {
                id,
                name: text(o, "name"),
                url: text(o, "url"),
                username: text(o, "username"),
                password: text(o, "password"),
                verify_tls: flag(o, "verify_tls_certificate", false),
                version,
                bulk: flag(o, "bulk_support", false),
                events,
                locations,
                nodes: Vec::new(),
                config: o.clone(),
            };
            spec.nodes = nodes
                .iter()
                .filter(|(_, location)| spec.covers(location))
                .cloned()
                .collect();
            spec
        })
        .collect();
    specs.sort_by_key(|s| (s.id.parse::<i64>().unwrap_or(i64::MAX), s.id.clone()));
    specs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ObjectId;
    use serde_json::json;

    fn put(store: &mut ConfigStore, resource: &str, id: i64, v: Value) {
        store.put(resource, ObjectId::Int(id), v.as_object().unwrap().clone());
    }

    #[test]
    fn a_sink_hears_the_nodes_of_its_locations_or_all_of_them() {
        let mut store = ConfigStore::new();
        assert!(of_store(&store).is_empty());
        put(
            &mut store,
            "event_sink",
            1,
            json!({"id": 1, "name": "a", "url": "http://x/",
            "version": 2, "bulk_support": true, "filter_events": true,
            "events": ["participant_connected"]}),
        );
        put(
            &mut store,
            "event_sink",
            2,
            json!({"id": 2, "name": "b", "url": "http://y/",
            "username": "u", "password": "p", "version": 7}),
        );
        put(
            &mut store,
            "system_location",
            1,
            json!({"id": 1, "name": "London",
            "event_sinks": ["/api/admin/configuration/v1/event_sink/1/"]}),
        );
        put(
            &mut store,
            "system_location",
            2,
            json!({"id": 2, "name": "Oslo"}),
        );
        put(
            &mut store,
            "worker_vm",
            1,
            json!({"id": 1, "address": "10.0.0.1",
            "system_location": "/api/admin/configuration/v1/system_location/1/"}),
        );
        put(
            &mut store,
            "worker_vm",
            2,
            json!({"id": 2, "address": "10.0.0.2",
            "system_location": "/api/admin/configuration/v1/system_location/2/"}),
        );
        let specs = of_store(&store);
        assert_eq!(specs.len(), 2);
        let (a, b) = (&specs[0], &specs[1]);
        assert_eq!(a.nodes, vec![("10.0.0.1".to_owned(), "London".to_owned())]);
        assert!(a.covers("London") && !a.covers("Oslo"));
        assert!(a.wants("participant_connected") && a.wants("eventsink_started"));
        assert!(!a.wants("conference_started"));
        assert_eq!((a.version, a.bulk), (2, true));
        assert_eq!(b.nodes.len(), 2, "attached to no location: every node");
        assert!(b.covers("Oslo") && b.wants("conference_started"));
        assert_eq!((b.version, b.username.as_str()), (2, "u"));
    }
}
