//! The catalogue's schemas against the real format: each is parsed back by `pexip::Schema`,
//! agrees with the real pexshell sample, covers the guide's resource table, and carries its
//! limits in help-text phrases the parser finds.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pexip::{FieldType, Limits, RelatedType, Schema};
use serde_json::Value;
use simulator::Profile;
use simulator::catalogue::{Catalogue, IdKind};

const PROFILES: [Profile; 2] = [Profile::V14, Profile::V40];

fn shared(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/pexip-api")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn every_schema_is_parsed_back_by_the_pexip_model() {
    for profile in PROFILES {
        for r in Catalogue::for_profile(profile).resources() {
            let text = serde_json::to_string_pretty(&r.schema).unwrap();
            let parsed =
                Schema::from_json(&text).unwrap_or_else(|e| panic!("{profile:?} {}: {e}", r.name));
            assert_eq!(parsed, r.schema, "{profile:?} {} round trip", r.name);
            // Serialized like tastypie: fields and filters in alphabetical order.
            let value: Value = serde_json::from_str(&text).unwrap();
            let keys: Vec<&String> = value["fields"].as_object().unwrap().keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "{} fields sorted", r.name);
            for key in [
                "allowed_detail_http_methods",
                "allowed_list_http_methods",
                "default_format",
                "default_limit",
                "fields",
            ] {
                assert!(value.get(key).is_some(), "{} lacks {key}", r.name);
            }
            assert_eq!(value["default_limit"], 20);
        }
    }
}

#[test]
fn schemas_are_consistent() {
    for profile in PROFILES {
        for r in Catalogue::for_profile(profile).resources() {
            let s = &r.schema;
            let uri = s.field("resource_uri").expect("resource_uri");
            assert!(uri.readonly && uri.default.is_none(), "{}", r.name);
            match r.id_kind {
                IdKind::Integer => {
                    let id = s.field("id").expect("id");
                    assert_eq!(id.field_type, FieldType::Integer, "{}", r.name);
                    assert!(
                        id.unique && !id.readonly,
                        "{}: id is readonly: false yet unique",
                        r.name
                    );
                }
                IdKind::Uuid => assert!(s.field("id").is_some(), "{}", r.name),
                IdKind::Key(key) => {
                    assert!(s.field("id").is_none(), "{}", r.name);
                    assert!(s.field(key).is_some_and(|f| f.unique), "{}.{key}", r.name);
                }
            }
            for name in s.filtering.keys().chain(&s.ordering) {
                assert!(
                    s.field(name).is_some(),
                    "{profile:?} {}: {name} filtered/ordered but no field",
                    r.name
                );
            }
            for (name, f) in &s.fields {
                if f.field_type == FieldType::Related {
                    assert!(
                        matches!(
                            f.related_type,
                            Some(RelatedType::ToOne | RelatedType::ToMany)
                        ),
                        "{}.{name}",
                        r.name
                    );
                    assert!(r.relation(name).is_some(), "{}.{name}", r.name);
                } else {
                    assert!(f.related_type.is_none(), "{}.{name}", r.name);
                }
                if let Some(choices) = &f.valid_choices {
                    let default = f.default.clone().unwrap_or(Value::Null);
                    let empty = default.is_null() || default == "";
                    assert!(
                        choices.contains(&default) || (empty && f.nullable),
                        "{profile:?} {}.{name}: default {default} not among {choices:?}",
                        r.name
                    );
                    if f.field_type == FieldType::Boolean {
                        assert_eq!(choices, &[Value::Bool(true), Value::Bool(false)]);
                    }
                }
                if let Some(default) = f.default.as_ref().filter(|d| d.is_number()) {
                    assert!(
                        f.limits().check(default).is_ok(),
                        "{}.{name} default {default} outside its range",
                        r.name
                    );
                }
            }
            for secret in &r.secrets {
                assert_eq!(
                    s.field(secret).map(|f| &f.field_type),
                    Some(&FieldType::String),
                    "{}.{secret}",
                    r.name
                );
            }
        }
    }
}

