//! Fuzz targets for what the Pexip model parses from a Management Node or a person: help-text
//! limits, schemas, list envelopes, error bodies, queries and resource paths.

use fuzz::{json, run, text};
use pexip::client::{ObjectId, ObjectRef};
use pexip::query::FilterPath;
use pexip::{ApiError, Limits, ListResponse, Query, Schema};
use proptest::prelude::*;
use serde_json::Value;

/// Help texts as real schemas word them (limits, and text around them).
const HELP_TEXTS: &[&str] = &[
    "The name used to refer to this conference. Maximum length: 250 characters.",
    "This optional field allows you to set a secure access code. Length: 4-20 digits, including any terminal #.",
    "Range: 128 to 8192.",
    "Minimum length: 2 characters. Maximum length: 100 characters.",
    "Length: 1-250 characters.",
    "Minimum: 0. Maximum: 65535.",
    "The number of seconds. Range: -1 to 3600. Default: 10.",
    "participant_limit length: 5",
    "",
];

#[test]
fn fuzz_help_text_limits() {
    let inputs = (
        text::around(HELP_TEXTS),
        text::around(HELP_TEXTS),
        json::value(),
    );
    run("help-text limits", inputs, |(help, value, json)| {
        let limits = Limits::parse(help);
        let _ = limits.check_str(value);
        let _ = limits.check(json);
        if let Ok(n) = value.trim().parse::<f64>() {
            let _ = limits.check_number(n);
        }
        if let Some(digits) = limits.digits {
            let _ = digits.check(value);
            assert!(digits.min <= digits.max, "{limits:?}");
        }
        if let (Some(min), Some(max)) = (limits.min_length, limits.max_length) {
            // Both come from the text; an odd text may give min > max, never a panic.
            let _ = (min, max);
        }
    });
}

#[test]
fn fuzz_schemas() {
    let inputs = prop_oneof![
        json::object_with(&[
            "fields",
            "filtering",
            "ordering",
            "allowed_list_http_methods",
            "allowed_detail_http_methods",
            "default_format",
            "default_limit",
        ])
        .prop_map(|v| v.to_string().into_bytes()),
        json::bytes(),
    ];
    run("schemas", inputs, |body| {
        let Ok(text) = std::str::from_utf8(body) else {
            return;
        };
        if let Ok(schema) = Schema::from_json(text) {
            for (name, field) in &schema.fields {
                let _ = field.limits();
                let _ = (field.is_required(), field.has_choices(), field.is_to_many());
                let _ = schema.can_filter(name, "exact");
                let _ = schema.can_order_by(name);
            }
            let _ = schema.required_fields().count();
            // What the portal parsed it can write back and read again the same.
            let again = Schema::from_json(&serde_json::to_string(&schema).unwrap()).unwrap();
            assert_eq!(again.fields.len(), schema.fields.len());
        }
    });
}

#[test]
fn fuzz_list_envelopes_and_error_bodies() {
    run("list envelopes", json::bytes(), |body| {
        if let Ok(page) = serde_json::from_slice::<ListResponse<Value>>(body) {
            let _ = page.next_offset();
        }
        if let Some(error) = ApiError::from_body(body) {
            let _ = error.to_json();
            let _ = error.form_errors().map(|f| f.to_json());
        }
    });
}

const FILTER_KEYS: &[&str] = &[
    "name",
    "name__icontains",
    "media_streams__tx_packet_loss__gte",
    "aliases__alias__startswith",
    "tag__in",
    "start_time__range",
    "end_time__isnull",
    "order_by",
    "limit",
    "-name",
];

#[test]
fn fuzz_queries() {
    let inputs = (
        prop::collection::vec((text::around(FILTER_KEYS), any::<String>()), 0..4),
        prop::collection::vec(text::around(FILTER_KEYS), 0..3),
        any::<Option<u64>>(),
        any::<Option<u64>>(),
    );
    run("queries", inputs, |(filters, order, limit, offset)| {
        let mut query = Query::new();
        for (key, value) in filters {
            let _ = FilterPath::parse(key);
            query = query.filter(key.clone(), value);
        }
        for field in order {
            query = query.order_by(field.clone());
        }
        if let Some(limit) = limit {
            query = query.limit(*limit);
        }
        if let Some(offset) = offset {
            query = query.offset(*offset);
        }
        let checked = query.check_names();
        let encoded = query.to_query_string();
        // Values can never add parameters or fragments: only the separators the builder wrote.
        assert!(
            !encoded.contains('#') && !encoded.contains(' '),
            "{encoded}"
        );
        let pairs = encoded.split('&').filter(|p| !p.is_empty()).count();
        let expected = filters.len()
            + order.len()
            + usize::from(limit.is_some())
            + usize::from(offset.is_some());
        assert_eq!(pairs, expected, "{encoded}");
        if checked.is_ok() {
            for (key, _) in filters {
                assert!(FilterPath::parse(key).is_ok());
            }
        }
    });
}

const URIS: &[&str] = &[
    "/api/admin/configuration/v1/conference/12/",
    "/api/admin/status/v1/participant/1a2b3c4d-0000-4000-8000-000000000001/",
    "/api/admin/history/v1/conference/1/",
    "/api/admin/configuration/v1/system_location/3",
    "/api/admin/command/v1/participant/dial/",
    "../../etc/passwd",
];

#[test]
fn fuzz_resource_paths() {
    run("resource paths", text::around(URIS), |uri| {
        let _ = pexip::client::path::check_name(uri);
        let _ = ObjectId::parse(uri);
        let _ = ObjectId::key(uri);
        if let Ok(object) = ObjectRef::parse_uri(uri) {
            let written = object.uri();
            // A parsed reference writes a URI that parses back to itself and stays inside the
            // API: no `..`, no query, no second slash run.
            assert_eq!(ObjectRef::parse_uri(&written).unwrap(), object, "{uri}");
            assert!(
                !written.contains("..") && !written.contains('?') && !written.contains("//"),
                "{written}"
            );
        }
    });
}
