//! The engine on the simulator's v14 and v40 schemas and on the real-format sample.

use super::check::{REQUIRED, check};
use super::errors::FormErrors;
use super::kind::{FieldKind, FieldSpec};
use super::layout::{self, Section, all_fields};
use super::state::FormState;
use super::value;
use crate::api::AppError;
use pexip::Schema;
use serde_json::{Map, Value, json};
use simulator::Profile;
use simulator::catalogue::Catalogue;
use std::path::PathBuf;

fn schema(profile: Profile, resource: &str) -> Schema {
    Catalogue::for_profile(profile)
        .get(resource)
        .unwrap_or_else(|| panic!("{resource} in {profile:?}"))
        .schema
        .clone()
}

fn sections(resource: &str, schema: &Schema) -> Vec<Section> {
    layout::for_resource(resource).sections(schema)
}

fn spec<'a>(sections: &'a [Section], name: &str) -> &'a FieldSpec {
    all_fields(sections)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn section_of<'a>(sections: &'a [Section], name: &str) -> &'a str {
    &sections
        .iter()
        .find(|s| s.fields.iter().any(|f| f.name == name))
        .unwrap()
        .title
}

fn choice_labels(spec: &FieldSpec) -> Vec<(Value, String)> {
    match &spec.kind {
        FieldKind::Select { choices } => choices
            .iter()
            .map(|c| (c.value.clone(), c.label.clone()))
            .collect(),
        other => panic!("{} is {other:?}", spec.name),
    }
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

#[test]
fn v14_conference_fields_get_their_widgets() {
    let sections = sections("conference", &schema(Profile::V14, "conference"));
    let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Service",
            "Access",
            "Layout and media",
            "Routing",
            "Details"
        ]
    );

    let name = spec(&sections, "name");
    assert!(name.required);
    assert_eq!(
        name.kind,
        FieldKind::Text {
            max_length: Some(250),
            min_length: None,
            digits: None
        }
    );
    match &spec(&sections, "pin").kind {
        FieldKind::Text {
            digits: Some(d), ..
        } => assert_eq!((d.min, d.max, d.terminal_hash), (4, 20, true)),
        other => panic!("pin is {other:?}"),
    }
    assert_eq!(spec(&sections, "pin").label, "Host PIN");
    assert_eq!(spec(&sections, "guest_pin").label, "Guest PIN");
    assert_eq!(
        choice_labels(spec(&sections, "service_type")),
        vec![
            (json!("conference"), "Virtual Meeting Room".into()),
            (json!("lecture"), "Virtual Auditorium".into()),
            (json!("two_stage_dialing"), "Virtual Reception".into()),
            (json!("test_call"), "Test Call Service".into()),
        ]
    );
    assert_eq!(spec(&sections, "allow_guests").kind, FieldKind::Toggle);
    let limit = spec(&sections, "participant_limit");
    assert!(limit.nullable && !limit.required);
    assert_eq!(
        limit.kind,
        FieldKind::Number {
            integer: true,
            min: Some(0.0),
            max: Some(1_000_000.0)
        }
    );
    assert_eq!(spec(&sections, "ivr_theme").kind, FieldKind::RelatedOne);
    assert_eq!(
        spec(&sections, "aliases").kind,
        FieldKind::Inline {
            columns: vec!["alias".into(), "description".into()]
        }
    );
    assert!(
        !all_fields(&sections).any(|s| s.name == "automatic_participants"),
        "automatic participants have their own section on the room page"
    );
    for owned in ["id", "resource_uri", "creation_time"] {
        assert!(spec(&sections, owned).read_only, "{owned}");
        assert_eq!(section_of(&sections, owned), "Details");
    }
    assert!(!spec(&sections, "id").is_sent());
    // Help text travels with each field.
    assert!(spec(&sections, "pin").help.contains("4-20 digits"));
}

#[test]
fn v40_conference_extras_render_without_code_changes() {
    let v14 = sections("conference", &schema(Profile::V14, "conference"));
    let v40 = sections("conference", &schema(Profile::V40, "conference"));
    assert_eq!(spec(&v40, "breakout_rooms").kind, FieldKind::Toggle);
    assert_eq!(section_of(&v40, "breakout_rooms"), "Other settings");
    let direct: Vec<Value> = choice_labels(spec(&v40, "direct_media"))
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(
        direct,
        [json!("never"), json!("best_effort"), json!("always")]
    );
    assert!(
        choice_labels(spec(&v40, "service_type"))
            .contains(&(json!("media_playback"), "Media Playback Service".into()))
    );
    assert!(
        choice_labels(spec(&v40, "host_view"))
            .iter()
            .any(|(v, _)| v == &json!("teams"))
    );
    assert!(
        !choice_labels(spec(&v14, "host_view"))
            .iter()
            .any(|(v, _)| v == &json!("teams"))
    );
    assert_eq!(
        spec(&v40, "host_identity_provider_group").kind,
        FieldKind::RelatedOne
    );
    assert_eq!(
        spec(&v40, "direct_media_notification_duration").kind,
        FieldKind::Number {
            integer: true,
            min: Some(0.0),
            max: Some(30.0)
        }
    );
    // Every v40 field shows, once.
    let extra = v40.iter().map(|s| s.fields.len()).sum::<usize>()
        - v14.iter().map(|s| s.fields.len()).sum::<usize>();
    assert!(extra >= 10, "v40 adds fields: {extra}");
}