#[test]
fn v14_has_every_resource_of_the_guides_table() {
    let guide = shared("management-api-v14-guide.txt");
    let start = guide
        .find("The following configuration resources are available")
        .unwrap();
    let end = start + guide[start..].find("Resource details").unwrap();
    let table = &guide[start..end];
    let names: BTreeSet<&str> = table
        .split("/api/admin/configuration/v1/")
        .skip(1)
        .filter_map(|rest| rest.split(['/', '\n', ' ', '\t']).next())
        .collect();
    assert_eq!(names.len(), 38, "{names:?}");
    let v14 = Catalogue::for_profile(Profile::V14);
    let ours: BTreeSet<&str> = v14.names().collect();
    let names_owned: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(ours, names_owned);
    for r in v14.resources() {
        assert_eq!(
            r.list_endpoint(),
            format!("/api/admin/configuration/v1/{}/", r.name)
        );
        assert_eq!(
            r.schema_endpoint(),
            format!("/api/admin/configuration/v1/{}/schema/", r.name)
        );
    }
    let root = v14.root_document();
    assert_eq!(
        root["conference_alias"]["schema"],
        "/api/admin/configuration/v1/conference_alias/schema/"
    );
    assert_eq!(root.as_object().unwrap().len(), 38);
}

#[test]
fn v14_conference_alias_filtering_is_the_guides() {
    let v14 = Catalogue::for_profile(Profile::V14);
    let alias = &v14.get("conference_alias").unwrap().schema;
    let filtering = serde_json::to_value(&alias.filtering).unwrap();
    assert_eq!(
        filtering,
        serde_json::json!({"alias": 1, "conference": 2, "description": 1})
    );
}

#[test]
fn v40_conference_agrees_with_the_real_pexshell_sample() {
    let sample = Schema::from_json(&shared("conference.schema.pexshell-fixture.json")).unwrap();
    let v40 = Catalogue::for_profile(Profile::V40);
    let ours = &v40.get("conference").unwrap().schema;
    assert_eq!(
        ours.allowed_detail_http_methods,
        sample.allowed_detail_http_methods
    );
    assert_eq!(
        ours.allowed_list_http_methods,
        sample.allowed_list_http_methods
    );
    for (name, real) in &sample.fields {
        let mine = ours
            .field(name)
            .unwrap_or_else(|| panic!("v40 conference lacks {name}"));
        assert_eq!(mine.field_type, real.field_type, "{name} type");
        assert_eq!(mine.related_type, real.related_type, "{name} related_type");
        assert_eq!(
            (mine.blank, mine.nullable, mine.readonly, mine.unique),
            (real.blank, real.nullable, real.readonly, real.unique),
            "{name} flags"
        );
        assert_eq!(mine.valid_choices, real.valid_choices, "{name} choices");
        assert_eq!(mine.limits(), real.limits(), "{name} limits");
        if name != "creation_time" {
            assert_eq!(mine.default, real.default, "{name} default");
        }
    }
    for name in &sample.ordering {
        assert!(ours.can_order_by(name), "order_by {name}");
    }
}

#[test]
fn conference_schemas_have_the_required_fields() {
    let guide_fields = [
        "aliases",
        "allow_guests",
        "automatic_participants",
        "description",
        "force_presenter_into_main",
        "guest_pin",
        "guest_view",
        "host_view",
        "id",
        "ivr_theme",
        "max_callrate_in",
        "max_callrate_out",
        "name",
        "participant_limit",
        "pin",
        "resource_uri",
        "service_type",
        "sync_tag",
        "tag",
        "call_type",
        "crypto_mode",
        "enable_chat",
        "enable_overlay_text",
        "guests_can_present",
        "primary_owner_email_address",
        "creation_time",
    ];
    let v40_fields = [
        "breakout_rooms",
        "denoise_enabled",
        "direct_media",
        "guests_can_see_guests",
        "live_captions_enabled",
        "non_idp_participants",
        "host_identity_provider_group",
        "two_stage_dial_type",
        "media_playlist",
        "mute_all_guests",
        "max_pixels_per_second",
    ];
    let v14 = Catalogue::for_profile(Profile::V14);
    let v40 = Catalogue::for_profile(Profile::V40);
    let c14 = &v14.get("conference").unwrap().schema;
    let c40 = &v40.get("conference").unwrap().schema;
    for f in guide_fields {
        assert!(c14.field(f).is_some(), "v14 conference lacks {f}");
        assert!(c40.field(f).is_some(), "v40 conference lacks {f}");
    }
    for f in v40_fields {
        assert!(c14.field(f).is_none(), "v14 conference has v40's {f}");
        assert!(c40.field(f).is_some(), "v40 conference lacks {f}");
    }
    let choices = |s: &Schema, f: &str| -> Vec<String> {
        s.field(f)
            .unwrap()
            .valid_choices
            .clone()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        choices(c14, "service_type"),
        ["conference", "lecture", "two_stage_dialing", "test_call"]
    );
    assert!(choices(c40, "service_type").contains(&"media_playback".to_owned()));
    assert_eq!(
        choices(c40, "direct_media"),
        ["never", "best_effort", "always"]
    );
    assert_eq!(choices(c14, "call_type"), ["video", "video-only", "audio"]);
    for layout in [
        "one_main_zero_pips",
        "one_main_seven_pips",
        "one_main_twentyone_pips",
        "two_mains_twentyone_pips",
        "four_mains_zero_pips",
    ] {
        assert!(
            choices(c14, "host_view").contains(&layout.to_owned()),
            "{layout}"
        );
    }
    assert!(!choices(c14, "host_view").contains(&"five_mains_seven_pips".to_owned()));
    assert!(choices(c40, "host_view").contains(&"five_mains_seven_pips".to_owned()));
    assert_eq!(
        choices(c40, "two_stage_dial_type"),
        ["regular", "mssip", "gms", "teams"]
    );
    assert_eq!(
        c14.field("allow_guests").unwrap().valid_choices,
        Some(vec![Value::Bool(true), Value::Bool(false)])
    );
    assert_eq!(
        c14.field("aliases").unwrap().related_type,
        Some(RelatedType::ToMany)
    );
    assert_eq!(
        c14.field("ivr_theme").unwrap().related_type,
        Some(RelatedType::ToOne)
    );
    let pin = c14.field("pin").unwrap().limits().digits.unwrap();
    assert_eq!((pin.min, pin.max, pin.terminal_hash), (4, 20, true));
    assert_eq!(c14.field("name").unwrap().limits().max_length, Some(250));
    assert!(c14.field("name").unwrap().unique);
}

