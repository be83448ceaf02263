//! Event sink bodies (see the API notes' EVENT-SINKS.md): parsing single envelopes and
//! `eventsink_bulk` bodies (v1 and v2), deduplicating per (node, seq) within a publisher's
//! epoch, and merging the nodes' per-node conference events into conferences in progress.

use super::fields::{count, flag, text, time};
use super::model::{LiveConference, LiveParticipant};
use super::status::sort_participants;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One event as a node sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkEvent {
    /// The sending node's address.
    pub node: String,
    /// Its sequence number on this sink (from 1 after each publisher start).
    pub seq: u64,
    /// When it happened (Unix seconds).
    pub time: f64,
    pub event: String,
    pub data: Value,
}

/// Why a body was refused (400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadBody(pub String);

/// The events of a body: one envelope, or the envelopes of an `eventsink_bulk`. Envelopes in
/// a bulk body without a node or an event name are skipped (and counted in `skipped`).
pub fn parse_body(body: &[u8]) -> Result<Parsed, BadBody> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| BadBody(format!("the body is not JSON: {error}")))?;
    if !value.is_object() {
        return Err(BadBody("the body is not a JSON object".into()));
    }
    if text(&value, "event") == "eventsink_bulk" {
        let Some(items) = value.get("data").and_then(Value::as_array) else {
            return Err(BadBody("an eventsink_bulk body needs a `data` list".into()));
        };
        let mut parsed = Parsed::default();
        for item in items {
            match envelope(item) {
                Ok(event) => parsed.events.push(event),
                Err(_) => parsed.skipped += 1,
            }
        }
        Ok(parsed)
    } else {
        Ok(Parsed {
            events: vec![envelope(&value)?],
            skipped: 0,
        })
    }
}

/// What a body held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub events: Vec<SinkEvent>,
    /// Envelopes of a bulk body that could not be read.
    pub skipped: usize,
}

fn envelope(value: &Value) -> Result<SinkEvent, BadBody> {
    let node = text(value, "node");
    let event = text(value, "event");
    if node.is_empty() || event.is_empty() {
        return Err(BadBody(
            "an event needs a `node` and an `event` name".into(),
        ));
    }
    let seq = match value.get("seq") {
        Some(Value::Number(n)) if n.as_u64().is_some() => count(value, "seq"),
        _ => return Err(BadBody("an event needs a whole-number `seq`".into())),
    };
    Ok(SinkEvent {
        node,
        seq,
        time: value.get("time").and_then(Value::as_f64).unwrap_or(0.0),
        event,
        data: match value.get("data") {
            Some(data @ Value::Object(_)) => data.clone(),
            _ => Value::Object(Default::default()),
        },
    })
}

/// What the sequence number of an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    /// The next event of the node's epoch: apply it.
    Next,
    /// Seen already (a retried delivery): drop it.
    Duplicate,
    /// Events were lost before this one (how many): apply it and repair.
    Gap(u64),
    /// The node's publisher (re)started: a new epoch; apply it and repair.
    Restart,
}

/// The last sequence number seen per node in its current epoch.
#[derive(Debug, Clone, Default)]
pub struct Sequences {
    last: HashMap<String, u64>,
}

impl Sequences {
    /// Classifies `event` and records it.
    pub fn check(&mut self, event: &SinkEvent) -> Sequence {
        let started = event.event == "eventsink_started";
        let Some(last) = self.last.get(&event.node).copied() else {
            self.last.insert(event.node.clone(), event.seq);
            // The first event heard from a node: anything before it is unknown.
            return if started || event.seq <= 1 {
                Sequence::Restart
            } else {
                Sequence::Gap(event.seq - 1)
            };
        };
        if (started || event.seq == 1) && !(event.seq == last && last == 1) {
            self.last.insert(event.node.clone(), event.seq);
            return Sequence::Restart;
        }
        if event.seq <= last {
            return Sequence::Duplicate;
        }
        self.last.insert(event.node.clone(), event.seq);
        match event.seq - last {
            1 => Sequence::Next,
            more => Sequence::Gap(more - 1),
        }
    }
}

