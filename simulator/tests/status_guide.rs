//! The status API examples of the guide, over HTTPS, and the determinism of the simulation.

mod live_support;
mod server_support;

use live_support::{add_cloud, dial_alice, guide_sim, has_all, keys};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::{Sim, options};

/// The fields of a participant in the guide's "Getting all participants for a conference".
const PARTICIPANT_FIELDS: &[&str] = &[
    "bandwidth",
    "call_direction",
    "call_uuid",
    "conference",
    "connect_time",
    "destination_alias",
    "display_name",
    "encryption",
    "has_media",
    "id",
    "is_muted",
    "is_on_hold",
    "is_presentation_supported",
    "is_presenting",
    "is_streaming",
    "license_count",
    "media_node",
    "parent_id",
    "participant_alias",
    "protocol",
    "remote_address",
    "remote_port",
    "resource_uri",
    "role",
    "service_tag",
    "service_type",
    "signalling_node",
    "source_alias",
    "system_location",
    "vendor",
];

const MEDIA_STREAM_FIELDS: &[&str] = &[
    "end_time",
    "id",
    "node",
    "rx_bitrate",
    "rx_codec",
    "rx_jitter",
    "rx_packet_loss",
    "rx_packets_lost",
    "rx_packets_received",
    "rx_resolution",
    "start_time",
    "tx_bitrate",
    "tx_codec",
    "tx_jitter",
    "tx_packet_loss",
    "tx_packets_lost",
    "tx_packets_sent",
    "tx_resolution",
    "type",
];

