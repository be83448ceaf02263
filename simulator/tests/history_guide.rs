//! The history API examples of the guide, over HTTPS: ended conference instances with their
//! participants and media streams, filtered by time and packet loss, ordered by start time.

mod live_support;
mod server_support;

use live_support::{command, dial_alice, guide_sim, keys};
use reqwest::StatusCode;
use serde_json::Value;
use server_support::{Sim, options};

const CONFERENCE_FIELDS: &[&str] = &[
    "duration",
    "end_time",
    "id",
    "instant_message_count",
    "name",
    "participant_count",
    "participants",
    "resource_uri",
    "service_type",
    "start_time",
    "tag",
];

const PARTICIPANT_FIELDS: &[&str] = &[
    "bandwidth",
    "call_direction",
    "call_uuid",
    "conference",
    "conference_name",
    "disconnect_reason",
    "display_name",
    "duration",
    "encryption",
    "end_time",
    "has_media",
    "id",
    "license_count",
    "local_alias",
    "media_node",
    "media_streams",
    "parent_id",
    "protocol",
    "remote_address",
    "remote_alias",
    "remote_port",
    "resource_uri",
    "role",
    "service_tag",
    "service_type",
    "signalling_node",
    "start_time",
    "system_location",
    "vendor",
];

const STREAM_FIELDS: &[&str] = &[
    "end_time",
    "id",
    "node",
    "participant",
    "rx_bitrate",
    "rx_codec",
    "rx_packet_loss",
    "rx_packets_lost",
    "rx_packets_received",
    "rx_resolution",
    "start_time",
    "stream_id",
    "stream_type",
    "tx_bitrate",
    "tx_codec",
    "tx_packet_loss",
    "tx_packets_lost",
    "tx_packets_sent",
    "tx_resolution",
];

/// A VMR_1 meeting of two that lasts `seconds`, then ends; returns the conference id.
async fn meeting(sim: &Sim, seconds: u64) -> String {
    dial_alice(sim, "chair").await;
    dial_alice(sim, "guest").await;
    let live = sim
        .get("/api/admin/status/v1/conference/?name=VMR_1")
        .await
        .json();
    let id = live["objects"][0]["id"].as_str().unwrap().to_owned();
    sim.sim.state().live.advance(seconds);
    let (s, _) = command(sim, "conference/disconnect/", &[("conference_id", &id)]).await;
    assert_eq!(s, StatusCode::OK);
    id
}

