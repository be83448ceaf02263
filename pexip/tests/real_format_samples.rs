//! The real-format samples in `shared/pexip-api/` parse with the model and round-trip.

use std::path::PathBuf;

use pexip::{ApiError, FieldType, Filtering, HttpMethod, RelatedType, Schema};
use serde_json::{Value, json};

fn sample(name: &str) -> String {
    let dir = std::env::var_os("PEXIP_API_SAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pexip-api"),
        PathBuf::from,
    );
    let path = dir.join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn pexshell_conference_schema_parses() {
    let schema = Schema::from_json(&sample("conference.schema.pexshell-fixture.json")).unwrap();
    assert_eq!(schema.fields.len(), 14);
    assert_eq!(schema.default_limit, Some(20));
    assert_eq!(schema.default_format, "application/json");
    assert!(schema.allows_detail(&HttpMethod::Patch));
    assert!(schema.allows_list(&HttpMethod::Delete));

    let aliases = schema.field("aliases").unwrap();
    assert_eq!(aliases.field_type, FieldType::Related);
    assert_eq!(aliases.related_type, Some(RelatedType::ToMany));
    assert_eq!(aliases.default, Some(Value::Null));
    assert!(aliases.is_to_many());

    let resource_uri = schema.field("resource_uri").unwrap();
    assert_eq!(
        resource_uri.default, None,
        "resource_uri has no default key"
    );
    assert!(resource_uri.readonly);

    let crypto = schema.field("crypto_mode").unwrap();
    assert_eq!(
        crypto.valid_choices,
        Some(vec![json!("besteffort"), json!("on"), json!("off")])
    );
    let present = schema.field("guests_can_present").unwrap();
    assert_eq!(present.valid_choices, Some(vec![json!(true), json!(false)]));
    assert_eq!(schema.field("id").unwrap().default, Some(json!("")));

    assert_eq!(schema.filtering["aliases"], Filtering::AllWithRelations);
    assert_eq!(schema.filtering["name"], Filtering::All);
    assert!(schema.can_filter("service_type", "exact"));
    assert!(!schema.can_filter("guests_can_present", "exact"));
    assert_eq!(schema.ordering.first().map(String::as_str), Some("name"));
    assert!(schema.can_order_by("creation_time"));
    assert_eq!(
        schema.required_fields().count(),
        0,
        "the trimmed sample has no field a POST must give"
    );
    assert!(!schema.can_order_by("id"));
}

#[test]
fn pexshell_conference_schema_round_trips_losslessly() {
    let text = sample("conference.schema.pexshell-fixture.json");
    let original: Value = serde_json::from_str(&text).unwrap();
    let schema = Schema::from_json(&text).unwrap();
    let back = serde_json::to_value(&schema).unwrap();
    assert_eq!(back, original);
    let field_names: Vec<&str> = original["fields"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let parsed_names: Vec<&str> = schema.fields.keys().map(String::as_str).collect();
    assert_eq!(parsed_names, field_names, "field order kept");
}

#[test]
fn pexshell_help_texts_carry_limits() {
    let schema = Schema::from_json(&sample("conference.schema.pexshell-fixture.json")).unwrap();
    let description = schema.field("description").unwrap().limits();
    assert_eq!(description.max_length, Some(250));
    let pin = schema.field("pin").unwrap().limits().digits.unwrap();
    assert_eq!((pin.min, pin.max, pin.terminal_hash), (4, 20, true));
    let guest_pin = schema.field("guest_pin").unwrap().limits();
    assert!(guest_pin.check(&json!("12")).is_err());
    let limit = schema.field("participant_limit").unwrap().limits();
    assert!(limit.check(&json!(1_000_001)).is_err());
    assert!(limit.check(&json!(30)).is_ok());
    assert!(schema.field("mute_all_guests").unwrap().limits().is_empty());
}

#[test]
fn caseflow_error_body_is_a_form_error() {
    let body = sample("conference.error400.caseflow-fixture.json");
    let err = ApiError::from_body(body.as_bytes()).unwrap();
    let form = err.form_errors().unwrap();
    assert_eq!(form.resource.as_deref(), Some("conference"));
    assert_eq!(
        form.field("name"),
        ["Virtual room for this name already exist."]
    );
}

#[test]
fn pexshell_detail_matches_its_schema() {
    let schema = Schema::from_json(&sample("conference.schema.pexshell-fixture.json")).unwrap();
    let detail: Value =
        serde_json::from_str(&sample("conference.detail.pexshell-fixture.json")).unwrap();
    let object = detail.as_object().unwrap();
    for (name, field) in &schema.fields {
        let value = object.get(name).unwrap_or_else(|| panic!("{name} missing"));
        if let Some(choices) = &field.valid_choices
            && !value.is_null()
            && value != ""
        {
            assert!(choices.contains(value), "{name}={value} not in {choices:?}");
        }
        assert!(field.limits().check(value).is_ok(), "{name}={value}");
    }
}
