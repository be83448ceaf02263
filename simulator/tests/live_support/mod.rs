//! The guide's deployment for the live-system tests: VMR_1 (meet@example.com) and VMR_2
//! (other@example.com), London with one Conferencing Node at 10.0.0.1, time driven by hand.

#![allow(dead_code)] // Each test file uses a different part of this support module.

use reqwest::StatusCode;
use serde_json::{Value, json};
use simulator::store::{ConfigStore, ObjectId};

use crate::server_support::{PASSWORD, Sim, USER, options};

pub const CMD: &str = "/api/admin/command/v1/";

/// Stores `v` as object `id` of `resource`.
pub fn put(store: &mut ConfigStore, resource: &str, id: i64, v: Value) {
    store.put(
        resource,
        ObjectId::Int(id),
        v.as_object().expect("an object").clone(),
    );
}

pub async fn guide_sim() -> Sim {
    let sim = Sim::start_with(simulator::SimOptions {
        tick_ms: 0,
        ..options()
    })
    .await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        put(
            &mut store,
            "system_location",
            1,
            json!({"id": 1, "name": "London"}),
        );
        put(
            &mut store,
            "worker_vm",
            1,
            json!({"id": 1, "name": "london-1", "hostname": "london-1", "address": "10.0.0.1",
            "system_location": "/api/admin/configuration/v1/system_location/1/", "vm_cpu_count": 8}),
        );
        put(
            &mut store,
            "conference",
            1,
            json!({"id": 1, "name": "VMR_1", "service_type": "conference", "tag": "", "pin": "1234", "allow_guests": true, "guest_pin": ""}),
        );
        put(
            &mut store,
            "conference_alias",
            1,
            json!({"id": 1, "alias": "meet@example.com", "conference": "/api/admin/configuration/v1/conference/1/"}),
        );
        put(
            &mut store,
            "conference",
            2,
            json!({"id": 2, "name": "VMR_2", "service_type": "conference", "tag": ""}),
        );
        put(
            &mut store,
            "conference_alias",
            2,
            json!({"id": 2, "alias": "other@example.com", "conference": "/api/admin/configuration/v1/conference/2/"}),
        );
    }
    sim
}

/// Adds the guide's dynamic bursting setup: an AWS location with one overflow node.
pub fn add_cloud(sim: &Sim) {
    let mut store = sim.sim.state().config.write().unwrap();
    put(
        &mut store,
        "system_location",
        2,
        json!({"id": 2, "name": "AWS"}),
    );
    put(
        &mut store,
        "worker_vm",
        6,
        json!({"id": 6, "name": "aws_overflow1", "address": "172.30.3.6",
        "system_location": "/api/admin/configuration/v1/system_location/2/", "vm_cpu_count": 8}),
    );
}

/// POSTs `fields` form-encoded, as the guide's `data={...}` does.
pub async fn command(sim: &Sim, path: &str, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let r = sim
        .client
        .post(sim.url(&format!("{CMD}{path}")))
        .basic_auth(USER, Some(PASSWORD))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

/// The guide's dial of Alice into VMR_1; returns the participant id.
pub async fn dial_alice(sim: &Sim, role: &str) -> String {
    let (status, body) = command(
        sim,
        "participant/dial/",
        &[
            ("conference_alias", "meet@example.com"),
            ("destination", "alice"),
            ("remote_display_name", "Alice Parkes"),
            ("protocol", "h323"),
            ("system_location", "London"),
            ("role", role),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "success");
    let id = body["data"]["participant_id"].as_str().unwrap().to_owned();
    assert_eq!(body["data"]["participant_ids"], json!([id.clone()]));
    id
}

/// The keys of a JSON object, sorted.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

/// Whether `k` contains every name of `wanted`.
pub fn has_all(v: &Value, wanted: &[&str]) {
    let k = keys(v);
    for w in wanted {
        assert!(k.iter().any(|x| x == w), "missing {w} in {k:?}");
    }
}