#[test]
fn every_resource_of_both_profiles_lays_out_every_field_once() {
    for profile in [Profile::V14, Profile::V40] {
        let catalogue = Catalogue::for_profile(profile);
        for resource in catalogue.resources() {
            let layout = layout::for_resource(resource.name);
            let sections = layout.sections(&resource.schema);
            let mut shown: Vec<&str> = all_fields(&sections).map(|s| s.name.as_str()).collect();
            shown.sort_unstable();
            let mut expected: Vec<&str> = resource
                .schema
                .fields
                .keys()
                .map(String::as_str)
                .filter(|f| !layout.elsewhere.contains(f))
                .collect();
            expected.sort_unstable();
            assert_eq!(shown, expected, "{profile:?} {}", resource.name);
            // A new object starts from the defaults, which pass the checks but for required
            // fields without one.
            let state = FormState::for_create(all_fields(&sections));
            for (field, problem) in check(all_fields(&sections), &state, true) {
                assert_eq!(problem, REQUIRED, "{profile:?} {}.{field}", resource.name);
                assert!(spec(&sections, &field).required);
            }
            assert!(state.changes(all_fields(&sections)).is_empty());
        }
    }
}

#[test]
fn unknown_types_degrade_to_json_and_defaults_put_required_first() {
    let schema: Schema = serde_json::from_value(json!({
        "fields": {
            "comment": {"type": "string", "blank": true, "default": "", "help_text": ""},
            "geometry": {"type": "polygon", "nullable": true, "help_text": "A shape."},
            "name": {"type": "string", "help_text": "Maximum length: 10 characters."},
            "settings": {"type": "dict", "default": {}, "help_text": ""}
        }
    }))
    .unwrap();
    let sections = sections("not_in_the_table", &schema);
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].title, "Settings");
    let order: Vec<&str> = sections[0].fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(order, ["name", "comment", "geometry", "settings"]);
    assert_eq!(spec(&sections, "geometry").kind, FieldKind::Json);
    assert_eq!(spec(&sections, "settings").kind, FieldKind::Json);
    let mut state = FormState::for_create(all_fields(&sections));
    let json_kind = FieldKind::Json;
    match value::parse(&json_kind, "{not json") {
        Err(message) => state.set_input_error("geometry", message),
        Ok(v) => panic!("parsed {v}"),
    }
    state.set("name", json!("far too long a name"));
    let problems = check(all_fields(&sections), &state, true);
    assert!(problems["geometry"].starts_with("Enter valid JSON"));
    assert_eq!(
        problems["name"],
        "Ensure this value has at most 10 characters (it has 19)."
    );
    state.set("geometry", json!({"type": "Point"}));
    state.set("name", json!("short"));
    assert!(check(all_fields(&sections), &state, true).is_empty());
    assert_eq!(
        state.changes(all_fields(&sections)),
        object(json!({"name": "short", "geometry": {"type": "Point"}}))
    );
}

fn sample(name: &str) -> String {
    let dir = std::env::var_os("PEXIP_API_SAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pexip-api"),
        PathBuf::from,
    );
    let path = dir.join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn real_format_sample_schema_and_object() {
    let schema = Schema::from_json(&sample("conference.schema.pexshell-fixture.json")).unwrap();
    let sections = sections("conference", &schema);
    assert_eq!(
        choice_labels(spec(&sections, "crypto_mode")),
        vec![
            (json!("besteffort"), "Best effort".into()),
            (json!("on"), "Required".into()),
            (json!("off"), "No encryption".into()),
        ]
    );
    assert!(spec(&sections, "crypto_mode").nullable);
    assert_eq!(
        spec(&sections, "media_playlist").kind,
        FieldKind::RelatedOne
    );
    assert_eq!(section_of(&sections, "media_playlist"), "Routing");
    assert!(
        spec(&sections, "id").read_only,
        "id is readonly: false yet server-owned"
    );
    assert!(spec(&sections, "creation_time").read_only);
    assert_eq!(
        spec(&sections, "guests_can_present").kind,
        FieldKind::Toggle
    );

    // The real node's object fills an edit form; nothing counts as changed.
    let detail: Value =
        serde_json::from_str(&sample("conference.detail.pexshell-fixture.json")).unwrap();
    let state = FormState::for_edit(all_fields(&sections), detail.as_object().unwrap());
    assert!(state.changes(all_fields(&sections)).is_empty());
    assert!(check(all_fields(&sections), &state, false).is_empty());
}

