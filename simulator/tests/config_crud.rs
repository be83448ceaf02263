//! The configuration API beyond the guide's examples: validation in tastypie's shape, status
//! codes and bodies of NOTES.md, PUT, bulk PATCH, DELETE on lists, absent vs null in PATCH,
//! nested aliases, schemas and the v40 profile.

mod server_support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server_support::{Sim, options};
use simulator::Profile;

const CONF: &str = "/api/admin/configuration/v1/conference/";
const ALIAS: &str = "/api/admin/configuration/v1/conference_alias/";

fn errors(body: &Value, resource: &str, field: &str) -> Vec<String> {
    body[resource][field]
        .as_array()
        .unwrap_or_else(|| panic!("no errors for {resource}.{field} in {body}"))
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn field_validation_in_tastypie_shape() {
    let s = Sim::start().await;
    let a = s.post(CONF, &json!({"service_type": "conference"})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.json(),
        json!({"conference": {"name": ["This field is required."]}})
    );

    let cases = [
        (
            json!({"name": "A", "description": "x".repeat(251)}),
            "description",
            "at most 250 characters",
        ),
        (json!({"name": "A", "pin": "12ab"}), "pin", "digit"),
        (json!({"name": "A", "pin": "123"}), "pin", "4"),
        (json!({"name": "A", "pin": "1".repeat(21)}), "pin", "20"),
        (
            json!({"name": "A", "service_type": "party"}),
            "service_type",
            "Select a valid choice. party is not one of the available choices.",
        ),
        (
            json!({"name": "A", "participant_limit": "many"}),
            "participant_limit",
            "Enter a whole number.",
        ),
        (
            json!({"name": "A", "participant_limit": -1}),
            "participant_limit",
            "greater than or equal to 0",
        ),
        (
            json!({"name": "A", "max_callrate_in": 64}),
            "max_callrate_in",
            "greater than or equal to 128",
        ),
        (
            json!({"name": "A", "allow_guests": "maybe"}),
            "allow_guests",
            "True or False",
        ),
        (
            json!({"name": "A", "colour": "blue"}),
            "colour",
            "not a field",
        ),
        (
            json!({"name": "A", "ivr_theme": "/api/admin/configuration/v1/ivr_theme/9/"}),
            "ivr_theme",
            "Could not find",
        ),
        (json!({"name": null}), "name", "cannot be null"),
    ];
    for (body, field, message) in cases {
        let a = s.post(CONF, &body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.text);
        let messages = errors(&a.json(), "conference", field);
        assert!(
            messages.iter().any(|m| m.contains(message)),
            "{body}: {messages:?} lacks {message:?}"
        );
    }
    // Nothing was created by the refused requests.
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 0);

    // Valid PINs: 4-20 digits with an optional terminal #.
    for (i, pin) in ["1234", "1234#", &"9".repeat(20)].iter().enumerate() {
        s.create(CONF, &json!({"name": format!("P{i}"), "pin": pin}))
            .await;
    }
}

