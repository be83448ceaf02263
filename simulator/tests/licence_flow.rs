//! Licences over HTTPS, as the guide adds and returns them, online and offline, and the
//! `licensing` status that follows them.

mod live_support;
mod server_support;

use live_support::guide_sim;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::Sim;

const LICENCE: &str = "/api/admin/configuration/v1/licence/";

async fn licensing(sim: &Sim) -> Value {
    let l = sim.get("/api/admin/status/v1/licensing/").await.json();
    assert_eq!(l["meta"]["total_count"], 1);
    l["objects"][0].clone()
}

fn path_of(location: &str) -> String {
    location[location.find("/api/").unwrap()..].to_owned()
}

#[tokio::test]
async fn adding_and_returning_a_licence_online() {
    let sim = guide_sim().await;
    assert_eq!(licensing(&sim).await["port_total"], 0);
    let a = sim
        .post(LICENCE, &json!({"entitlement_id": "ABCD-1234-5678-9ABC"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.text, "");
    let absolute = a.header("location").unwrap();
    assert!(
        absolute.starts_with(&format!(
            "{}/api/admin/configuration/v1/licence/",
            sim.sim.url()
        )),
        "{absolute}"
    );
    let location = path_of(absolute);
    let fid = pexip::uri_id(&location).to_owned();
    assert_eq!(fid.len(), 10, "{location}");
    assert!(fid.chars().all(|c| c.is_ascii_digit()));

    let licence = sim.get(&location).await.json();
    assert_eq!(licence["fulfillment_id"], fid.as_str());
    assert_eq!(licence["entitlement_id"], "ABCD-1234-5678-9ABC");
    assert_eq!(licence["resource_uri"], location.as_str());
    let concurrent = licence["concurrent"].as_u64().unwrap();
    assert!(concurrent > 0);
    assert_eq!(
        licensing(&sim).await["port_total"],
        concurrent,
        "the licensing status follows"
    );
    assert_eq!(sim.get(LICENCE).await.json()["meta"]["total_count"], 1);

    // The guide's DELETE has no trailing slash.
    let d = sim.delete(&format!("{LICENCE}{fid}")).await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    assert_eq!(licensing(&sim).await["port_total"], 0);
    assert_eq!(
        sim.delete(&format!("{LICENCE}{fid}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn entitlement_keys_are_validated() {
    let sim = guide_sim().await;
    for bad in [
        "XYZ",
        "ABCD-1234-5678",
        "ABCG-1234-5678-9ABC",
        "ABCD12345678-9ABC",
    ] {
        let a = sim.post(LICENCE, &json!({"entitlement_id": bad})).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            a.json()["licence"]["entitlement_id"][0]
                .as_str()
                .unwrap()
                .contains("XXXX-XXXX-XXXX-XXXX")
        );
    }
    let a = sim.post(LICENCE, &json!({})).await;
    assert_eq!(
        a.json(),
        json!({"licence": {"entitlement_id": ["This field is required."]}})
    );
    assert_eq!(
        sim.post(LICENCE, &json!({"entitlement_id": "0000-1111-2222-aaaa"}))
            .await
            .status,
        StatusCode::CREATED
    );
    let again = sim
        .post(LICENCE, &json!({"entitlement_id": "0000-1111-2222-AAAA"}))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again.json()["licence"]["entitlement_id"][0]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
}

#[tokio::test]
async fn offline_activation_and_return_go_through_licence_requests() {
    let sim = guide_sim().await;
    let a = sim
        .post(
            LICENCE,
            &json!({"entitlement_id": "1234-5678-9ABC-DEF0", "offline_mode": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    let request = path_of(a.header("location").unwrap());
    assert!(
        request.starts_with("/api/admin/configuration/v1/licence_request/"),
        "{request}"
    );
    let doc = sim.get(&request).await.json();
    assert_eq!(doc["actions"], "activate");
    assert!(
        doc["request"]
            .as_str()
            .unwrap()
            .contains("1234-5678-9ABC-DEF0")
    );
    assert_eq!(
        sim.get(LICENCE).await.json()["meta"]["total_count"],
        0,
        "nothing active before the response"
    );
    let done = sim
        .post(
            &request,
            &json!({"response": "<LicenseResponse>ok</LicenseResponse>"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::ACCEPTED, "{}", done.text);
    let licences = sim.get(LICENCE).await.json();
    assert_eq!(licences["meta"]["total_count"], 1);
    let fid = licences["objects"][0]["fulfillment_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = sim
        .delete(&format!("{LICENCE}{fid}/?offline_mode=true"))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let ret = path_of(r.header("location").unwrap());
    assert_eq!(sim.get(&ret).await.json()["actions"], "return");
    assert_eq!(
        sim.get(LICENCE).await.json()["meta"]["total_count"],
        1,
        "still active until the response"
    );
    let empty = sim.post(&ret, &json!({"response": ""})).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        sim.post(&ret, &json!({"response": "<LicenseResponse/>"}))
            .await
            .status,
        StatusCode::ACCEPTED
    );
    assert_eq!(sim.get(LICENCE).await.json()["meta"]["total_count"], 0);
    assert_eq!(
        sim.get(&ret).await.status,
        StatusCode::NOT_FOUND,
        "the request is consumed"
    );
}

#[tokio::test]
async fn licences_survive_a_restart_with_a_state_file() {
    let path = std::env::temp_dir().join(format!(
        "pexip-sim-licence-{}-{}.json",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let opts = || simulator::SimOptions {
        tick_ms: 0,
        state_file: Some(path.clone()),
        ..server_support::options()
    };
    let first = Sim::start_with(opts()).await;
    let a = first
        .post(LICENCE, &json!({"entitlement_id": "ABCD-1234-5678-9ABC"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    first.sim.shutdown().await;
    let second = Sim::start_with(opts()).await;
    let licences = second.get(LICENCE).await.json();
    assert_eq!(licences["meta"]["total_count"], 1);
    assert_eq!(
        licences["objects"][0]["entitlement_id"],
        "ABCD-1234-5678-9ABC"
    );
    let _ = std::fs::remove_file(&path);
}