fn is_uuid(s: &str) -> bool {
    let parts: Vec<usize> = s.split('-').map(str::len).collect();
    parts == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn active_conferences_as_the_guide_shows_them() {
    let sim = guide_sim().await;
    dial_alice(&sim, "chair").await;
    let all = sim.get("/api/admin/status/v1/conference/").await;
    assert_eq!(all.status, StatusCode::OK);
    let c = &all.json()["objects"][0];
    has_all(
        c,
        &[
            "start_time",
            "resource_uri",
            "id",
            "name",
            "service_type",
            "is_locked",
            "tag",
        ],
    );
    assert!(is_uuid(c["id"].as_str().unwrap()));
    assert_eq!(
        c["resource_uri"],
        format!(
            "/api/admin/status/v1/conference/{}/",
            c["id"].as_str().unwrap()
        )
    );
    assert_eq!(
        (
            c["name"].as_str(),
            c["service_type"].as_str(),
            c["is_locked"].as_bool()
        ),
        (Some("VMR_1"), Some("conference"), Some(false))
    );
    assert_eq!(
        sim.get("/api/admin/status/v1/conference/?service_type=conference")
            .await
            .json()["meta"]["total_count"],
        1
    );
    assert_eq!(
        sim.get("/api/admin/status/v1/conference/?service_type=lecture")
            .await
            .json()["meta"]["total_count"],
        0
    );
    let shards = sim
        .get("/api/admin/status/v1/conference_shard/")
        .await
        .json();
    assert_eq!(shards["objects"][0]["conference"], "VMR_1");
    assert_eq!(shards["objects"][0]["node"], "10.0.0.1");
}

#[tokio::test]
async fn participants_of_vmr_1_and_their_media_statistics() {
    let sim = guide_sim().await;
    let id = dial_alice(&sim, "chair").await;
    let list = sim
        .get("/api/admin/status/v1/participant/?conference=VMR_1")
        .await
        .json();
    assert_eq!(list["meta"]["total_count"], 1);
    let p = &list["objects"][0];
    assert_eq!(keys(p), PARTICIPANT_FIELDS);
    assert_eq!(
        p["resource_uri"],
        format!("/api/admin/status/v1/participant/{id}/")
    );
    assert_eq!(
        sim.get("/api/admin/status/v1/participant/?conference=VMR_2")
            .await
            .json()["meta"]["total_count"],
        0
    );

    let path = format!("/api/admin/status/v1/participant/{id}/media_stream/");
    let first = sim.get(&path).await.json();
    let streams = first["objects"].as_array().unwrap();
    assert!(!streams.is_empty());
    for s in streams {
        assert_eq!(keys(s), MEDIA_STREAM_FIELDS);
        assert_eq!(s["end_time"], "");
        assert_eq!(s["node"], "10.0.0.1");
    }
    assert_eq!(streams[0]["type"], "audio");
    assert_eq!(streams[0]["id"], "0");
    sim.sim.state().live.advance(30);
    let later = sim.get(&path).await.json();
    let before = first["objects"][0]["rx_packets_received"].as_u64().unwrap();
    let after = later["objects"][0]["rx_packets_received"].as_u64().unwrap();
    assert!(
        after >= before + 1000,
        "30 s of audio at 50 pps: {before} -> {after}"
    );
    assert_eq!(
        sim.get(
            "/api/admin/status/v1/participant/00000000-0000-0000-0000-000000000002/media_stream/"
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn node_and_location_load_follow_the_calls() {
    let sim = guide_sim().await;
    let node = sim.get("/api/admin/status/v1/worker_vm/1/").await;
    assert_eq!(node.status, StatusCode::OK);
    let node = node.json();
    has_all(
        &node,
        &[
            "id",
            "name",
            "last_contact",
            "last_updated",
            "deploy_status",
            "media_load",
            "max_hd_calls",
            "system_location",
        ],
    );
    assert_eq!(node["system_location"], "London");
    let idle = sim
        .get("/api/admin/status/v1/system_location/1/statistics/")
        .await
        .json();
    assert_eq!(idle["media_load"], 0);
    for _ in 0..4 {
        dial_alice(&sim, "guest").await;
    }
    let busy = sim
        .get("/api/admin/status/v1/system_location/1/statistics/")
        .await
        .json();
    assert!(busy["media_load"].as_u64().unwrap() > 0, "{busy}");
    assert_eq!(busy["participant_count"], 4);
    let stats = sim
        .get("/api/admin/status/v1/worker_vm/1/statistics/")
        .await
        .json();
    assert_eq!(stats["media_tokens_used"], busy["media_tokens_used"]);
    assert_eq!(
        sim.get("/api/admin/status/v1/worker_vm/99/").await.status,
        StatusCode::NOT_FOUND
    );
    let locations = sim
        .get("/api/admin/status/v1/system_location/")
        .await
        .json();
    assert_eq!(locations["objects"][0]["name"], "London");
}

#[tokio::test]
async fn registered_aliases_alarms_and_licensing() {
    let sim = guide_sim().await;
    sim.sim.state().live.advance(600);
    let regs = sim
        .get("/api/admin/status/v1/registration_alias/")
        .await
        .json();
    assert!(regs["meta"]["total_count"].as_u64().unwrap() > 0);
    has_all(
        &regs["objects"][0],
        &[
            "alias",
            "node",
            "protocol",
            "remote_address",
            "start_time",
            "resource_uri",
        ],
    );
    let licensing = sim.get("/api/admin/status/v1/licensing/").await.json();
    assert_eq!(
        licensing["meta"]["total_count"], 1,
        "one record inside the list envelope"
    );
    has_all(
        &licensing["objects"][0],
        &["port_count", "port_total", "vmr_count", "audio_count"],
    );
    let alarms = sim.get("/api/admin/status/v1/alarm/").await;
    assert_eq!(alarms.status, StatusCode::OK);
    assert!(alarms.json()["objects"].is_array());
}

#[tokio::test]
async fn cloud_bursting_resources_as_the_guide_shows_them() {
    let sim = guide_sim().await;
    add_cloud(&sim);
    sim.sim.state().live.advance(1);
    let nodes = sim.get("/api/admin/status/v1/cloud_node/").await.json();
    assert_eq!(nodes["meta"]["total_count"], 1);
    let n = &nodes["objects"][0];
    assert_eq!(
        keys(n),
        [
            "aws_instance_id",
            "aws_instance_ip",
            "aws_instance_launch_time",
            "aws_instance_name",
            "aws_instance_state",
            "max_hd_calls",
            "media_load",
            "resource_uri",
            "workermv_configuration_id",
            "workermv_configuration_location_name",
            "workermv_configuration_name"
        ]
    );
    assert_eq!(
        (
            n["aws_instance_state"].as_str(),
            n["media_load"].as_u64(),
            n["max_hd_calls"].as_u64()
        ),
        (Some("stopped"), Some(100), Some(0))
    );
    assert_eq!(n["workermv_configuration_location_name"], "AWS");
    let monitored = sim
        .get("/api/admin/status/v1/cloud_monitored_location/")
        .await
        .json();
    assert_eq!(monitored["objects"][0]["name"], "London");
    assert_eq!(
        keys(&monitored["objects"][0]),
        [
            "free_hd_calls",
            "id",
            "max_hd_calls",
            "media_load",
            "name",
            "resource_uri"
        ]
    );
    let overflow = sim
        .get("/api/admin/status/v1/cloud_overflow_location/")
        .await
        .json();
    assert_eq!(overflow["objects"][0]["name"], "AWS");
    assert_eq!(overflow["objects"][0]["systemlocation_id"], 2);
}

#[tokio::test]
async fn every_status_resource_has_a_schema_and_a_list() {
    let sim = guide_sim().await;
    let root = sim.get("/api/admin/status/v1/").await.json();
    let names: Vec<String> = root.as_object().unwrap().keys().cloned().collect();
    for n in [
        "conference",
        "conference_shard",
        "participant",
        "registration_alias",
        "worker_vm",
        "system_location",
        "backplane",
        "alarm",
        "licensing",
        "conference_sync",
        "cloud_node",
        "cloud_monitored_location",
        "cloud_overflow_location",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from the root");
        let schema = sim
            .get(&format!("/api/admin/status/v1/{n}/schema/?format=json"))
            .await;
        assert_eq!(schema.status, StatusCode::OK, "{n}");
        let parsed = pexip::Schema::from_json(&schema.text).unwrap();
        assert_eq!(
            parsed.allowed_list_http_methods,
            vec![pexip::HttpMethod::Get]
        );
        let list = sim.get(&format!("/api/admin/status/v1/{n}/")).await;
        assert_eq!(list.status, StatusCode::OK, "{n}");
        assert!(list.json()["meta"]["total_count"].is_u64());
    }
    let anonymous = sim
        .client
        .get(sim.url("/api/admin/status/v1/participant/"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let bad = sim
        .get("/api/admin/status/v1/participant/?vendor_secret=1")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["error"].is_string());
}

async fn demo(seed: u64) -> Sim {
    Sim::start_with(simulator::SimOptions {
        tick_ms: 0,
        seed,
        data: simulator::DataSet::Demo,
        ..options()
    })
    .await
}

#[tokio::test]
async fn the_same_seed_gives_the_same_live_state() {
    let (a, b, c) = (demo(7).await, demo(7).await, demo(8).await);
    for s in [&a, &b, &c] {
        s.sim.state().live.advance(300);
    }
    let (sa, sb, sc) = (
        a.sim.state().live.snapshot(),
        b.sim.state().live.snapshot(),
        c.sim.state().live.snapshot(),
    );
    assert_eq!(sa.tick, 300);
    assert!(sa == sb, "same seed, same state");
    assert!(sa != sc, "another seed, another state");
    let path = "/api/admin/status/v1/participant/?limit=0";
    let (pa, pb): (Value, Value) = (a.get(path).await.json(), b.get(path).await.json());
    assert!(
        pa["meta"]["total_count"].as_u64().unwrap() > 0,
        "the demo has live calls"
    );
    assert_eq!(pa, pb);
}

/// Dials into VMR_1 from the node at `node`.
async fn dial_from(sim: &Sim, node: &str) -> (StatusCode, Value) {
    live_support::command(
        sim,
        "participant/dial/",
        &[
            ("conference_alias", "meet@example.com"),
            ("destination", "room@example.com"),
            ("protocol", "sip"),
            ("node", node),
            ("role", "guest"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_conference_across_nodes_has_backplanes_live_and_in_the_history() {
    let sim = guide_sim().await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        live_support::put(
            &mut store,
            "system_location",
            3,
            json!({"id": 3, "name": "Oslo"}),
        );
        live_support::put(
            &mut store,
            "worker_vm",
            3,
            json!({"id": 3, "name": "oslo-1", "address": "10.0.3.1",
            "system_location": "/api/admin/configuration/v1/system_location/3/", "vm_cpu_count": 8}),
        );
    }
    assert_eq!(dial_from(&sim, "10.0.0.1").await.0, StatusCode::ACCEPTED);
    assert_eq!(dial_from(&sim, "10.0.3.1").await.0, StatusCode::ACCEPTED);
    sim.sim.state().live.advance(5);
    let planes = sim.get("/api/admin/status/v1/backplane/").await.json();
    assert_eq!(planes["meta"]["total_count"], 1);
    let b = &planes["objects"][0];
    assert_eq!(
        (
            b["media_node"].as_str(),
            b["remote_media_node"].as_str(),
            b["type"].as_str()
        ),
        (Some("10.0.0.1"), Some("10.0.3.1"), Some("geo"))
    );
    let id = b["id"].as_str().unwrap();
    let streams = sim
        .get(&format!(
            "/api/admin/status/v1/backplane/{id}/media_stream/"
        ))
        .await
        .json();
    assert!(streams["meta"]["total_count"].as_u64().unwrap() >= 2);
    let shards = sim
        .get("/api/admin/status/v1/conference_shard/?conference=VMR_1")
        .await
        .json();
    assert_eq!(shards["meta"]["total_count"], 2, "one shard per node");
    let conf = sim.get("/api/admin/status/v1/conference/").await.json()["objects"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    live_support::command(&sim, "conference/disconnect/", &[("conference_id", &conf)]).await;
    let history = sim
        .get(&format!(
            "/api/admin/history/v1/backplane/?conference={conf}"
        ))
        .await
        .json();
    assert_eq!(history["meta"]["total_count"], 1);
    let hid = history["objects"][0]["id"].as_str().unwrap();
    let hs = sim
        .get(&format!(
            "/api/admin/history/v1/backplane/{hid}/media_stream/"
        ))
        .await
        .json();
    assert!(
        hs["objects"][0]["backplane"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{hid}/"))
    );
}

#[tokio::test]
async fn a_full_node_refuses_calls_and_raises_an_alarm() {
    let sim = guide_sim().await;
    {
        let mut store = sim.sim.state().config.write().unwrap();
        live_support::put(
            &mut store,
            "worker_vm",
            1,
            json!({"id": 1, "name": "london-1", "address": "10.0.0.1",
            "system_location": "/api/admin/configuration/v1/system_location/1/", "vm_cpu_count": 1}),
        );
    }
    let mut placed = 0;
    loop {
        let (s, b) = dial_from(&sim, "10.0.0.1").await;
        if s != StatusCode::ACCEPTED {
            assert_eq!(s, StatusCode::BAD_REQUEST);
            assert!(
                b["dial"]["__all__"][0]
                    .as_str()
                    .unwrap()
                    .contains("capacity"),
                "{b}"
            );
            break;
        }
        placed += 1;
        assert!(placed < 20, "a one-CPU node must fill up");
    }
    assert!(placed >= 1);
    sim.sim.state().live.advance(1);
    let stats = sim
        .get("/api/admin/status/v1/worker_vm/1/statistics/")
        .await
        .json();
    assert!(stats["media_load"].as_u64().unwrap() >= 90, "{stats}");
    let alarms = sim
        .get("/api/admin/status/v1/alarm/?name=Call%20capacity%20limit%20reached")
        .await
        .json();
    assert_eq!(alarms["meta"]["total_count"], 1);
    assert_eq!(alarms["objects"][0]["node"], "10.0.0.1");
}
