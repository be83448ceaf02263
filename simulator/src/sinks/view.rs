//! What the Conferencing Nodes have told their sinks so far, and the events that bring it up
//! to date after a change of the live state.
//!
//! A conference is seen per node: each node hosting participants of it starts it (when its
//! first participant there arrives) and ends it (when its last one leaves). The events of one
//! change come in this order: conferences started, conferences updated, participants
//! connected, participants updated (and, in version 2, their media quality), participants
//! disconnected, conferences ended; so a node never speaks of a participant of a conference it
//! has not started, nor of a conference after it ended.

use std::collections::BTreeMap;

use serde_json::Value;

use super::payload::{self, Object, Quality, unix};
use crate::live::sim::LiveState;

/// One event from one node, before it is numbered for a sink.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    /// The sending node's address.
    pub node: String,
    /// The name of the node's system location.
    pub location: String,
    /// When it happened (Unix seconds, simulated time).
    pub time: f64,
    pub name: &'static str,
    pub data: Object,
    /// The only protocol version that carries it; `None`: every version.
    pub version: Option<u8>,
}

/// A conference as one node hosts it.
#[derive(Debug, Clone, PartialEq)]
struct NodeConference {
    location: String,
    /// When this node started hosting it.
    start_time: f64,
    data: Object,
}

/// A participant as its node reports it.
#[derive(Debug, Clone, PartialEq)]
struct Call {
    node: String,
    location: String,
    conference_id: String,
    data: Object,
    quality: Quality,
}

/// The state the sinks have been told.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// By (node address, conference instance id).
    conferences: BTreeMap<(String, String), NodeConference>,
    /// By participant id.
    calls: BTreeMap<String, Call>,
}

impl View {
    /// The view of `state`; a node keeps the start time it already told (`previous`).
    pub fn of(state: &LiveState, previous: &View) -> View {
        let mut conferences: BTreeMap<(String, String), NodeConference> = BTreeMap::new();
        let mut calls = BTreeMap::new();
        for p in state.participants.values() {
            if !state.conferences.contains_key(&p.conference_id) {
                continue;
            }
            let key = (p.node_address.clone(), p.conference_id.clone());
            let connected = unix(p.connect_time);
            let told = previous.conferences.get(&key).map(|c| c.start_time);
            let entry = conferences.entry(key).or_insert_with(|| NodeConference {
                location: p.system_location.clone(),
                start_time: told.unwrap_or(connected),
                data: Object::new(),
            });
            if told.is_none() {
                entry.start_time = entry.start_time.min(connected);
            }
            calls.insert(
                p.id.clone(),
                Call {
                    node: p.node_address.clone(),
                    location: p.system_location.clone(),
                    conference_id: p.conference_id.clone(),
                    data: payload::participant(p),
                    quality: Quality::of(p),
                },
            );
        }
        for ((_, conf_id), c) in conferences.iter_mut() {
            if let Some(conf) = state.conferences.get(conf_id) {
                c.data = payload::conference(conf, c.start_time);
            }
        }
        View { conferences, calls }
    }

