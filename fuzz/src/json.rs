//! JSON inputs built from the Management API's vocabulary: objects whose keys are the ones
//! schemas, list envelopes and event bodies use, with values of every JSON type (the right one
//! often, the wrong one sometimes).

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

/// Keys the parsers look for.
pub const KEYS: &[&str] = &[
    // schemas
    "fields",
    "type",
    "help_text",
    "valid_choices",
    "blank",
    "default",
    "nullable",
    "readonly",
    "unique",
    "related_type",
    "filtering",
    "ordering",
    "allowed_list_http_methods",
    "allowed_detail_http_methods",
    "default_format",
    "default_limit",
    // list envelopes
    "meta",
    "objects",
    "limit",
    "next",
    "offset",
    "previous",
    "total_count",
    // objects and events
    "id",
    "name",
    "resource_uri",
    "tag",
    "node",
    "seq",
    "version",
    "time",
    "event",
    "data",
    "uuid",
    "conference",
    "display_name",
    "role",
    "protocol",
    "call_direction",
    "is_muted",
    "is_locked",
    "guests_muted",
    "connect_time",
    "start_time",
    "end_time",
    "service_type",
    "source_alias",
    "destination_alias",
    "system_location",
    "media_node",
    "has_media",
    "is_presenting",
    "rx_bandwidth",
    "tx_bandwidth",
    "media_streams",
    "related_uuids",
];

/// Strings the parsers compare against.
pub const WORDS: &[&str] = &[
    "string",
    "integer",
    "boolean",
    "related",
    "datetime",
    "float",
    "file",
    "list",
    "dict",
    "date",
    "time",
    "to_one",
    "to_many",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "exact",
    "iexact",
    "contains",
    "startswith",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "isnull",
    "conference",
    "participant_connected",
    "participant_updated",
    "participant_disconnected",
    "conference_started",
    "conference_updated",
    "conference_ended",
    "eventsink_started",
    "eventsink_bulk",
    "eventsink_stopped",
    "chair",
    "guest",
    "in",
    "out",
    "WebRTC",
    "SIP",
    "10.0.0.5",
    "2015-04-10T09:49:26.556929",
    "/api/admin/status/v1/participant/1/",
    "Maximum length: 250 characters.",
    "Range: 1 to 10.",
    "",
];

/// A JSON scalar: null, a boolean, a number (edge values included) or a string.
pub fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(0u64), Just(1), Just(u64::MAX), any::<u64>()].prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        select(WORDS).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ]
}

/// Any JSON value, biased to objects with the API's keys, up to a few levels deep.
pub fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![4 => select(KEYS).prop_map(String::from), 1 => any::<String>()],
                    inner
                ),
                0..8,
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An object with some of `keys` (each with any value) and maybe extra keys.
pub fn object_with(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::collection::vec((select(keys), value()), 0..keys.len() + 3).prop_map(|pairs| {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Map<_, _>>(),
        )
    })
}

/// Bytes a JSON parser may be given: the text of a generated value, the same with a few bytes
/// changed, or random bytes.
pub fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => value().prop_map(|v| v.to_string().into_bytes()),
        2 => (value(), prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)).prop_map(
            |(v, edits)| {
                let mut b = v.to_string().into_bytes();
                for (at, byte) in edits {
                    if !b.is_empty() {
                        let i = at % b.len();
                        b[i] = byte;
                    }
                }
                b
            }
        ),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
}