#[tokio::test]
async fn unique_names_and_aliases_and_cross_field_rules() {
    let s = Sim::start().await;
    s.create(
        CONF,
        &json!({"name": "Board", "aliases": [{"alias": "board@example.com"}]}),
    )
    .await;
    let a = s.post(CONF, &json!({"name": "Board"})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(errors(&a.json(), "conference", "name")[0].contains("already exists"));

    let a = s
        .post(ALIAS, &json!({"alias": "board@example.com", "conference": "/api/admin/configuration/v1/conference/1/"}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(errors(&a.json(), "conference_alias", "alias")[0].contains("already exists"));

    // A nested alias that already exists refuses the whole conference.
    let a = s
        .post(CONF, &json!({"name": "Other", "aliases": [{"alias": "new@example.com"}, {"alias": "board@example.com"}]}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    assert!(errors(&a.json(), "conference", "aliases")[0].contains("already exists"));
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 1);
    assert_eq!(s.get(ALIAS).await.json()["meta"]["total_count"], 1);

    // Cross-field rules are reported under __all__.
    let a = s
        .post(CONF, &json!({"name": "Guests", "allow_guests": true}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(!errors(&a.json(), "conference", "__all__").is_empty());
    let a = s
        .post(
            CONF,
            &json!({"name": "Same", "allow_guests": true, "pin": "1234", "guest_pin": "1234"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(!errors(&a.json(), "conference", "__all__").is_empty());
}

#[tokio::test]
async fn missing_objects_bad_bodies_and_methods() {
    let s = Sim::start().await;
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({"pin": "1234"}));
        let a = s
            .send(method.clone(), &format!("{CONF}42/"), body.as_ref())
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(a.text, "", "{method}: a 404 has an empty body");
    }
    assert_eq!(
        s.get("/api/admin/configuration/v1/no_such_thing/")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let r = s
        .client
        .post(s.url(CONF))
        .basic_auth(server_support::USER, Some(server_support::PASSWORD))
        .body("{'name': 'python repr'}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("not valid JSON"),
        "{body}"
    );

    let a = s.send(Method::POST, CONF, Some(&json!(["a list"]))).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.json()["error"].as_str().unwrap().contains("JSON object"));

    // The singleton `global` can be read and patched but neither created nor deleted.
    let global = "/api/admin/configuration/v1/global/1/";
    assert_eq!(s.get(global).await.status, StatusCode::OK);
    let a = s
        .post("/api/admin/configuration/v1/global/", &json!({}))
        .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        s.delete(global).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    let a = s.patch(global, &json!({"bursting_threshold": 10})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    assert_eq!(s.get(global).await.json()["bursting_threshold"], 10);
    let a = s.patch(global, &json!({"bursting_threshold": 1000})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        errors(&a.json(), "global", "bursting_threshold")[0].contains("less than or equal to 100")
    );
}

#[tokio::test]
async fn patch_keeps_absent_fields_and_clears_explicit_nulls() {
    let s = Sim::start().await;
    let uri = s
        .create(
            CONF,
            &json!({"name": "VMR", "pin": "1234", "participant_limit": 10, "description": "d"}),
        )
        .await;
    let before = s.get(&uri).await.json();
    let a = s.patch(&uri, &json!({"description": "new"})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(a.text, "");
    let after = s.get(&uri).await.json();
    assert_eq!(after["description"], "new");
    assert_eq!(after["pin"], "1234");
    assert_eq!(after["participant_limit"], 10);
    assert_eq!(after["creation_time"], before["creation_time"]);

    s.patch(&uri, &json!({"participant_limit": null, "pin": ""}))
        .await;
    let cleared = s.get(&uri).await.json();
    assert_eq!(cleared["participant_limit"], Value::Null);
    assert_eq!(cleared["pin"], "");

    // Naive UTC timestamps with microseconds.
    let t = cleared["creation_time"].as_str().unwrap();
    let shape = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$").unwrap();
    assert!(shape.is_match(t), "{t}");
}

#[tokio::test]
async fn nested_aliases_patch_replaces_the_set() {
    let s = Sim::start().await;
    let uri = s
        .create(
            CONF,
            &json!({"name": "VMR", "aliases": [{"alias": "a"}, {"alias": "b"}]}),
        )
        .await;
    let a = s
        .patch(
            &uri,
            &json!({"aliases": [{"alias": "b"}, {"alias": "c", "description": "new"}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    let aliases: Vec<Value> = s.get(&uri).await.json()["aliases"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<&str> = aliases
        .iter()
        .map(|a| a["alias"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["b", "c"]);
    assert_eq!(aliases[1]["description"], "new");
    assert_eq!(s.get(ALIAS).await.json()["meta"]["total_count"], 2);
    // Integer ids keep counting: replaced aliases are new objects.
    assert_eq!(aliases[0]["id"], 3);
    // Filtering conferences through their aliases.
    let found = s.get(&format!("{CONF}?aliases__alias=c")).await.json();
    assert_eq!(found["meta"]["total_count"], 1);
    let a = s.patch(&uri, &json!({"aliases": []})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(s.get(&uri).await.json()["aliases"], json!([]));
}

#[tokio::test]
async fn put_bulk_patch_and_deleting_lists() {
    let s = Sim::start().await;
    let uri = s.create(CONF, &json!({"name": "One"})).await;
    let a = s
        .put(&uri, &json!({"name": "One", "description": "put"}))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text);
    assert_eq!(s.get(&uri).await.json()["description"], "put");
    let a = s.put(&format!("{CONF}7/"), &json!({"name": "Seven"})).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(s.get(&format!("{CONF}7/")).await.json()["name"], "Seven");

    // Bulk: resource_uri marks the update, the other objects are created.
    let a = s
        .patch(
            CONF,
            &json!({"objects": [
                {"resource_uri": uri, "description": "bulk"},
                {"name": "Two"},
                {"name": "Three", "service_type": "lecture"}
            ]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    assert_eq!(s.get(&uri).await.json()["description"], "bulk");
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 4);

    // A failing object refuses the whole bulk request.
    let a = s
        .patch(
            CONF,
            &json!({"objects": [{"name": "Four"}, {"name": "Two"}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 4);
    let a = s.patch(CONF, &json!({"things": []})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);

    // DELETE on the list honours filters (on reverse relations too), and without them deletes
    // every object.
    s.patch(&uri, &json!({"aliases": [{"alias": "one@example.com"}]}))
        .await;
    let a = s
        .delete(&format!("{CONF}?aliases__alias=one@example.com"))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&uri).await.status, StatusCode::NOT_FOUND);
    s.create(CONF, &json!({"name": "One again"})).await;
    let a = s.delete(&format!("{CONF}?service_type=lecture")).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 3);
    let a = s.delete(CONF).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 0);
}

#[tokio::test]
async fn schema_roots_and_schemas() {
    let s = Sim::start().await;
    let root = s.get("/api/admin/configuration/v1/").await.json();
    assert_eq!(
        root["conference"],
        json!({"list_endpoint": "/api/admin/configuration/v1/conference/",
               "schema": "/api/admin/configuration/v1/conference/schema/"})
    );
    assert!(root.get("end_user").is_none());
    for path in [
        "/api/admin/configuration/v1/conference_alias/schema/?format=json",
        "/api/admin/configuration/v1/conference_alias/schema/",
    ] {
        let schema = s.get(path).await.json();
        assert_eq!(schema["filtering"]["conference"], 2, "{path}");
        assert_eq!(schema["default_limit"], 20);
        assert!(
            schema["fields"]["alias"]["help_text"]
                .as_str()
                .unwrap()
                .contains("Maximum length: 250")
        );
        // It parses with the model the portal uses for real nodes.
        let parsed: pexip::Schema = serde_json::from_value(schema).unwrap();
        assert!(parsed.can_filter("alias", "startswith"));
    }
}

#[tokio::test]
async fn the_v40_profile_serves_newer_schemas() {
    let s = Sim::start_with(simulator::SimOptions {
        profile: Profile::V40,
        ..options()
    })
    .await;
    let root = s.get("/api/admin/configuration/v1/").await.json();
    assert!(root.get("end_user").is_some());
    assert!(root.get("host_system").is_none());
    let schema = s
        .get("/api/admin/configuration/v1/conference/schema/")
        .await
        .json();
    assert!(schema["fields"].get("direct_media").is_some());
    let uri = s
        .create(
            CONF,
            &json!({"name": "Playback", "service_type": "media_playback"}),
        )
        .await;
    assert_eq!(s.get(&uri).await.json()["service_type"], "media_playback");
}

#[tokio::test]
async fn the_state_file_keeps_the_configuration_across_restarts() {
    let dir = std::env::temp_dir().join(format!("pexip-sim-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let opts = simulator::SimOptions {
        state_file: Some(path.clone()),
        ..options()
    };

    let s = Sim::start_with(opts.clone()).await;
    let uri = s
        .create(
            CONF,
            &json!({"name": "Kept", "aliases": [{"alias": "kept@example.com"}]}),
        )
        .await;
    let deleted = s.create(CONF, &json!({"name": "Gone"})).await;
    s.delete(&deleted).await;
    s.sim.shutdown().await;

    // Demo data is not loaded over an existing state file.
    let s = Sim::start_with(simulator::SimOptions {
        data: simulator::DataSet::Demo,
        ..opts
    })
    .await;
    let vmr = s.get(&uri).await.json();
    assert_eq!(vmr["name"], "Kept");
    assert_eq!(vmr["aliases"][0]["alias"], "kept@example.com");
    assert_eq!(s.get(CONF).await.json()["meta"]["total_count"], 1);
    // Ids are not reused after a restart either.
    let next = s.create(CONF, &json!({"name": "Next"})).await;
    assert_eq!(next, "/api/admin/configuration/v1/conference/3/");
    s.sim.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_demo_data_is_served_and_passes_validation() {
    let s = Sim::start_with(simulator::SimOptions {
        data: simulator::DataSet::Demo,
        ..options()
    })
    .await;
    let locations = s
        .get("/api/admin/configuration/v1/system_location/?limit=0")
        .await
        .json();
    let names: Vec<&str> = locations["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"London") && names.contains(&"Oslo"),
        "{names:?}"
    );
    let vmrs = s.get(&format!("{CONF}?limit=0")).await.json();
    let objects = vmrs["objects"].as_array().unwrap();
    assert!(objects.len() >= 24, "dozens of services: {}", objects.len());
    assert!(
        objects
            .iter()
            .all(|o| !o["aliases"].as_array().unwrap().is_empty())
    );
    // Every demo service is a valid object: an empty PATCH is accepted.
    for o in objects {
        let uri = o["resource_uri"].as_str().unwrap();
        let a = s.patch(uri, &json!({})).await;
        assert_eq!(a.status, StatusCode::ACCEPTED, "{uri}: {}", a.text);
    }
}

#[tokio::test]
async fn changes_made_outside_the_configuration_api_are_saved_at_shutdown() {
    let dir = std::env::temp_dir().join(format!("pexip-sim-shutdown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let opts = simulator::SimOptions {
        state_file: Some(path.clone()),
        ..options()
    };
    let s = Sim::start_with(opts.clone()).await;
    // A change straight to the store (as the live system makes them), not through a request.
    {
        let mut store = s.sim.state().config.write().unwrap();
        let object = json!({"id": 5, "name": "Direct", "resource_uri": format!("{CONF}5/")});
        store.put(
            "conference",
            simulator::store::ObjectId::Int(5),
            object.as_object().unwrap().clone(),
        );
    }
    s.sim.shutdown().await;
    let s = Sim::start_with(opts).await;
    assert_eq!(s.get(&format!("{CONF}5/")).await.json()["name"], "Direct");
    s.sim.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn large_bodies_are_read_whole() {
    let s = Sim::start().await;
    // 3 MB, beyond axum's default limit of 2 MB: read and judged, not refused unread (413).
    let a = s
        .post(
            CONF,
            &json!({"name": "Big", "description": "d".repeat(3 * 1024 * 1024)}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(errors(&a.json(), "conference", "description")[0].contains("at most 250 characters"));
}

#[tokio::test]
async fn concurrent_creates_get_distinct_ids() {
    let s = std::sync::Arc::new(Sim::start().await);
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.create(CONF, &json!({"name": format!("Parallel {i}"), "aliases": [{"alias": format!("p{i}")}]}))
                    .await
            })
        })
        .collect();
    let mut uris = Vec::new();
    for t in tasks {
        uris.push(t.await.unwrap());
    }
    uris.sort();
    uris.dedup();
    assert_eq!(uris.len(), 24);
    let all = s.get(&format!("{CONF}?limit=0")).await.json();
    assert_eq!(all["meta"]["total_count"], 24);
    assert_eq!(
        s.get(&format!("{ALIAS}?limit=0")).await.json()["meta"]["total_count"],
        24
    );
}