/// The conferences as the events build them, with the nodes hosting each.
#[derive(Debug, Clone, Default)]
pub struct Merger {
    hosts: HashMap<String, BTreeSet<String>>,
}

impl Merger {
    /// Keeps only the hosts of these conferences (after a repair re-read the state).
    pub fn retain(&mut self, names: &BTreeSet<String>) {
        self.hosts.retain(|name, _| names.contains(name));
    }

    /// Applies one event to `conferences` (the current state, changed in place); returns the
    /// names of the conferences it touched. Unknown events touch nothing.
    pub fn apply(
        &mut self,
        event: &SinkEvent,
        conferences: &mut BTreeMap<String, LiveConference>,
    ) -> Vec<String> {
        let data = &event.data;
        match event.event.as_str() {
            "conference_started" | "conference_updated" => {
                let name = text(data, "name");
                if name.is_empty() {
                    return vec![];
                }
                self.hosts
                    .entry(name.clone())
                    .or_default()
                    .insert(event.node.clone());
                let conference =
                    conferences
                        .entry(name.clone())
                        .or_insert_with(|| LiveConference {
                            name: name.clone(),
                            ..Default::default()
                        });
                update_conference(conference, data);
                vec![name]
            }
            "conference_ended" => {
                let name = text(data, "name");
                let hosts = self.hosts.entry(name.clone()).or_default();
                hosts.remove(&event.node);
                if hosts.is_empty() {
                    self.hosts.remove(&name);
                    if conferences.remove(&name).is_some() {
                        return vec![name];
                    }
                }
                vec![]
            }
            "participant_connected" | "participant_updated" => {
                let name = text(data, "conference");
                let id = text(data, "uuid");
                if name.is_empty() || id.is_empty() {
                    return vec![];
                }
                // A participant on a conference this node had not announced: it hosts it.
                self.hosts
                    .entry(name.clone())
                    .or_default()
                    .insert(event.node.clone());
                let conference =
                    conferences
                        .entry(name.clone())
                        .or_insert_with(|| LiveConference {
                            name: name.clone(),
                            service_type: text(data, "service_type"),
                            start_time: super::fields::iso_from_unix(event.time),
                            tag: text(data, "service_tag"),
                            ..Default::default()
                        });
                if conference.tag.is_empty() {
                    conference.tag = text(data, "service_tag");
                }
                let fresh = participant(data);
                match conference.participants.iter_mut().find(|p| p.id == id) {
                    Some(existing) => *existing = fresh,
                    None => conference.participants.push(fresh),
                }
                sort_participants(&mut conference.participants);
                vec![name]
            }
            "participant_disconnected" => {
                let name = text(data, "conference");
                let id = text(data, "uuid");
                match conferences.get_mut(&name) {
                    Some(conference) => {
                        let before = conference.participants.len();
                        conference.participants.retain(|p| p.id != id);
                        if conference.participants.len() == before {
                            vec![]
                        } else {
                            vec![name]
                        }
                    }
                    None => vec![],
                }
            }
            _ => vec![],
        }
    }
}

/// Copies the fields a conference event carries (missing ones keep their value).
fn update_conference(conference: &mut LiveConference, data: &Value) {
    if data.get("is_locked").is_some() {
        conference.is_locked = flag(data, "is_locked");
    }
    if data.get("guests_muted").is_some() {
        conference.guests_muted = flag(data, "guests_muted");
    }
    for (field, key) in [
        (&mut conference.service_type, "service_type"),
        (&mut conference.tag, "tag"),
    ] {
        let value = text(data, key);
        if !value.is_empty() {
            *field = value;
        }
    }
    let start = time(data, "start_time");
    if !start.is_empty() {
        conference.start_time = start;
    }
}

