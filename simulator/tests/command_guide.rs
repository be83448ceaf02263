//! The command API examples of the guide, over HTTPS, acting on the live state.

mod live_support;
mod server_support;

use live_support::{CMD, add_cloud, command, dial_alice, guide_sim};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::{PASSWORD, Sim, USER};

async fn participant(sim: &Sim, id: &str) -> Value {
    let a = sim
        .get(&format!("/api/admin/status/v1/participant/{id}/"))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.json()
}

async fn conference_id(sim: &Sim) -> String {
    let list = sim
        .get("/api/admin/status/v1/conference/?name=VMR_1")
        .await
        .json();
    list["objects"][0]["id"]
        .as_str()
        .expect("a live VMR_1")
        .to_owned()
}

#[tokio::test]
async fn dial_places_an_h323_call_into_vmr_1() {
    let sim = guide_sim().await;
    let id = dial_alice(&sim, "chair").await;
    let p = participant(&sim, &id).await;
    assert_eq!(p["display_name"], "Alice Parkes");
    assert_eq!(p["protocol"], "H323");
    assert_eq!(p["role"], "chair");
    assert_eq!(p["call_direction"], "out");
    assert_eq!(p["conference"], "VMR_1");
    assert_eq!(p["system_location"], "London");
    assert_eq!(p["media_node"], "10.0.0.1");
    assert_eq!(p["source_alias"], "meet@example.com");
    assert_eq!(p["destination_alias"], "alice");
    let conf = sim.get("/api/admin/status/v1/conference/").await.json();
    assert_eq!(conf["meta"]["total_count"], 1);
    assert_eq!(conf["objects"][0]["name"], "VMR_1");
}