#[tokio::test]
async fn an_ended_instance_is_recorded_with_participants_and_streams() {
    let sim = guide_sim().await;
    let id = meeting(&sim, 120).await;
    let all = sim.get("/api/admin/history/v1/conference/").await.json();
    assert_eq!(all["meta"]["total_count"], 1);
    let c = &all["objects"][0];
    assert_eq!(keys(c), CONFERENCE_FIELDS);
    assert_eq!(c["id"], id.as_str());
    assert_eq!(c["name"], "VMR_1");
    assert_eq!(c["participant_count"], 2);
    assert_eq!(c["duration"], 120);
    assert_eq!(
        c["resource_uri"],
        format!("/api/admin/history/v1/conference/{id}/")
    );

    // As the guide asks: participants of one instance, by its id.
    let parts = sim
        .get(&format!(
            "/api/admin/history/v1/participant/?conference={id}"
        ))
        .await
        .json();
    assert_eq!(parts["meta"]["total_count"], 2);
    for p in parts["objects"].as_array().unwrap() {
        assert_eq!(keys(p), PARTICIPANT_FIELDS);
        assert_eq!(
            p["conference"],
            format!("/api/admin/history/v1/conference/{id}/")
        );
        assert_eq!(p["conference_name"], "VMR_1");
        assert_eq!(p["duration"], 120);
        let streams = p["media_streams"].as_array().unwrap();
        assert!(!streams.is_empty());
        for s in streams {
            assert_eq!(keys(s), STREAM_FIELDS);
            assert_eq!(s["participant"], p["resource_uri"]);
            assert!(s["id"].is_u64());
        }
        let nested = sim
            .get(&format!(
                "{}media_stream/",
                p["resource_uri"].as_str().unwrap()
            ))
            .await
            .json();
        assert_eq!(nested["objects"].as_array().unwrap().len(), streams.len());
        assert!(
            c["participants"]
                .as_array()
                .unwrap()
                .contains(&p["resource_uri"])
        );
    }
    let other = sim
        .get("/api/admin/history/v1/participant/?conference=00000000-0000-0000-0000-000000000001")
        .await
        .json();
    assert_eq!(other["meta"]["total_count"], 0);
    let detail = sim
        .get(&format!("/api/admin/history/v1/conference/{id}/"))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(
        sim.get("/api/admin/history/v1/conference/00000000-0000-0000-0000-000000000001/")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn time_ranges_and_order_by_start_time() {
    let sim = guide_sim().await;
    let first = meeting(&sim, 60).await;
    sim.sim.state().live.advance(3600);
    let second = meeting(&sim, 60).await;
    let all = sim
        .get("/api/admin/history/v1/conference/?order_by=-start_time&limit=0")
        .await
        .json();
    let starts: Vec<&str> = all["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["start_time"].as_str().unwrap())
        .collect();
    assert!(starts.len() >= 2);
    assert!(
        starts.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {starts:?}"
    );
    let ascending = sim
        .get("/api/admin/history/v1/conference/?order_by=start_time&limit=0")
        .await
        .json();
    assert_eq!(ascending["objects"][0]["id"], first.as_str());
    let second_start = sim
        .get(&format!("/api/admin/history/v1/conference/{second}/"))
        .await
        .json()["start_time"]
        .as_str()
        .unwrap()
        .to_owned();
    // The guide's day filter, here from the second meeting's start to far ahead.
    let path = format!(
        "/api/admin/history/v1/participant/?end_time__gte={}&end_time__lt=2100-01-01T00:00:00&limit=0",
        &second_start[..19]
    );
    let filtered = sim.get(&path).await.json();
    let everyone = sim
        .get("/api/admin/history/v1/participant/?limit=0")
        .await
        .json();
    let expected: Vec<&Value> = everyone["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["end_time"].as_str().unwrap() >= &second_start[..19])
        .collect();
    assert_eq!(
        filtered["objects"].as_array().unwrap().len(),
        expected.len()
    );
    assert!(expected.len() >= 2 && expected.len() < everyone["objects"].as_array().unwrap().len());
    let bad = sim
        .get("/api/admin/history/v1/conference/?order_by=vendor")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn packet_loss_filters_reach_across_media_streams() {
    let sim = Sim::start_with(simulator::SimOptions {
        tick_ms: 0,
        seed: 3,
        data: simulator::DataSet::Demo,
        ..options()
    })
    .await;
    let all = sim
        .get("/api/admin/history/v1/participant/?limit=0")
        .await
        .json();
    let objects = all["objects"].as_array().unwrap();
    let lossy = |p: &Value, key: &str| {
        p["media_streams"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s[key].as_f64().unwrap() >= 0.5)
    };
    for key in ["rx_packet_loss", "tx_packet_loss"] {
        let expected = objects.iter().filter(|p| lossy(p, key)).count();
        assert!(expected > 0, "the demo history has calls with {key}");
        assert!(expected < objects.len());
        let got = sim
            .get(&format!(
                "/api/admin/history/v1/participant/?media_streams__{key}__gte=0.5&limit=0"
            ))
            .await
            .json();
        assert_eq!(
            got["meta"]["total_count"].as_u64().unwrap() as usize,
            expected,
            "{key}"
        );
        assert!(
            got["objects"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| lossy(p, key))
        );
    }
}

#[tokio::test]
async fn the_demo_has_a_few_hundred_history_records() {
    let sim = Sim::start_with(simulator::SimOptions {
        tick_ms: 0,
        data: simulator::DataSet::Demo,
        ..options()
    })
    .await;
    let c = sim
        .get("/api/admin/history/v1/conference/?limit=1")
        .await
        .json();
    let n = c["meta"]["total_count"].as_u64().unwrap();
    assert!((150..2000).contains(&n), "{n} history records");
    let services: Vec<&str> = ["conference", "lecture"].to_vec();
    for s in services {
        let typed = sim
            .get(&format!(
                "/api/admin/history/v1/conference/?service_type={s}&limit=1"
            ))
            .await
            .json();
        assert!(typed["meta"]["total_count"].as_u64().unwrap() > 0, "{s}");
    }
    let protocols = sim
        .get("/api/admin/history/v1/participant/?limit=0")
        .await
        .json();
    for p in ["SIP", "H323", "WebRTC", "MSSIP"] {
        assert!(
            protocols["objects"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["protocol"] == p),
            "{p}"
        );
    }
    let live = sim.get("/api/admin/status/v1/conference/").await.json();
    assert!(
        live["meta"]["total_count"].as_u64().unwrap() > 0,
        "the demo has calls in progress"
    );
    for schema in ["conference", "participant", "backplane"] {
        let s = sim
            .get(&format!("/api/admin/history/v1/{schema}/schema/"))
            .await;
        assert_eq!(s.status, StatusCode::OK);
        pexip::Schema::from_json(&s.text).unwrap();
    }
}