/// One participant as an event describes it.
fn participant(data: &Value) -> LiveParticipant {
    let call_direction = text(data, "call_direction");
    let remote_alias = if call_direction == "out" {
        text(data, "destination_alias")
    } else {
        text(data, "source_alias")
    };
    let bandwidth = match count(data, "bandwidth") {
        0 => count(data, "rx_bandwidth").max(count(data, "tx_bandwidth")),
        given => given,
    };
    LiveParticipant {
        id: text(data, "uuid"),
        display_name: text(data, "display_name"),
        role: text(data, "role"),
        protocol: text(data, "protocol"),
        call_direction,
        remote_alias,
        connect_time: time(data, "connect_time"),
        is_muted: flag(data, "is_muted"),
        is_on_hold: flag(data, "is_on_hold") || text(data, "service_type") == "waiting_room",
        is_presenting: flag(data, "is_presenting"),
        system_location: text(data, "system_location"),
        bandwidth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The envelope of EVENT-SINKS.md §3.
    const SINGLE: &str = r#"{"node":"10.0.0.5","seq":7,"version":2,"time":1700000000.25,"event":"conference_updated","data":{"name":"vmr1","is_locked":true}}"#;

    /// A v1 `participant_connected` shaped like the real v23 payload (22 keys, no bandwidth,
    /// `connect_time: null`, `service_type: "connecting"`), then its update in the conference.
    fn connected(node: &str, seq: u64, uuid: &str, conference: &str) -> String {
        format!(
            r#"{{"node":"{node}","seq":{seq},"version":1,"time":1700000001.5,"event":"participant_connected","data":{{"call_direction":"in","call_id":"c-{uuid}","conference":"{conference}","connect_time":null,"conversation_id":"c-{uuid}","destination_alias":"meet.vmr1@example.com","display_name":"Zoë","encryption":"On","has_media":false,"is_client_muted":false,"is_muted":false,"is_presenting":false,"is_streaming":false,"media_node":"{node}","protocol":"WebRTC","remote_address":"198.51.100.7","role":"chair","service_tag":"acme","service_type":"connecting","signalling_node":"{node}","source_alias":"zoë@example.com","system_location":"Oslo","uuid":"{uuid}","vendor":"Chrome","unknown_future_field":[1,2]}}}}"#
        )
    }

    fn event(node: &str, seq: u64, name: &str, data: Value) -> SinkEvent {
        SinkEvent {
            node: node.into(),
            seq,
            time: 1_700_000_000.0,
            event: name.into(),
            data,
        }
    }

    #[test]
    fn single_and_bulk_bodies_parse() {
        let parsed = parse_body(SINGLE.as_bytes()).unwrap();
        assert_eq!(parsed.events.len(), 1);
        assert_eq!(parsed.events[0].seq, 7);
        assert_eq!(parsed.events[0].event, "conference_updated");

        let bulk = format!(
            r#"{{"event":"eventsink_bulk","node":"127.0.0.1","seq":0,"version":2,"time":1700000002.0,"data":[{SINGLE},{},{}]}}"#,
            connected("10.0.0.5", 8, "p-1", "vmr1"),
            r#"{"event":"participant_updated"}"#
        );
        let parsed = parse_body(bulk.as_bytes()).unwrap();
        assert_eq!(parsed.events.len(), 2);
        assert_eq!(parsed.skipped, 1);
        assert_eq!(parsed.events[1].data["display_name"], "Zoë");
    }

    #[test]
    fn malformed_bodies_are_refused_with_a_reason() {
        for body in [
            "",
            "not json",
            "[1,2]",
            r#"{"event":"eventsink_bulk","data":{}}"#,
            r#"{"event":"conference_started","seq":1}"#,
            r#"{"node":"n","event":"conference_started","seq":"x"}"#,
            r#"{"node":"n","event":"conference_started","seq":-1}"#,
        ] {
            assert!(parse_body(body.as_bytes()).is_err(), "{body}");
        }
    }

    #[test]
    fn duplicates_gaps_and_restarts_per_node() {
        let mut sequences = Sequences::default();
        let e = |node: &str, seq, name: &str| event(node, seq, name, Value::Null);
        assert_eq!(
            sequences.check(&e("a", 1, "eventsink_started")),
            Sequence::Restart
        );
        assert_eq!(
            sequences.check(&e("a", 1, "eventsink_started")),
            Sequence::Duplicate
        );
        assert_eq!(
            sequences.check(&e("a", 2, "conference_started")),
            Sequence::Next
        );
        assert_eq!(
            sequences.check(&e("a", 2, "conference_started")),
            Sequence::Duplicate
        );
        // Another node keeps its own series.
        assert_eq!(
            sequences.check(&e("b", 1, "eventsink_started")),
            Sequence::Restart
        );
        assert_eq!(
            sequences.check(&e("a", 5, "participant_connected")),
            Sequence::Gap(2)
        );
        assert_eq!(
            sequences.check(&e("a", 4, "participant_connected")),
            Sequence::Duplicate
        );
        // The publisher restarted without telling: seq back to 1.
        assert_eq!(
            sequences.check(&e("a", 1, "participant_updated")),
            Sequence::Restart
        );
        assert_eq!(
            sequences.check(&e("a", 2, "participant_updated")),
            Sequence::Next
        );
        // Joining a node mid-series: what came before is unknown.
        assert_eq!(
            sequences.check(&e("c", 40, "participant_updated")),
            Sequence::Gap(39)
        );
    }

    #[test]
    fn a_conference_ends_when_every_node_hosting_it_ended_it() {
        let mut merger = Merger::default();
        let mut conferences = BTreeMap::new();
        let started = serde_json::json!({"name": "vmr1", "is_locked": false, "service_type": "conference", "start_time": 1700000000.0, "tag": "acme"});
        merger.apply(
            &event("a", 2, "conference_started", started.clone()),
            &mut conferences,
        );
        merger.apply(
            &event("b", 2, "conference_started", started),
            &mut conferences,
        );
        let body = connected("b", 3, "p-1", "vmr1");
        let join = parse_body(body.as_bytes()).unwrap().events.remove(0);
        assert_eq!(merger.apply(&join, &mut conferences), ["vmr1"]);
        let vmr1 = &conferences["vmr1"];
        assert_eq!(vmr1.tag, "acme");
        assert_eq!(vmr1.start_time, "2023-11-14T22:13:20.000000");
        assert_eq!(vmr1.participants[0].display_name, "Zoë");
        assert_eq!(vmr1.participants[0].remote_alias, "zoë@example.com");
        assert_eq!(vmr1.participants[0].connect_time, "");

        let lock = parse_body(SINGLE.replace("10.0.0.5", "a").as_bytes())
            .unwrap()
            .events
            .remove(0);
        merger.apply(&lock, &mut conferences);
        assert!(conferences["vmr1"].is_locked);
        assert_eq!(conferences["vmr1"].service_type, "conference", "kept");

        let left =
            serde_json::json!({"conference": "vmr1", "uuid": "p-1", "disconnect_reason": "bye"});
        assert_eq!(
            merger.apply(
                &event("b", 4, "participant_disconnected", left),
                &mut conferences
            ),
            ["vmr1"]
        );
        let ended = serde_json::json!({"name": "vmr1", "end_time": 1700000100.0});
        assert!(
            merger
                .apply(
                    &event("a", 5, "conference_ended", ended.clone()),
                    &mut conferences
                )
                .is_empty()
        );
        assert!(conferences.contains_key("vmr1"), "node b still hosts it");
        assert_eq!(
            merger.apply(&event("b", 5, "conference_ended", ended), &mut conferences),
            ["vmr1"]
        );
        assert!(conferences.is_empty());
        // Unknown events are ignored.
        assert!(
            merger
                .apply(
                    &event("a", 6, "participant_media_stream_window", Value::Null),
                    &mut conferences
                )
                .is_empty()
        );
    }

    #[test]
    fn a_participant_of_an_unannounced_conference_creates_it() {
        let mut merger = Merger::default();
        let mut conferences = BTreeMap::new();
        let body = connected("a", 9, "p-2", "Lobby");
        let join = parse_body(body.as_bytes()).unwrap().events.remove(0);
        merger.apply(&join, &mut conferences);
        let lobby = &conferences["Lobby"];
        assert_eq!(lobby.tag, "acme");
        assert_eq!(lobby.participants.len(), 1);
    }
}
