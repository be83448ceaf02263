//! Fuzz target for event sink bodies (what Conferencing Nodes POST to the portal): parsing single
//! and bulk bodies, then the sequence check and the merge into conferences, as the feed does.

use bff::live::model::LiveConference;
use bff::live::sink::{Merger, Sequence, Sequences, parse_body};
use fuzz::{json, run};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const EVENTS: &[&str] = &[
    "eventsink_started",
    "eventsink_updated",
    "eventsink_stopped",
    "eventsink_ended",
    "conference_started",
    "conference_updated",
    "conference_ended",
    "participant_connected",
    "participant_updated",
    "participant_disconnected",
    "participant_media_stream_window",
    "participant_media_streams_destroyed",
    "unknown_event",
];

const DATA_KEYS: &[&str] = &[
    "name",
    "conference",
    "uuid",
    "display_name",
    "role",
    "protocol",
    "call_direction",
    "is_muted",
    "is_locked",
    "guests_muted",
    "connect_time",
    "start_time",
    "service_type",
    "tag",
    "source_alias",
    "destination_alias",
    "system_location",
    "rx_bandwidth",
    "tx_bandwidth",
];

/// An envelope as nodes send them, with a few nodes, conference names and participant ids so
/// that events meet each other, and any value where the right one is expected now and then.
fn envelope() -> impl Strategy<Value = Value> {
    let name = prop_oneof![
        select(&["vmr1", "vmr2", "Board ☎", ""][..]).prop_map(Value::from),
        json::value()
    ];
    let id = prop_oneof![
        select(&["p1", "p2", "p3"][..]).prop_map(Value::from),
        json::value()
    ];
    // Mostly scalars (what nodes send), a nested value now and then.
    let field = prop_oneof![9 => json::scalar(), 1 => json::value()];
    let data = (
        prop::collection::vec((select(DATA_KEYS), field), 0..8),
        name,
        id,
    )
        .prop_map(|(pairs, name, id)| {
            let mut map: serde_json::Map<String, Value> =
                pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            map.insert("name".into(), name.clone());
            map.insert("conference".into(), name);
            map.insert("uuid".into(), id);
            Value::Object(map)
        });
    (
        prop_oneof![
            9 => select(&["10.0.0.5", "10.0.0.6"][..]).prop_map(Value::from),
            1 => json::scalar(),
        ],
        prop_oneof![9 => (0u64..12).prop_map(Value::from), 1 => json::scalar()],
        select(EVENTS),
        prop_oneof![Just(json!(1)), Just(json!(2)), json::scalar()],
        data,
    )
        .prop_map(|(node, seq, event, version, data)| {
            json!({"node": node, "seq": seq, "version": version, "time": 1_700_000_000.25, "event": event, "data": data})
        })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(envelope(), 1..12).prop_map(|items| {
            json!({"event": "eventsink_bulk", "node": "10.0.0.5", "seq": 0, "version": 2, "data": items})
                .to_string()
                .into_bytes()
        }),
        2 => envelope().prop_map(|e| e.to_string().into_bytes()),
        1 => json::bytes(),
    ]
}

#[test]
fn fuzz_event_sink_bodies() {
    run(
        "event sink bodies",
        prop::collection::vec(body(), 1..4),
        |bodies| {
            let mut sequences = Sequences::default();
            let mut merger = Merger::default();
            let mut conferences: BTreeMap<String, LiveConference> = BTreeMap::new();
            for body in bodies {
                let Ok(parsed) = parse_body(body) else {
                    continue;
                };
                for event in &parsed.events {
                    if sequences.check(event) == Sequence::Duplicate {
                        continue;
                    }
                    merger.apply(event, &mut conferences);
                }
            }
            for (name, conference) in &conferences {
                assert_eq!(&conference.name, name);
                let mut ids: Vec<&str> = conference
                    .participants
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect();
                ids.sort_unstable();
                let before = ids.len();
                ids.dedup();
                assert_eq!(ids.len(), before, "a participant twice in {name}");
            }
        },
    );
}