    /// The events that take a receiver from `self` to `new` (`state` is the state `new` was
    /// made of: it holds the records of the calls that ended).
    pub fn changes(&self, new: &View, state: &LiveState) -> Vec<LiveEvent> {
        let now = unix(state.now);
        let mut out = Vec::new();
        let mut push = |node: &str, location: &str, name, data, version| {
            out.push(LiveEvent {
                node: node.to_owned(),
                location: location.to_owned(),
                time: now,
                name,
                data,
                version,
            })
        };
        for (key, c) in &new.conferences {
            if !self.conferences.contains_key(key) {
                push(
                    &key.0,
                    &c.location,
                    "conference_started",
                    c.data.clone(),
                    None,
                );
            }
        }
        for (key, c) in &new.conferences {
            if let Some(old) = self.conferences.get(key)
                && old.data != c.data
            {
                push(
                    &key.0,
                    &c.location,
                    "conference_updated",
                    c.data.clone(),
                    None,
                );
            }
        }
        for (id, call) in &new.calls {
            match self.calls.get(id) {
                None => push(
                    &call.node,
                    &call.location,
                    "participant_connected",
                    call.data.clone(),
                    None,
                ),
                Some(old) => {
                    if old.data != call.data {
                        push(
                            &call.node,
                            &call.location,
                            "participant_updated",
                            call.data.clone(),
                            None,
                        );
                    }
                    if old.quality != call.quality
                        && let Some(p) = state.participants.get(id)
                    {
                        let data = payload::stream_window(p, old.quality, now);
                        push(
                            &call.node,
                            &call.location,
                            "participant_media_stream_window",
                            data,
                            Some(2),
                        );
                    }
                }
            }
        }
        for (id, call) in &self.calls {
            if new.calls.contains_key(id) {
                continue;
            }
            let record = record_of(state, &call.conference_id, id);
            let streams = payload::media_streams(record);
            let data = payload::disconnected(&call.data, record, now);
            let mut v1 = data.clone();
            v1.insert("media_streams".into(), Value::Array(streams.clone()));
            push(
                &call.node,
                &call.location,
                "participant_disconnected",
                v1,
                Some(1),
            );
            push(
                &call.node,
                &call.location,
                "participant_media_streams_destroyed",
                payload::streams_destroyed(id, streams),
                Some(2),
            );
            push(
                &call.node,
                &call.location,
                "participant_disconnected",
                data,
                Some(2),
            );
        }
        for (key, c) in &self.conferences {
            if !new.conferences.contains_key(key) {
                let data = payload::conference_ended(&c.data, now);
                push(&key.0, &c.location, "conference_ended", data, None);
            }
        }
        out
    }
}