#[tokio::test]
async fn dial_errors_are_form_errors() {
    let sim = guide_sim().await;
    let (s, b) = command(
        &sim,
        "participant/dial/",
        &[
            ("conference_alias", "nobody@example.com"),
            ("destination", "x"),
            ("system_location", "London"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"dial": {"conference_alias": ["Failed to find a conference with this alias."]}})
    );
    let (s, b) = command(
        &sim,
        "participant/dial/",
        &[
            ("conference_alias", "meet@example.com"),
            ("destination", "x"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["dial"]["__all__"][0]
            .as_str()
            .unwrap()
            .contains("node and system_location")
    );
    let (s, b) = command(
        &sim,
        "participant/dial/",
        &[
            ("conference_alias", "meet@example.com"),
            ("system_location", "London"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"dial": {"destination": ["This field is required."]}})
    );
    let (s, b) = command(
        &sim,
        "participant/dial/",
        &[
            ("conference_alias", "meet@example.com"),
            ("destination", "x"),
            ("protocol", "pigeon"),
            ("node", "10.0.0.1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["dial"]["protocol"][0]
            .as_str()
            .unwrap()
            .contains("pigeon")
    );
}

#[tokio::test]
async fn unknown_ids_give_the_form_error_of_the_guide_examples() {
    let sim = guide_sim().await;
    for cmd in ["disconnect", "mute", "unmute", "unlock"] {
        let (s, b) = command(
            &sim,
            &format!("participant/{cmd}/"),
            &[("participant_id", "00000000-0000-0000-0000-000000000001")],
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{cmd}");
        assert_eq!(
            b,
            json!({cmd: {"participant_id": ["Failed to find participant."]}})
        );
    }
    for cmd in [
        "disconnect",
        "lock",
        "unlock",
        "mute_guests",
        "unmute_guests",
    ] {
        let (s, b) = command(
            &sim,
            &format!("conference/{cmd}/"),
            &[("conference_id", "00000000-0000-0000-0000-000000000001")],
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{cmd}");
        assert_eq!(
            b,
            json!({cmd: {"conference_id": ["Failed to find conference."]}})
        );
    }
}

#[tokio::test]
async fn mute_unmute_and_disconnect_a_participant() {
    let sim = guide_sim().await;
    let id = dial_alice(&sim, "chair").await;
    let (s, b) = command(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    assert_eq!((s, b), (StatusCode::ACCEPTED, json!({"status": "success"})));
    assert_eq!(participant(&sim, &id).await["is_muted"], true);
    let (s, _) = command(&sim, "participant/unmute/", &[("participant_id", &id)]).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(participant(&sim, &id).await["is_muted"], false);
    let (s, b) = command(&sim, "participant/disconnect/", &[("participant_id", &id)]).await;
    assert_eq!((s, b), (StatusCode::OK, json!({"status": "success"})));
    assert_eq!(
        sim.get(&format!("/api/admin/status/v1/participant/{id}/"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The conference ended with its last participant and went to the history.
    assert_eq!(
        sim.get("/api/admin/status/v1/conference/").await.json()["meta"]["total_count"],
        0
    );
    let h = sim.get("/api/admin/history/v1/participant/").await.json();
    assert_eq!(h["objects"][0]["id"], id.as_str());
    assert_eq!(
        h["objects"][0]["disconnect_reason"],
        "Disconnected by an administrator"
    );
}

#[tokio::test]
async fn mute_guests_and_unmute_guests_act_on_guests_only() {
    let sim = guide_sim().await;
    let chair = dial_alice(&sim, "chair").await;
    let guest = dial_alice(&sim, "guest").await;
    let conf = conference_id(&sim).await;
    let (s, _) = command(&sim, "conference/mute_guests/", &[("conference_id", &conf)]).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(participant(&sim, &guest).await["is_muted"], true);
    assert_eq!(participant(&sim, &chair).await["is_muted"], false);
    let late = dial_alice(&sim, "guest").await;
    assert_eq!(
        participant(&sim, &late).await["is_muted"],
        true,
        "guests joining later are muted too"
    );
    let (s, _) = command(
        &sim,
        "conference/unmute_guests/",
        &[("conference_id", &conf)],
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(participant(&sim, &guest).await["is_muted"], false);
}

#[tokio::test]
async fn a_locked_conference_holds_newcomers_until_unlocked() {
    let sim = guide_sim().await;
    dial_alice(&sim, "chair").await;
    let conf = conference_id(&sim).await;
    let (s, b) = command(&sim, "conference/lock/", &[("conference_id", &conf)]).await;
    assert_eq!((s, b), (StatusCode::ACCEPTED, json!({"status": "success"})));
    assert_eq!(
        sim.get(&format!("/api/admin/status/v1/conference/{conf}/"))
            .await
            .json()["is_locked"],
        true
    );
    let waiting = dial_alice(&sim, "guest").await;
    assert_eq!(participant(&sim, &waiting).await["is_on_hold"], true);
    let (s, _) = command(&sim, "participant/unlock/", &[("participant_id", &waiting)]).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(participant(&sim, &waiting).await["is_on_hold"], false);
    let second = dial_alice(&sim, "guest").await;
    assert_eq!(participant(&sim, &second).await["is_on_hold"], true);
    let (s, _) = command(&sim, "conference/unlock/", &[("conference_id", &conf)]).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(
        participant(&sim, &second).await["is_on_hold"],
        false,
        "unlock lets the waiting in"
    );
    assert_eq!(
        sim.get(&format!("/api/admin/status/v1/conference/{conf}/"))
            .await
            .json()["is_locked"],
        false
    );
}

#[tokio::test]
async fn transfer_moves_a_participant_to_another_conference() {
    let sim = guide_sim().await;
    let id = dial_alice(&sim, "chair").await;
    let (s, b) = command(
        &sim,
        "participant/transfer/",
        &[
            ("participant_id", &id),
            ("conference_alias", "other@example.com"),
            ("role", "guest"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    let moved = b["data"]["participant_id"].as_str().unwrap();
    let p = participant(&sim, moved).await;
    assert_eq!(p["conference"], "VMR_2");
    assert_eq!(p["role"], "guest");
    assert_eq!(p["display_name"], "Alice Parkes");
    let (s, b) = command(
        &sim,
        "participant/transfer/",
        &[
            ("participant_id", &id),
            ("conference_alias", "other@example.com"),
            ("role", "guest"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"transfer": {"participant_id": ["Failed to find participant."]}})
    );
}

#[tokio::test]
async fn conference_disconnect_ends_the_instance() {
    let sim = guide_sim().await;
    dial_alice(&sim, "chair").await;
    dial_alice(&sim, "guest").await;
    let conf = conference_id(&sim).await;
    let (s, b) = command(&sim, "conference/disconnect/", &[("conference_id", &conf)]).await;
    assert_eq!((s, b), (StatusCode::OK, json!({"status": "success"})));
    assert_eq!(
        sim.get("/api/admin/status/v1/participant/").await.json()["meta"]["total_count"],
        0
    );
    let h = sim
        .get(&format!("/api/admin/history/v1/conference/{conf}/"))
        .await
        .json();
    assert_eq!(h["participant_count"], 2);
}

#[tokio::test]
async fn start_cloudnode_gives_the_three_documented_answers() {
    let sim = guide_sim().await;
    add_cloud(&sim);
    sim.sim.state().live.advance(1);
    let nodes = sim.get("/api/admin/status/v1/cloud_node/").await.json();
    let instance = nodes["objects"][0]["aws_instance_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Sent as the guide does: a JSON text without a content type.
    let send = |body: Value| {
        sim.client
            .post(sim.url(&format!("{CMD}platform/start_cloudnode/")))
            .basic_auth(USER, Some(PASSWORD))
            .body(serde_json::to_vec(&body).unwrap())
            .send()
    };
    let r = send(json!({"instance_id": instance})).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"status": "success"})
    );
    let r = send(json!({"instance_id": instance})).await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"status": "failed", "error": "Unable to start a cloud node which isn't in 'STOPPED' state"})
    );
    let r = send(json!({"instance_id": "i-00000000"})).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"start_cloudnode": {"instance_id": ["Failed to find the cloud node."]}})
    );
}

#[tokio::test]
async fn command_schemas_and_roots_are_served() {
    let sim = guide_sim().await;
    let s = sim
        .get("/api/admin/command/v1/participant/dial/schema/?format=json")
        .await;
    assert_eq!(s.status, StatusCode::OK);
    let schema = pexip::Schema::from_json(&s.text).unwrap();
    assert!(schema.field("conference_alias").is_some());
    assert_eq!(
        schema
            .field("protocol")
            .unwrap()
            .valid_choices
            .as_ref()
            .unwrap()
            .len(),
        4
    );
    let root = sim.get("/api/admin/command/v1/platform/").await.json();
    assert_eq!(
        root["backup_create"]["list_endpoint"],
        "/api/admin/command/v1/platform/backup_create/"
    );
    assert_eq!(
        sim.get("/api/admin/command/v1/participant/teleport/")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn certificates_import_takes_a_pem_bundle() {
    let sim = guide_sim().await;
    let cert = rcgen::generate_simple_self_signed(vec!["conf.example.com".to_owned()]).unwrap();
    let bundle = format!("{}{}", cert.cert.pem(), cert.signing_key.serialize_pem());
    let send = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "bundle",
            reqwest::multipart::Part::bytes(bytes).file_name("bundle.pem"),
        );
        sim.client
            .post(sim.url(&format!("{CMD}platform/certificates_import/")))
            .basic_auth(USER, Some(PASSWORD))
            .multipart(form)
            .send()
    };
    let before = sim
        .get("/api/admin/configuration/v1/tls_certificate/")
        .await
        .json()["meta"]["total_count"]
        .as_u64()
        .unwrap();
    let r = send(bundle.into_bytes()).await.unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let after = sim
        .get("/api/admin/configuration/v1/tls_certificate/")
        .await
        .json();
    assert_eq!(after["meta"]["total_count"].as_u64().unwrap(), before + 1);
    let r = send(b"not a certificate".to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.json::<Value>().await.unwrap()["certificates_import"]["bundle"].is_array());
}

#[tokio::test]
async fn sync_and_provisioning_emails_need_existing_objects() {
    let sim = guide_sim().await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        live_support::put(
            &mut store,
            "conference_sync_template",
            4,
            json!({"id": 4, "name": "Staff VMRs"}),
        );
    }
    let (s, b) = command(
        &sim,
        "conference/sync/",
        &[("conference_sync_template_id", "9")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b["sync"]["conference_sync_template_id"].is_array());
    let (s, _) = command(
        &sim,
        "conference/sync/",
        &[("conference_sync_template_id", "4")],
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let status = sim
        .get("/api/admin/status/v1/conference_sync/")
        .await
        .json();
    assert_eq!(status["objects"][0]["name"], "Staff VMRs");
    assert_eq!(status["objects"][0]["sync_status"], "RUNNING");
    // Each status read moves a run on by a few people of the simulated directory.
    let mut reads = 0;
    let status = loop {
        reads += 1;
        let status = sim
            .get("/api/admin/status/v1/conference_sync/4/")
            .await
            .json();
        if status["sync_status"] != "RUNNING" || reads == 10 {
            break status;
        }
    };
    assert_eq!(status["sync_status"], "COMPLETED", "after {reads} reads");

    let (s, _) = command(
        &sim,
        "conference/send_conference_email/",
        &[("conference_id", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (s, b) = command(
        &sim,
        "conference/send_conference_email/",
        &[("conference_id", "77")],
    )
    .await;
    assert_eq!(
        (s, b),
        (
            StatusCode::BAD_REQUEST,
            json!({"send_conference_email": {"conference_id": ["Failed to find conference."]}})
        )
    );
    let (s, b) = command(&sim, "conference/send_device_email/", &[("device_id", "5")]).await;
    assert_eq!(
        (s, b),
        (
            StatusCode::BAD_REQUEST,
            json!({"send_device_email": {"device_id": ["Failed to find device."]}})
        )
    );
}

#[tokio::test]
async fn automatically_dialed_participants_join_when_a_conference_starts() {
    let sim = guide_sim().await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        live_support::put(
            &mut store,
            "automatic_participant",
            1,
            json!({"id": 1, "alias": "recorder@example.com",
            "remote_display_name": "Recorder", "protocol": "sip", "role": "guest",
            "conference": ["/api/admin/configuration/v1/conference/1/"]}),
        );
    }
    let alice = dial_alice(&sim, "chair").await;
    let list = sim
        .get("/api/admin/status/v1/participant/?conference=VMR_1")
        .await
        .json();
    assert_eq!(list["meta"]["total_count"], 2);
    let adp = list["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["display_name"] == "Recorder")
        .expect("the ADP was dialed");
    assert_eq!(
        (
            adp["call_direction"].as_str(),
            adp["destination_alias"].as_str(),
            adp["role"].as_str()
        ),
        (Some("out"), Some("recorder@example.com"), Some("guest"))
    );
    let (s, _) = command(
        &sim,
        "participant/disconnect/",
        &[("participant_id", &alice)],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    sim.sim.state().live.advance(1);
    assert_eq!(
        sim.get("/api/admin/status/v1/conference/").await.json()["meta"]["total_count"],
        0,
        "an ADP alone does not keep the conference"
    );
    let h = sim
        .get("/api/admin/history/v1/participant/?display_name=Recorder")
        .await
        .json();
    assert_eq!(
        h["objects"][0]["disconnect_reason"],
        "Only automatically dialed participants remained"
    );
}

#[tokio::test]
async fn the_participant_limit_of_a_service_holds() {
    let sim = guide_sim().await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        live_support::put(
            &mut store,
            "conference",
            1,
            json!({"id": 1, "name": "VMR_1", "service_type": "conference", "tag": "", "participant_limit": 2}),
        );
    }
    dial_alice(&sim, "chair").await;
    dial_alice(&sim, "guest").await;
    let (s, b) = command(
        &sim,
        "participant/dial/",
        &[
            ("conference_alias", "meet@example.com"),
            ("destination", "carol"),
            ("system_location", "London"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"dial": {"__all__": ["The conference has reached its participant limit."]}})
    );
}

#[tokio::test]
async fn provisioning_emails_go_to_the_owner_and_are_kept_in_the_outbox() {
    let sim = guide_sim().await;
    sim.patch(
        "/api/admin/configuration/v1/conference/1/",
        &json!({"primary_owner_email_address": "alice@example.com"}),
    )
    .await;
    assert_eq!(sim.get("/_sim/emails").await.json(), json!([]));

    let (s, b) = command(
        &sim,
        "conference/send_conference_email/",
        &[("conference_id", "1")],
    )
    .await;
    assert_eq!((s, b), (StatusCode::ACCEPTED, json!({"status": "success"})));

    // A missing or unknown id is the command's form error, and nothing is sent.
    let (s, b) = command(&sim, "conference/send_conference_email/", &[]).await;
    assert_eq!(
        (s, b),
        (
            StatusCode::BAD_REQUEST,
            json!({"send_conference_email": {"conference_id": ["This field is required."]}})
        )
    );
    let (s, _) = command(
        &sim,
        "conference/send_conference_email/",
        &[("conference_id", "77")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let emails = sim.get("/_sim/emails").await.json();
    assert_eq!(emails.as_array().map(Vec::len), Some(1), "{emails}");
    assert_eq!(emails[0]["command"], "send_conference_email");
    assert_eq!(emails[0]["resource"], "conference");
    assert_eq!(emails[0]["object_id"], "1");
    assert_eq!(emails[0]["name"], "VMR_1");
    assert_eq!(emails[0]["to"], "alice@example.com");
    assert_eq!(emails[0]["sent_at"], "2017-01-16T09:00:00");
    assert_eq!(sim.sim.emails().len(), 1);
}