/// Every help text that states a limit phrase yields that limit, and no other text does.
#[test]
fn limits_parse_from_every_help_text_that_carries_one() {
    let mut with_limits = 0;
    for profile in PROFILES {
        for r in Catalogue::for_profile(profile).resources() {
            for (name, f) in &r.schema.fields {
                let text = &f.help_text;
                let limits = Limits::parse(text);
                let says = |phrase: &str| text.contains(phrase);
                if says("Maximum length:") {
                    let n = number_after(text, "Maximum length:");
                    assert_eq!(limits.max_length, Some(n), "{}.{name}", r.name);
                }
                if says("Range:") {
                    let range = limits
                        .range
                        .unwrap_or_else(|| panic!("{}.{name}: {text}", r.name));
                    assert!(range.min <= range.max, "{}.{name}", r.name);
                    assert_eq!(
                        range.min,
                        number_after(text, "Range:") as f64,
                        "{}.{name}",
                        r.name
                    );
                }
                if says("digits") && says("Length:") {
                    assert!(limits.digits.is_some(), "{}.{name}", r.name);
                }
                if says("Minimum:") {
                    let range = limits.range.unwrap_or_else(|| panic!("{}.{name}", r.name));
                    assert_eq!(range.min, number_after(text, "Minimum:") as f64);
                    assert!(range.max.is_infinite());
                }
                let phrases = [
                    "Maximum length:",
                    "Range:",
                    "Length:",
                    "Minimum:",
                    "Maximum:",
                ];
                if !phrases.iter().any(|p| says(p)) {
                    assert!(
                        limits.is_empty(),
                        "{}.{name}: {text} gave {limits:?}",
                        r.name
                    );
                } else {
                    with_limits += 1;
                }
            }
        }
    }
    assert!(
        with_limits > 200,
        "only {with_limits} help texts carry limits"
    );
}

fn number_after(text: &str, phrase: &str) -> usize {
    let rest = &text[text.find(phrase).unwrap() + phrase.len()..];
    rest.trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// What a create request must give, as the schema tells it (the guide's examples give exactly
/// these, or more).
#[test]
fn required_fields_are_those_the_guide_always_sends() {
    let v14 = Catalogue::for_profile(Profile::V14);
    let required = |name: &str| -> Vec<String> {
        let r = v14.get(name).unwrap();
        r.schema.required_fields().map(str::to_owned).collect()
    };
    assert_eq!(required("conference"), ["name"]);
    assert_eq!(required("conference_alias"), ["alias", "conference"]);
    assert_eq!(required("automatic_participant"), ["alias"]);
    assert_eq!(required("ivr_theme"), ["name"]);
    assert_eq!(required("gateway_routing_rule"), ["match_string", "name"]);
    assert_eq!(required("licence"), ["entitlement_id"]);
    assert_eq!(
        required("worker_vm"),
        [
            "address",
            "domain",
            "gateway",
            "hostname",
            "name",
            "netmask",
            "system_location"
        ]
    );
    for singleton in v14.resources().filter(|r| r.singleton) {
        assert_eq!(
            required(singleton.name),
            Vec::<String>::new(),
            "{}",
            singleton.name
        );
    }
}
