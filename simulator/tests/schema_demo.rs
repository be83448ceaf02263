//! The demo deployment's configuration obeys its profile's schemas and rules and looks like a
//! real deployment.

use std::collections::{BTreeMap, BTreeSet};

use pexip::{FieldType, FormErrors, RelatedType};
use serde_json::Value;
use simulator::Profile;
use simulator::catalogue::{Catalogue, IdKind, rules};
use simulator::demo::config::{DemoObject, HOUSE_DOMAIN, TENANTS, demo_config, load, tag_of};
use simulator::store::{ConfigStore, ObjectId};

fn of<'a>(objects: &'a [DemoObject], resource: &str) -> Vec<&'a DemoObject> {
    objects.iter().filter(|o| o.resource == resource).collect()
}

#[test]
fn demo_objects_obey_their_schemas_and_rules() {
    for profile in [Profile::V14, Profile::V40] {
        let catalogue = Catalogue::for_profile(profile);
        let objects = demo_config(profile);
        let uris: BTreeSet<&str> = objects
            .iter()
            .map(|o| o.object["resource_uri"].as_str().unwrap())
            .collect();
        assert_eq!(uris.len(), objects.len(), "resource URIs are unique");
        let mut unique_seen: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for o in &objects {
            let r = catalogue
                .get(o.resource)
                .unwrap_or_else(|| panic!("{profile:?} has no {}", o.resource));
            let uri = o.object["resource_uri"].as_str().unwrap();
            assert_eq!(uri, format!("{}{}/", r.list_endpoint(), o.id), "{uri}");
            for (name, f) in &r.schema.fields {
                if r.is_reverse(name) {
                    assert!(
                        !o.object.contains_key(name),
                        "{uri}: reverse field {name} stored"
                    );
                    continue;
                }
                let value = o
                    .object
                    .get(name)
                    .unwrap_or_else(|| panic!("{uri} lacks {name}"));
                let empty = value.is_null() || value == "";
                if !f.readonly && !f.blank && !f.nullable && f.default.is_none() {
                    assert!(!empty, "{uri}: required {name} empty");
                }
                if value.is_null() {
                    assert!(
                        f.nullable || f.field_type == FieldType::Datetime,
                        "{uri}: {name} null but not nullable"
                    );
                    continue;
                }
                match f.field_type {
                    FieldType::String => assert!(value.is_string(), "{uri}: {name}={value}"),
                    FieldType::Integer => {
                        assert!(value.is_i64() || value == "", "{uri}: {name}={value}")
                    }
                    FieldType::Boolean => assert!(value.is_boolean(), "{uri}: {name}={value}"),
                    FieldType::Datetime => assert!(
                        value
                            .as_str()
                            .is_some_and(|t| t.len() == 26 && t.as_bytes()[10] == b'T'),
                        "{uri}: {name}={value}"
                    ),
                    FieldType::Related => {
                        let targets: Vec<&Value> = match f.related_type {
                            Some(RelatedType::ToMany) => value
                                .as_array()
                                .unwrap_or_else(|| panic!("{uri}: {name}"))
                                .iter()
                                .collect(),
                            _ => vec![value],
                        };
                        let target = r.relation(name).unwrap();
                        for t in targets {
                            let t = t.as_str().unwrap_or_else(|| panic!("{uri}: {name}={t}"));
                            assert!(uris.contains(t), "{uri}: {name} points to missing {t}");
                            assert!(
                                t.starts_with(&format!("/api/admin/configuration/v1/{target}/")),
                                "{uri}: {name}={t}"
                            );
                        }
                    }
                    _ => {}
                }
                if let Some(choices) = &f.valid_choices
                    && !empty
                {
                    assert!(
                        choices.contains(value),
                        "{uri}: {name}={value} not in {choices:?}"
                    );
                }
                if let Err(e) = f.limits().check(value) {
                    panic!("{uri}: {name}={value}: {e}");
                }
                if f.unique && !empty && name != "id" {
                    let seen = unique_seen
                        .entry((o.resource.to_owned(), name.clone()))
                        .or_default();
                    assert!(
                        seen.insert(value.to_string()),
                        "{uri}: {name}={value} already exists"
                    );
                }
            }
            for key in o.object.keys() {
                let keyed_id = key == "id" && matches!(r.id_kind, IdKind::Key(_));
                assert!(
                    r.schema.fields.contains_key(key) || keyed_id,
                    "{uri}: {key} not in schema"
                );
            }
            if let IdKind::Key(field) = r.id_kind {
                assert_eq!(o.object["id"], o.object[field], "{uri}: id is the {field}");
                assert_eq!(o.id, ObjectId::parse(o.object[field].as_str().unwrap()));
            }
            let mut errors = FormErrors::new(o.resource);
            rules::check(o.resource, &o.object, &mut errors);
            assert!(errors.is_empty(), "{uri}: {errors}");
        }
    }
}