/// The history record of participant `id` who has just left conference `conf_id`: among the
/// departed of the conference while it goes on, else in the history.
fn record_of<'a>(state: &'a LiveState, conf_id: &str, id: &str) -> Option<&'a Value> {
    let is_it = |r: &&Value| r.get("id").and_then(Value::as_str) == Some(id);
    state
        .conferences
        .get(conf_id)
        .and_then(|c| c.departed.iter().find(is_it))
        .or_else(|| state.history.recent_participant(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::participant::Role;
    use crate::live::profiles::{self, Protocol};
    use crate::live::sim::{JoinSpec, SimConfig};
    use crate::live::time::add_ms;
    use crate::live::topology::{Location, Node, Service, Topology};

    fn topology() -> Topology {
        let node = |id: i64, location_id: i64| Node {
            id,
            name: format!("node-{id}"),
            hostname: format!("node-{id}"),
            address: format!("10.0.0.{id}"),
            location_id,
            cpu_count: 8,
            memory_mb: 16384,
            maintenance_mode: false,
            cloud_bursting: false,
        };
        Topology {
            services: vec![Service {
                config_id: 1,
                name: "VMR_1".into(),
                service_type: "conference".into(),
                tag: "t".into(),
                aliases: vec!["meet@example.com".into()],
                pin: String::new(),
                guest_pin: String::new(),
                allow_guests: true,
                participant_limit: None,
            }],
            locations: vec![
                Location {
                    id: 1,
                    name: "London".into(),
                },
                Location {
                    id: 2,
                    name: "Oslo".into(),
                },
            ],
            nodes: vec![node(1, 1), node(2, 2)],
            ..Topology::default()
        }
    }

    fn join(state: &mut LiveState, t: &Topology, conf: &str, node: i64) -> String {
        let caller = profiles::caller(state.rng(), Protocol::Sip, Some("A"), Some("a@x"));
        let spec = JoinSpec {
            conference_id: conf.to_owned(),
            caller,
            role: Role::Guest,
            outgoing: false,
            local_alias: "meet@example.com".into(),
            location: None,
            node: Some(node),
            leave_at: add_ms(state.now, 3_600_000),
            automatic: false,
        };
        state.join(t, spec).expect("placed")
    }

    /// An event as `(node, name, version)`.
    type Told = (String, &'static str, Option<u8>);

    /// The events from `old` to the state.
    fn step(old: &View, state: &LiveState) -> (View, Vec<Told>) {
        let new = View::of(state, old);
        let events = old
            .changes(&new, state)
            .into_iter()
            .map(|e| (e.node, e.name, e.version))
            .collect();
        (new, events)
    }

    fn ev(
        node: &str,
        name: &'static str,
        version: Option<u8>,
    ) -> (String, &'static str, Option<u8>) {
        (node.to_owned(), name, version)
    }

    #[test]
    fn each_node_tells_its_part_of_a_conference() {
        let t = topology();
        let mut state = LiveState::new(SimConfig {
            seed: 3,
            tick_ms: 1000,
            epoch: crate::live::handle::FIXED_EPOCH,
            version: "40".into(),
            build: "1".into(),
        });
        let conf = state.open_conference(&t.services[0]);
        let view = View::of(&state, &View::default());
        assert_eq!(view, View::default());

        let a = join(&mut state, &t, &conf, 1);
        let (view, events) = step(&view, &state);
        assert_eq!(
            events,
            [
                ev("10.0.0.1", "conference_started", None),
                ev("10.0.0.1", "participant_connected", None)
            ]
        );
        let b = join(&mut state, &t, &conf, 2);
        let (view, events) = step(&view, &state);
        assert_eq!(
            events,
            [
                ev("10.0.0.2", "conference_started", None),
                ev("10.0.0.2", "participant_connected", None)
            ]
        );
        assert_eq!(step(&view, &state).1, [], "nothing changed, nothing told");

        state.conferences.get_mut(&conf).unwrap().is_locked = true;
        let (view, events) = step(&view, &state);
        assert_eq!(
            events,
            [
                ev("10.0.0.1", "conference_updated", None),
                ev("10.0.0.2", "conference_updated", None)
            ]
        );

        // Quality drops on b's call: version 2 hears of it.
        for s in &mut state.participants.get_mut(&b).unwrap().streams {
            s.rx.loss_rate = 5.0;
        }
        let new = View::of(&state, &view);
        let events = view.changes(&new, &state);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].name, "participant_media_stream_window");
        assert_eq!(events[0].version, Some(2));
        assert_eq!(events[0].data["call_quality_was"], "1_good");
        assert_eq!(events[0].data["call_quality_now"], "3_bad");
        let view = new;

        state.leave(&a, "Call disconnected");
        let new = View::of(&state, &view);
        let events = view.changes(&new, &state);
        let names: Vec<_> = events.iter().map(|e| (e.name, e.version)).collect();
        assert_eq!(
            names,
            [
                ("participant_disconnected", Some(1)),
                ("participant_media_streams_destroyed", Some(2)),
                ("participant_disconnected", Some(2)),
                ("conference_ended", None)
            ]
        );
        assert!(events.iter().all(|e| e.node == "10.0.0.1"));
        assert_eq!(events[0].data["disconnect_reason"], "Call disconnected");
        assert!(
            !events[0].data["media_streams"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert!(events[2].data.get("media_streams").is_none());
        let view = new;

        state.disconnect_conference(&conf, "Conference disconnected by an administrator");
        let (view, events) = step(&view, &state);
        assert_eq!(
            events,
            [
                ev("10.0.0.2", "participant_disconnected", Some(1)),
                ev("10.0.0.2", "participant_media_streams_destroyed", Some(2)),
                ev("10.0.0.2", "participant_disconnected", Some(2)),
                ev("10.0.0.2", "conference_ended", None)
            ]
        );
        assert_eq!(view, View::default());
    }
}
