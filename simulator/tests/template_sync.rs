//! LDAP template sync: `command/v1/conference/sync/` starts a run that every read of
//! `status/v1/conference_sync/` moves on, creating and updating VMRs from the simulated
//! directory, and deleting the template's VMRs whose person left.

mod server_support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::Sim;

const CONFIG: &str = "/api/admin/configuration/v1/";
const SYNC: &str = "/api/admin/command/v1/conference/sync/";

async fn template(sim: &Sim, name_template: &str) -> String {
    let source = sim
        .create(
            &format!("{CONFIG}ldap_sync_source/"),
            &json!({"name": "Corp", "ldap_server": "ldap.example.com", "ldap_base_dn": "dc=example,dc=com"}),
        )
        .await;
    sim.create(
        &format!("{CONFIG}ldap_sync_field/"),
        &json!({"name": "department", "template_variable_name": "team"}),
    )
    .await;
    sim.create(
        &format!("{CONFIG}conference_sync_template/"),
        &json!({
            "name": "People", "ldap_sync_source": source,
            "conference_name": name_template,
            "conference_description": "{{ team }} room of {{cn}}",
            "primary_owner_email_address": "{{mail}}",
            "tag": "acme", "allow_guests": true, "pin": "1234"
        }),
    )
    .await
}

fn id_of(uri: &str) -> String {
    pexip::uri_id(uri).to_string()
}

async fn status(sim: &Sim, id: &str) -> Value {
    let a = sim
        .get(&format!("/api/admin/status/v1/conference_sync/{id}/"))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.json()
}

async fn synced(sim: &Sim) -> Vec<Value> {
    sim.get(&format!(
        "{CONFIG}conference/?sync_tag__startswith=sync:&limit=0"
    ))
    .await
    .json()["objects"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_sync_progresses_over_status_reads_and_writes_vmrs() {
    let sim = Sim::start().await;
    let uri = template(&sim, "{{givenName}} {{ sn }}").await;
    let id = id_of(&uri);
    assert_eq!(status(&sim, &id).await["sync_status"], "IDLE");

    let a = sim
        .post(SYNC, &json!({"conference_sync_template_id": id}))
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);

    let mut created = Vec::new();
    let mut states = Vec::new();
    for _ in 0..6 {
        let s = status(&sim, &id).await;
        assert_eq!(s["error_message"], "", "{s}");
        states.push(s["sync_status"].as_str().unwrap().to_string());
        created.push(s["conferences_created"].as_u64().unwrap());
        if s["sync_status"] == "COMPLETED" {
            break;
        }
    }
    assert_eq!(states, ["RUNNING", "RUNNING", "RUNNING", "COMPLETED"]);
    assert_eq!(created, [4, 8, 10, 10]);

    let vmrs = synced(&sim).await;
    assert_eq!(vmrs.len(), 10);
    let alice = vmrs.iter().find(|v| v["name"] == "Alice Andersen").unwrap();
    assert_eq!(alice["description"], "Sales room of Alice Andersen");
    assert_eq!(alice["primary_owner_email_address"], "alice@example.com");
    assert_eq!(alice["tag"], "acme");
    assert_eq!(alice["allow_guests"], true);

    // A second run with a changed template updates every VMR; a third changes nothing.
    let a = sim
        .patch(&uri, &json!({"conference_name": "VMR of {{ uid }}"}))
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    sim.post(SYNC, &json!({"conference_sync_template_id": id}))
        .await;
    let mut last = Value::Null;
    for _ in 0..4 {
        last = status(&sim, &id).await;
    }
    assert_eq!(last["sync_status"], "COMPLETED");
    assert_eq!(last["conferences_updated"], 10);
    assert_eq!(last["conferences_created"], 0);
    assert!(
        synced(&sim)
            .await
            .iter()
            .any(|v| v["name"] == "VMR of alice")
    );

    // A VMR of this template whose person is not in the directory is deleted.
    sim.create(
        &format!("{CONFIG}conference/"),
        &json!({"name": "Gone", "sync_tag": format!("sync:{id}:5e1c0000-0000-4000-8000-000000000000")}),
    )
    .await;
    sim.post(SYNC, &json!({"conference_sync_template_id": id}))
        .await;
    for _ in 0..4 {
        last = status(&sim, &id).await;
    }
    assert_eq!(last["conferences_unchanged"], 10);
    assert_eq!(last["conferences_deleted"], 1);
    assert_eq!(synced(&sim).await.len(), 10);
}

#[tokio::test]
async fn an_unknown_variable_fails_the_run_and_a_missing_template_is_a_form_error() {
    let sim = Sim::start().await;
    let id = id_of(&template(&sim, "{{ nickname }}").await);
    sim.post(SYNC, &json!({"conference_sync_template_id": id}))
        .await;
    let s = status(&sim, &id).await;
    assert_eq!(s["sync_status"], "FAILED");
    assert_eq!(
        s["error_message"],
        "conference_name: 'nickname' is undefined"
    );
    assert!(synced(&sim).await.is_empty());

    let a = sim
        .post(SYNC, &json!({"conference_sync_template_id": "999"}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.json(),
        json!({"sync": {"conference_sync_template_id": ["Failed to find the conference sync template."]}})
    );
}