#[test]
fn demo_looks_like_a_deployment() {
    let objects = demo_config(Profile::V14);
    let locations: Vec<&str> = of(&objects, "system_location")
        .iter()
        .map(|o| o.object["name"].as_str().unwrap())
        .collect();
    assert!(
        locations.contains(&"London") && locations.contains(&"Oslo") && locations.len() >= 4,
        "{locations:?}"
    );
    for name in ["London", "Oslo"] {
        let loc = of(&objects, "system_location")
            .into_iter()
            .find(|o| o.object["name"] == name)
            .unwrap();
        let nodes = of(&objects, "worker_vm")
            .into_iter()
            .filter(|n| n.object["system_location"] == loc.object["resource_uri"])
            .count();
        assert!(nodes >= 2, "{name} has {nodes} nodes");
    }
    assert_eq!(of(&objects, "management_vm").len(), 1);
    let vcenter = &of(&objects, "host_system")[0].object["id"];
    let deployed = of(&objects, "worker_vm")
        .into_iter()
        .filter(|n| n.object["deployment_type"] == "VMWARE")
        .collect::<Vec<_>>();
    assert!(!deployed.is_empty());
    assert!(
        deployed.iter().all(|n| &n.object["host"] == vcenter),
        "VMWARE nodes name the VM manager by id, as the guide does"
    );
    let conferences = of(&objects, "conference");
    let count = |t: &str| {
        conferences
            .iter()
            .filter(|c| c.object["service_type"] == t)
            .count()
    };
    assert!(count("conference") >= 30, "{} VMRs", count("conference"));
    assert!(count("lecture") >= 2 && count("two_stage_dialing") >= 2 && count("test_call") >= 1);
    let aliases = of(&objects, "conference_alias");
    let alias_texts: Vec<&str> = aliases
        .iter()
        .map(|a| a.object["alias"].as_str().unwrap())
        .collect();
    assert!(
        alias_texts
            .iter()
            .any(|a| a.ends_with("@example.com") && !a.starts_with("sip:"))
    );
    assert!(
        alias_texts
            .iter()
            .any(|a| a.chars().all(|c| c.is_ascii_digit()))
    );
    assert!(alias_texts.iter().any(|a| a.starts_with("sip:")));
    for c in &conferences {
        let uri = &c.object["resource_uri"];
        let mine: Vec<&&DemoObject> = aliases
            .iter()
            .filter(|a| &a.object["conference"] == uri)
            .collect();
        assert!(!mine.is_empty(), "{uri} has no alias");
        let tag = c.object["tag"].as_str().unwrap();
        for a in mine {
            let alias = a.object["alias"].as_str().unwrap();
            if alias.contains('@') {
                assert_eq!(
                    tag_of(alias),
                    tag,
                    "{alias} of {uri} is outside its tenant's domains"
                );
            }
        }
        if c.object["service_type"] == "conference" {
            let owner = c.object["primary_owner_email_address"].as_str().unwrap();
            assert!(owner.contains('@'), "{uri} has no owner");
        }
    }
    for (tag, domain, _) in TENANTS {
        let n = conferences
            .iter()
            .filter(|c| c.object["tag"] == *tag)
            .count();
        assert!(n >= 5, "tenant {tag} ({domain}) has {n} services");
    }
    assert!(conferences.iter().any(|c| {
        c.object["tag"] == ""
            && c.object["primary_owner_email_address"]
                .as_str()
                .unwrap()
                .ends_with(HOUSE_DOMAIN)
    }));
    for resource in [
        "ivr_theme",
        "automatic_participant",
        "gateway_routing_rule",
        "global",
        "dns_server",
        "ntp_server",
        "syslog_server",
        "licence",
        "device",
    ] {
        assert!(!of(&objects, resource).is_empty(), "no {resource}");
    }
    let adp = of(&objects, "automatic_participant");
    assert!(
        adp.iter()
            .any(|a| a.object["conference"].as_array().unwrap().len() > 1),
        "an ADP in several rooms"
    );
}

#[test]
fn demo_is_deterministic_and_loads_into_the_store() {
    assert_eq!(demo_config(Profile::V14), demo_config(Profile::V14));
    for profile in [Profile::V14, Profile::V40] {
        let objects = demo_config(profile);
        let mut store = ConfigStore::new();
        load(&mut store, profile);
        for resource in objects.iter().map(|o| o.resource).collect::<BTreeSet<_>>() {
            assert_eq!(
                store.count(resource),
                of(&objects, resource).len(),
                "{resource}"
            );
        }
        let first = &objects.iter().find(|o| o.resource == "conference").unwrap();
        assert_eq!(store.get("conference", &first.id), Some(&first.object));
    }
    let v40 = demo_config(Profile::V40);
    assert!(of(&v40, "host_system").is_empty());
    assert!(!of(&v40, "end_user").is_empty());
    assert!(
        of(&v40, "conference")
            .iter()
            .any(|c| c.object["service_type"] == "media_playback")
    );
    assert!(
        of(&v40, "conference")
            .iter()
            .all(|c| c.object.contains_key("direct_media"))
    );
}
