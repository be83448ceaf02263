//! Over real HTTPS, with the demo deployment loaded: the schema root lists the catalogue, every
//! served `<resource>/schema/` parses with `pexip::Schema` and is the catalogue's, and every
//! list of demo objects arrives in the envelope with complete objects.

mod server_support;

use std::collections::BTreeSet;

use pexip::{FieldType, ListResponse, Schema};
use reqwest::StatusCode;
use serde_json::Value;
use server_support::{Sim, options};
use simulator::catalogue::Catalogue;
use simulator::demo::config::demo_config;
use simulator::{DataSet, Profile};

const ROOT: &str = "/api/admin/configuration/v1/";

async fn demo_sim(profile: Profile) -> Sim {
    Sim::start_with(simulator::SimOptions {
        data: DataSet::Demo,
        profile,
        ..options()
    })
    .await
}

/// The schema without the values rendered at request time (datetime defaults are "now").
fn comparable(mut schema: Schema) -> Schema {
    for field in schema.fields.values_mut() {
        if field.field_type == FieldType::Datetime {
            field.default = None;
        }
    }
    schema
}

#[tokio::test]
async fn served_schemas_parse_and_match_the_catalogue() {
    for profile in [Profile::V14, Profile::V40] {
        let s = demo_sim(profile).await;
        let catalogue = Catalogue::for_profile(profile);
        let root = s.get(ROOT).await;
        assert_eq!(root.status, StatusCode::OK, "{}", root.text);
        let root = root.json();
        let listed: BTreeSet<&str> = root
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let ours: BTreeSet<&str> = catalogue.names().collect();
        assert_eq!(listed, ours, "{profile:?} schema root");
        for r in catalogue.resources() {
            let entry = &root[r.name];
            assert_eq!(entry["list_endpoint"], r.list_endpoint().as_str());
            let path = entry["schema"].as_str().unwrap();
            let a = s.get(path).await;
            assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.text);
            let served = Schema::from_json(&a.text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                comparable(served),
                comparable(r.schema.clone()),
                "{profile:?} {path}"
            );
        }
        let with_format = s
            .get(&format!("{ROOT}conference_alias/schema/?format=json"))
            .await;
        let alias = Schema::from_json(&with_format.text).unwrap();
        assert_eq!(
            serde_json::to_value(&alias.filtering).unwrap(),
            serde_json::json!({"alias": 1, "conference": 2, "description": 1})
        );
    }
}

#[tokio::test]
async fn demo_lists_arrive_complete_in_the_envelope() {
    for profile in [Profile::V14, Profile::V40] {
        let s = demo_sim(profile).await;
        let catalogue = Catalogue::for_profile(profile);
        let demo = demo_config(profile);
        for r in catalogue.resources() {
            let expected = demo.iter().filter(|o| o.resource == r.name).count();
            if expected == 0 {
                continue;
            }
            let path = format!("{}?limit=0", r.list_endpoint());
            let a = s.get(&path).await;
            assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.text);
            let page: ListResponse<Value> =
                serde_json::from_str(&a.text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                page.meta.total_count as usize, expected,
                "{profile:?} {path}"
            );
            assert_eq!(page.objects.len(), expected, "{path}");
            for object in &page.objects {
                let keys: BTreeSet<&str> = object
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                for field in r.schema.fields.keys() {
                    assert!(
                        keys.contains(field.as_str()),
                        "{path}: an object lacks {field}: {object}"
                    );
                }
            }
        }
        // A conference reads back with its aliases embedded, and a tenant's rooms are found by tag.
        let acme = s
            .get(&format!("{ROOT}conference/?tag=acme&limit=0"))
            .await
            .json();
        let rooms = acme["objects"].as_array().unwrap();
        assert!(rooms.len() >= 5, "{profile:?}: {} Acme rooms", rooms.len());
        for room in rooms {
            let aliases = room["aliases"].as_array().unwrap();
            assert!(!aliases.is_empty(), "{}", room["name"]);
            for alias in aliases {
                let text = alias["alias"].as_str().unwrap();
                assert!(
                    !text.contains('@') || text.ends_with("@acme.example"),
                    "{text}"
                );
            }
        }
    }
}
