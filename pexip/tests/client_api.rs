//! The client's typed operations against the simulator over HTTPS: discovery, the schema
//! cache, lists, CRUD, validation errors, commands, backups, and refusals before any request.

mod client_support;

use client_support::{PASSWORD, Upstream};
use pexip::Query;
use pexip::client::{Api, ClientError, ObjectId, PexipConfig, Secret, UploadForm};
use serde_json::{Value, json};

async fn create_conferences(up: &Upstream, names: &[&str]) {
    let client = up.client();
    for name in names {
        client
            .create(Api::Configuration, "conference", &json!({"name": name}))
            .await
            .unwrap();
    }
}

fn names(page: &pexip::ListResponse<Value>) -> Vec<&str> {
    page.objects
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn discovers_resources_from_the_schema_roots() {
    let up = Upstream::start().await;
    let client = up.client();
    let config = client.discover(Api::Configuration).await.unwrap();
    let conference = &config["conference"];
    assert_eq!(
        conference.list_endpoint,
        "/api/admin/configuration/v1/conference/"
    );
    assert_eq!(
        conference.schema,
        "/api/admin/configuration/v1/conference/schema/"
    );
    assert!(config.contains_key("conference_alias"));
    assert!(
        config.len() > 30,
        "{} configuration resources",
        config.len()
    );
    let status = client.discover(Api::Status).await.unwrap();
    assert!(status.contains_key("participant"), "{:?}", status.keys());
    let history = client.discover(Api::History).await.unwrap();
    assert!(history.contains_key("conference"), "{:?}", history.keys());
    assert_eq!(
        up.counts
            .requests()
            .iter()
            .map(|(_, p)| p.as_str())
            .collect::<Vec<_>>(),
        [
            "/api/admin/configuration/v1/",
            "/api/admin/status/v1/",
            "/api/admin/history/v1/"
        ]
    );
}

#[tokio::test]
async fn schemas_are_cached_until_refreshed_or_invalidated() {
    let up = Upstream::start().await;
    let client = up.client();
    let schema = client
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert!(schema.field("name").is_some());
    assert!(schema.can_filter("name", "icontains"));
    let again = client
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&schema, &again));
    assert_eq!(up.counts.total(), 1, "the second get came from the cache");

    client
        .clone()
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert_eq!(up.counts.total(), 1, "clones share the cache");

    client
        .refresh_schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert_eq!(up.counts.total(), 2);
    client.invalidate_schema(Api::Configuration, "conference");
    client
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert_eq!(up.counts.total(), 3);
    client.schema(Api::Status, "participant").await.unwrap();
    client.invalidate_schemas();
    client.schema(Api::Status, "participant").await.unwrap();
    assert_eq!(up.counts.total(), 5);
    assert!(
        up.counts
            .requests()
            .iter()
            .all(|(m, p)| m == "GET" && p.ends_with("/schema/"))
    );

    let expired = up.client_with(PexipConfig {
        schema_ttl_secs: 0,
        ..up.config()
    });
    expired
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    expired
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    assert_eq!(up.counts.total(), 7, "a zero TTL caches nothing");
}