#[test]
fn real_format_error_lands_at_its_fields() {
    let trimmed = Schema::from_json(&sample("conference.schema.pexshell-fixture.json")).unwrap();
    let sections = sections("conference", &trimmed);
    let body: Value =
        serde_json::from_str(&sample("conference.error400.caseflow-fixture.json")).unwrap();
    // The BFF turns `{"conference": {field: [..]}}` into the fields map.
    let fields = body["conference"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let messages = v
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_string())
                .collect();
            (k.clone(), messages)
        })
        .collect();
    let error = AppError::Invalid {
        message: "refused".into(),
        fields,
    };
    // The trimmed sample schema has no `name` field: the message shows at the top, named.
    let errors = FormErrors::from_server(&error, all_fields(&sections));
    assert_eq!(
        errors.top,
        ["Name: Virtual room for this name already exist."]
    );
    assert!(errors.fields.is_empty());
    // A full conference schema shows it at the name field.
    let full = layout::for_resource("conference").sections(&schema(Profile::V14, "conference"));
    let errors = FormErrors::from_server(&error, all_fields(&full));
    assert_eq!(
        errors.field("name"),
        ["Virtual room for this name already exist."]
    );
    assert!(errors.top.is_empty());
}

fn v14_room() -> Value {
    json!({
        "id": 7,
        "resource_uri": "/api/admin/configuration/v1/conference/7/",
        "creation_time": "2026-11-29T12:49:07.123456",
        "name": "Board room",
        "service_type": "conference",
        "pin": "1234",
        "guest_pin": "",
        "allow_guests": false,
        "participant_limit": null,
        "ivr_theme": null,
        "aliases": [
            {"id": 3, "alias": "board@acme.example", "description": "", "conference": "/api/admin/configuration/v1/conference/7/", "creation_time": "2026-11-29T12:49:07.123456"},
            {"id": 4, "alias": "7001", "description": "Phone", "conference": "/api/admin/configuration/v1/conference/7/", "creation_time": "2026-11-29T12:49:07.123456"}
        ]
    })
}

#[test]
fn edits_send_only_changed_fields_with_explicit_nulls() {
    let sections = sections("conference", &schema(Profile::V14, "conference"));
    let specs = || all_fields(&sections);
    let mut state = FormState::for_edit(specs(), v14_room().as_object().unwrap());
    assert_eq!(
        state.get("aliases"),
        Some(&json!([
            {"alias": "board@acme.example", "description": ""},
            {"alias": "7001", "description": "Phone"}
        ]))
    );
    assert!(state.changes(specs()).is_empty());

    state.set("pin", json!("98765"));
    state.set("participant_limit", json!(25));
    state.set("participant_limit", Value::Null); // back to "not set": no change
    assert_eq!(state.changes(specs()), object(json!({"pin": "98765"})));

    state.set(
        "ivr_theme",
        json!("/api/admin/configuration/v1/ivr_theme/2/"),
    );
    state.set("pin", json!("1234")); // typed back: no change
    state.set(
        "aliases",
        json!([{"alias": "7001", "description": "Phone"}, {"alias": "new@acme.example", "description": "x"}]),
    );
    assert_eq!(
        state.changes(specs()),
        object(json!({
            "ivr_theme": "/api/admin/configuration/v1/ivr_theme/2/",
            "aliases": [{"alias": "7001", "description": "Phone"}, {"alias": "new@acme.example", "description": "x"}]
        }))
    );
    // Clearing a set relation sends an explicit null.
    state.mark_saved();
    state.set("ivr_theme", Value::Null);
    assert_eq!(state.changes(specs()), object(json!({"ivr_theme": null})));
    // Read-only values are never sent.
    state.set("id", json!(99));
    state.set("creation_time", json!("2000-01-01T00:00:00"));
    assert_eq!(state.changes(specs()), object(json!({"ivr_theme": null})));
}