#[tokio::test]
async fn callers_missing_the_cache_together_make_one_request() {
    let up = Upstream::start().await;
    let client = up.client();
    // Polled together: the second and third ask while the first's request is on its way.
    let (a, b, c) = tokio::join!(
        client.schema(Api::Configuration, "conference"),
        client.schema(Api::Configuration, "conference"),
        client.schema(Api::Configuration, "conference"),
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert!(std::sync::Arc::ptr_eq(&a, &b) && std::sync::Arc::ptr_eq(&a, &c));
    assert_eq!(up.counts.total(), 1, "{:?}", up.counts.requests());

    // Another schema is fetched for itself, at the same time.
    let (conference, participant) = tokio::join!(
        client.refresh_schema(Api::Configuration, "conference"),
        client.schema(Api::Status, "participant"),
    );
    conference.unwrap();
    participant.unwrap();
    assert_eq!(up.counts.total(), 3, "{:?}", up.counts.requests());

    // A failed fetch is not shared: each waiting caller tries again on its own.
    let bad = client.schema(Api::Configuration, "no_such_resource").await;
    assert!(bad.is_err());
    assert_eq!(up.counts.total(), 4);
    let (x, y) = tokio::join!(
        client.schema(Api::Configuration, "no_such_resource"),
        client.schema(Api::Configuration, "no_such_resource"),
    );
    assert!(x.is_err() && y.is_err());
    assert_eq!(up.counts.total(), 6, "{:?}", up.counts.requests());
}

#[tokio::test]
async fn lists_with_filters_order_and_paging() {
    let up = Upstream::start().await;
    create_conferences(
        &up,
        &["Room 1", "Room 2", "Room 3", "Room 4", "Lobby & Hall"],
    )
    .await;
    let client = up.client();

    let q = Query::new()
        .filter("name__startswith", "Room")
        .order_by("-name")
        .limit(2)
        .offset(1);
    let schema = client
        .schema(Api::Configuration, "conference")
        .await
        .unwrap();
    q.validate(&schema).unwrap();
    let page = client
        .list(Api::Configuration, "conference", &q)
        .await
        .unwrap();
    assert_eq!(page.meta.total_count, 4);
    assert_eq!((page.meta.limit, page.meta.offset), (2, 1));
    assert_eq!(names(&page), ["Room 3", "Room 2"]);
    assert_eq!(page.next_offset(), Some(3));

    let q = Query::new().filter("name", "Lobby & Hall");
    let page = client
        .list(Api::Configuration, "conference", &q)
        .await
        .unwrap();
    assert_eq!(names(&page), ["Lobby & Hall"], "values are percent-encoded");

    let q = Query::new()
        .filter_in("name", ["Room 1", "Room 4"])
        .order_by("name");
    let page = client
        .list(Api::Configuration, "conference", &q)
        .await
        .unwrap();
    assert_eq!(names(&page), ["Room 1", "Room 4"]);

    let all = client
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap();
    assert_eq!(all.meta.total_count, 5);

    let refused = client
        .list(
            Api::Configuration,
            "conference",
            &Query::new().order_by("call_type"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        ClientError::BadRequest("The 'call_type' field does not allow ordering.".into())
    );
    assert!(
        Query::new()
            .order_by("call_type")
            .validate(&schema)
            .is_err()
    );
}

#[tokio::test]
async fn crud_round_trip() {
    let up = Upstream::start().await;
    let client = up.client();
    let created = client
        .create(
            Api::Configuration,
            "conference",
            &json!({"name": "VMR_1", "description": "first", "participant_limit": 10,
                    "aliases": [{"alias": "meet.vmr1@example.com"}]}),
        )
        .await
        .unwrap();
    assert_eq!(created.api, Api::Configuration);
    assert_eq!(created.resource, "conference");
    assert_eq!(
        created.uri(),
        format!("/api/admin/configuration/v1/conference/{}/", created.id)
    );
    let object = client
        .get(Api::Configuration, "conference", &created.id)
        .await
        .unwrap();
    assert_eq!(object["name"], "VMR_1");
    assert_eq!(object["description"], "first");
    assert_eq!(object["participant_limit"], 10);
    assert_eq!(object["resource_uri"], created.uri());
    assert_eq!(object["aliases"][0]["alias"], "meet.vmr1@example.com");

    client
        .patch(
            Api::Configuration,
            "conference",
            &created.id,
            &json!({"description": "changed", "participant_limit": null}),
        )
        .await
        .unwrap();
    let object = client
        .get(Api::Configuration, "conference", &created.id)
        .await
        .unwrap();
    assert_eq!(object["description"], "changed");
    assert_eq!(
        object["participant_limit"],
        Value::Null,
        "an explicit null clears"
    );
    assert_eq!(object["name"], "VMR_1", "absent keys are kept");
    let patch = up
        .counts
        .requests()
        .into_iter()
        .filter(|(m, _)| m == "PATCH")
        .count();
    assert_eq!(patch, 1);

    let mut whole = object.clone();
    whole["description"] = json!("put");
    whole.as_object_mut().unwrap().remove("aliases");
    client
        .put(Api::Configuration, "conference", &created.id, &whole)
        .await
        .unwrap();
    let object = client
        .get(Api::Configuration, "conference", &created.id)
        .await
        .unwrap();
    assert_eq!(object["description"], "put");

    client
        .bulk_patch(
            Api::Configuration,
            "conference",
            &json!({"objects": [{"resource_uri": created.uri(), "description": "bulk"}]}),
        )
        .await
        .unwrap();
    let object = client
        .get(Api::Configuration, "conference", &created.id)
        .await
        .unwrap();
    assert_eq!(object["description"], "bulk");

    client
        .delete(Api::Configuration, "conference", &created.id)
        .await
        .unwrap();
    assert_eq!(
        client
            .get(Api::Configuration, "conference", &created.id)
            .await
            .unwrap_err(),
        ClientError::NotFound
    );
    assert_eq!(
        client
            .delete(Api::Configuration, "conference", &created.id)
            .await
            .unwrap_err(),
        ClientError::NotFound
    );
}

#[tokio::test]
async fn validation_errors_become_per_field_messages() {
    let up = Upstream::start().await;
    create_conferences(&up, &["Taken"]).await;
    let client = up.client();
    let err = client
        .create(
            Api::Configuration,
            "conference",
            &json!({"name": "Taken", "pin": "12x"}),
        )
        .await
        .unwrap_err();
    let form = err.form_errors().expect("a validation error");
    assert_eq!(form.resource.as_deref(), Some("conference"));
    assert!(
        form.field("name")
            .iter()
            .any(|m| m.contains("already exists")),
        "{form:?}"
    );
    assert!(!form.field("pin").is_empty(), "{form:?}");
    let text = err.to_string();
    assert!(text.starts_with("Some values were refused: "), "{text}");
    assert!(text.contains("name: "), "{text}");

    let err = client
        .create(Api::Configuration, "conference", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        err.form_errors().unwrap().field("name"),
        ["This field is required."]
    );
}

#[tokio::test]
async fn odd_names_ids_and_queries_are_refused_before_any_request() {
    let up = Upstream::start().await;
    let client = up.client();
    for resource in [
        "",
        "Conference",
        "../status/v1/participant",
        "a/b",
        "conference?x=1",
        "conférence",
    ] {
        let err = client
            .list(Api::Configuration, resource, &Query::new())
            .await
            .unwrap_err();
        assert!(
            matches!(err, ClientError::InvalidInput(_)),
            "{resource}: {err}"
        );
        assert!(matches!(
            client.schema(Api::Configuration, resource).await,
            Err(ClientError::InvalidInput(_))
        ));
    }
    for id in ["1/../2", "../", "abc", "-1", "1?x", "1#", "%2e%2e"] {
        assert!(
            matches!(ObjectId::parse(id), Err(ClientError::InvalidInput(_))),
            "{id}"
        );
    }
    for bad in [
        Query::new().filter("name&limit", "1"),
        Query::new().filter("limit", "1"),
        Query::new().order_by("name;x"),
    ] {
        assert!(matches!(
            client.list(Api::Configuration, "conference", &bad).await,
            Err(ClientError::InvalidInput(_))
        ));
    }
    for (category, name) in [("platform", "../x"), ("Platform", "backup_create")] {
        assert!(matches!(
            client.command(category, name, &json!({})).await,
            Err(ClientError::InvalidInput(_))
        ));
    }
    assert!(matches!(
        client
            .create(
                Api::Configuration,
                "conference",
                &json!(["not", "an", "object"])
            )
            .await,
        Err(ClientError::InvalidInput(_))
    ));
    assert_eq!(up.counts.total(), 0, "nothing reached the node");
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized() {
    let up = Upstream::start().await;
    let client = up.client_with(PexipConfig {
        password: Some(Secret::new("wrong")),
        ..up.config()
    });
    let err = client
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap_err();
    assert_eq!(err, ClientError::Unauthorized);
    assert_eq!(
        err.to_string(),
        "The Management Node rejected the portal's credentials."
    );
    assert_eq!(up.counts.total(), 1, "a 401 is not retried");
    assert_eq!(client.ping().await.unwrap_err(), ClientError::Unauthorized);
    up.client().ping().await.unwrap();
}

#[tokio::test]
async fn backup_create_download_and_multipart_restore() {
    let up = Upstream::start().await;
    create_conferences(&up, &["Keep"]).await;
    let client = up.client();
    let answer = client
        .command(
            "platform",
            "backup_create",
            &json!({"passphrase": "correct horse"}),
        )
        .await
        .unwrap();
    assert_eq!(answer, json!({"status": "success"}));
    let backups = client
        .list(Api::Configuration, "system_backup", &Query::new())
        .await
        .unwrap();
    let filename = backups.objects[0]["filename"].as_str().unwrap();
    let id = ObjectId::key(filename).unwrap();
    let file = client
        .download(Api::Configuration, "system_backup", &id)
        .await
        .unwrap();
    assert_eq!(
        file.len() as u64,
        backups.objects[0]["size"].as_u64().unwrap()
    );

    let wrong = client
        .command_multipart(
            "platform",
            "backup_restore",
            UploadForm::new().text("passphrase", "wrong").file(
                "package",
                "backup.tar.gpg",
                file.clone(),
            ),
        )
        .await
        .unwrap_err();
    assert!(
        !wrong.form_errors().unwrap().field("package").is_empty(),
        "{wrong}"
    );
    client
        .delete(Api::Configuration, "conference", &ObjectId::Int(1))
        .await
        .unwrap();
    let restored = client
        .command_multipart(
            "platform",
            "backup_restore",
            UploadForm::new().text("passphrase", "correct horse").file(
                "package",
                "backup.tar.gpg",
                file,
            ),
        )
        .await
        .unwrap();
    assert_eq!(restored["status"], "success", "{restored}");
    let page = client
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap();
    assert_eq!(names(&page), ["Keep"]);
    let form_debug = format!("{:?}", UploadForm::new().text("passphrase", PASSWORD));
    assert!(!form_debug.contains(PASSWORD), "{form_debug}");
}

#[tokio::test]
async fn the_password_appears_in_no_log_line() {
    let up = Upstream::start().await;
    let (logs, _guard) = client_support::Logs::capture();
    let client = up.client();
    client.discover(Api::Configuration).await.unwrap();
    create_conferences(&up, &["Logged"]).await;
    client
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap();
    up.faults(simulator::FaultConfig {
        unavailable_rate: 1.0,
        ..simulator::FaultConfig::default()
    });
    client
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap_err();
    let text = logs.text();
    assert!(
        text.contains("retrying a Pexip GET"),
        "logs were captured: {text}"
    );
    assert!(!text.contains(PASSWORD));
    assert!(!format!("{client:?}").contains(PASSWORD));
    assert!(!format!("{:?}", up.config()).contains(PASSWORD));
}

#[tokio::test]
async fn a_nested_object_reads_as_one_object() {
    let up = Upstream::start_with(simulator::DataSet::Demo).await;
    let client = up.client();
    let nodes = client
        .list(Api::Status, "worker_vm", &Query::new())
        .await
        .unwrap();
    let node = nodes.objects.first().expect("the demo has nodes");
    let id = ObjectId::parse(&node["id"].to_string()).unwrap();
    let statistics = client
        .get_nested(Api::Status, "worker_vm", &id, "statistics")
        .await
        .unwrap();
    assert_eq!(statistics["id"], node["id"]);
    assert!(statistics["media_load"].is_u64(), "{statistics}");
    let missing = ObjectId::parse("999999").unwrap();
    assert_eq!(
        client
            .get_nested(Api::Status, "worker_vm", &missing, "statistics")
            .await
            .unwrap_err(),
        ClientError::NotFound
    );
}