#[test]
fn a_new_room_sends_what_differs_from_the_defaults() {
    let sections = sections("conference", &schema(Profile::V14, "conference"));
    let specs = || all_fields(&sections);
    let mut state = FormState::for_create(specs());
    assert_eq!(state.get("service_type"), Some(&json!("conference")));
    assert_eq!(
        state.get("aliases"),
        Some(&json!([])),
        "a null default is an empty list"
    );
    let problems = check(specs(), &state, true);
    assert_eq!(problems.keys().collect::<Vec<_>>(), ["name"]);

    state.set("name", json!("Lecture hall"));
    state.set("service_type", json!("lecture"));
    state.set(
        "aliases",
        json!([{"alias": "hall@acme.example", "description": ""}, {"alias": "", "description": ""}]),
    );
    state.set("pin", json!("12a4"));
    let problems = check(specs(), &state, true);
    assert_eq!(
        problems["pin"],
        "Enter digits only, optionally followed by #."
    );
    assert_eq!(
        problems["aliases"],
        "Row 2: give a alias or remove the row."
    );
    state.set("pin", json!("1234#"));
    state.set(
        "aliases",
        json!([{"alias": "hall@acme.example", "description": ""}]),
    );
    state.set("participant_limit", json!(2_000_000));
    assert_eq!(
        check(specs(), &state, true)["participant_limit"],
        "Ensure this value is less than or equal to 1000000."
    );
    state.set("participant_limit", json!(50));
    state.set("host_view", json!("not_a_layout"));
    assert_eq!(
        check(specs(), &state, true)["host_view"],
        "Select a valid choice."
    );
    state.set("host_view", json!("one_main_seven_pips")); // the default: not sent
    assert!(check(specs(), &state, true).is_empty());
    assert_eq!(
        state.changes(specs()),
        object(json!({
            "name": "Lecture hall",
            "service_type": "lecture",
            "aliases": [{"alias": "hall@acme.example", "description": ""}],
            "pin": "1234#",
            "participant_limit": 50
        }))
    );
}

#[test]
fn an_unknown_current_choice_stays_valid() {
    let sections = sections("conference", &schema(Profile::V14, "conference"));
    let mut room = v14_room();
    room["host_view"] = json!("teams"); // a value this schema does not list
    let state = FormState::for_edit(all_fields(&sections), room.as_object().unwrap());
    assert!(check(all_fields(&sections), &state, false).is_empty());
}

#[test]
fn server_errors_land_at_fields_and_the_rest_at_the_top() {
    let sections = sections("conference", &schema(Profile::V14, "conference"));
    let error = AppError::Invalid {
        message: "x".into(),
        fields: [
            (
                "pin".to_string(),
                vec!["Ensure this value has 4-20 digits.".to_string()],
            ),
            (
                "__all__".to_string(),
                vec!["A PIN is needed when guests are allowed.".to_string()],
            ),
            ("id".to_string(), vec!["bad id".to_string()]),
            ("frobnicate".to_string(), vec!["unknown field".to_string()]),
        ]
        .into(),
    };
    let errors = FormErrors::from_server(&error, all_fields(&sections));
    assert_eq!(errors.field("pin"), ["Ensure this value has 4-20 digits."]);
    assert_eq!(
        errors.top,
        [
            "A PIN is needed when guests are allowed.",
            "Frobnicate: unknown field",
            "ID: bad id"
        ]
    );
    let other = FormErrors::from_server(&AppError::NotFound, all_fields(&sections));
    assert_eq!(other.top, ["Not found."]);
    assert!(other.fields.is_empty());
}

#[test]
fn inputs_show_and_read_values() {
    let number = FieldKind::Number {
        integer: true,
        min: None,
        max: None,
    };
    assert_eq!(value::parse(&number, " 42 "), Ok(json!(42)));
    assert_eq!(value::parse(&number, ""), Ok(Value::Null));
    assert_eq!(
        value::parse(&number, "4.5"),
        Err("Enter a whole number.".into())
    );
    let float = FieldKind::Number {
        integer: false,
        min: None,
        max: None,
    };
    assert_eq!(value::parse(&float, "4.5"), Ok(json!(4.5)));
    assert_eq!(
        value::display(
            &FieldKind::DateTime,
            Some(&json!("2026-11-29T12:49:07.123456"))
        ),
        "2026-11-29T12:49:07"
    );
    assert_eq!(
        value::parse(&FieldKind::DateTime, "2026-11-29T12:49"),
        Ok(json!("2026-11-29T12:49:00"))
    );
    assert_eq!(
        value::parse(&FieldKind::Time, "08:30"),
        Ok(json!("08:30:00"))
    );
    assert_eq!(value::parse(&FieldKind::Date, ""), Ok(Value::Null));
    for v in [json!(true), json!("on"), json!(5), json!("")] {
        assert_eq!(value::from_option_key(&value::option_key(&v)), v);
    }
    assert_eq!(
        value::summary(&v14_room()["aliases"]),
        "board@acme.example, 7001"
    );
}
