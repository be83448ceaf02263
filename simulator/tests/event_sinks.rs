//! Event sinks (v40): a sink configured through the configuration API receives real events
//! over HTTP or HTTPS as calls start, change and end; a small receiver on 127.0.0.1 records
//! every body and hands it to the test through a channel.

mod live_support;
mod server_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::routing::post;
use base64::Engine;
use live_support::{command, put};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server_support::{Sim, options};
use simulator::Profile;
use tokio::sync::{mpsc, watch};

const SINKS: &str = "/api/admin/configuration/v1/event_sink/";
const LOCATION: &str = "/api/admin/configuration/v1/system_location/";
/// How long any expected delivery may take.
const DEADLINE: Duration = Duration::from_secs(10);

/// One POST the receiver got.
struct Delivery {
    authorization: Option<String>,
    body: Value,
}

#[derive(Clone)]
struct Recorder {
    sender: mpsc::UnboundedSender<Delivery>,
    /// How many more requests to answer 503 before accepting.
    refuse: Arc<AtomicUsize>,
}

async fn record(State(r): State<Recorder>, headers: HeaderMap, body: Bytes) -> AxumStatus {
    if r.refuse
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return AxumStatus::SERVICE_UNAVAILABLE;
    }
    let body = serde_json::from_slice(&body).expect("a JSON body");
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let _ = r.sender.send(Delivery {
        authorization,
        body,
    });
    AxumStatus::OK
}

/// A receiver of event sink POSTs at `url`.
struct Receiver {
    url: String,
    deliveries: mpsc::UnboundedReceiver<Delivery>,
    refuse: Arc<AtomicUsize>,
    _stop: watch::Sender<bool>,
}

impl Receiver {
    /// Serves plain HTTP, or HTTPS with a fresh self-signed certificate.
    async fn start(https: bool) -> Receiver {
        let (sender, deliveries) = mpsc::unbounded_channel();
        let refuse = Arc::new(AtomicUsize::new(0));
        let router = Router::new()
            .route("/sink", post(record))
            .with_state(Recorder {
                sender,
                refuse: refuse.clone(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let tls = https.then(|| simulator::tls::generate().unwrap().server_config);
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(simulator::http::serve::serve(
            listener, tls, router, stopped,
        ));
        let scheme = if https { "https" } else { "http" };
        Receiver {
            url: format!("{scheme}://{addr}/sink"),
            deliveries,
            refuse,
            _stop: stop,
        }
    }

    /// The next POST (failing the test after the deadline).
    async fn next(&mut self) -> Delivery {
        tokio::time::timeout(DEADLINE, self.deliveries.recv())
            .await
            .expect("a delivery before the deadline")
            .expect("the receiver runs")
    }

    /// The envelopes of POSTs until one carries event `name`, bulk bodies unwrapped.
    async fn until(&mut self, name: &str) -> Vec<Value> {
        let mut out = Vec::new();
        loop {
            let body = self.next().await.body;
            let items = if body["event"] == "eventsink_bulk" {
                body["data"].as_array().unwrap().clone()
            } else {
                vec![body]
            };
            let done = items.iter().any(|e| e["event"] == name);
            out.extend(items);
            if done {
                return out;
            }
        }
    }

    /// Whether a POST arrives within `wait` (for checking that nothing does).
    async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.deliveries.recv())
            .await
            .is_err()
    }
}

/// A v40 simulator driven by hand: London with nodes 10.0.0.1 and 10.0.0.2, Oslo with
/// 10.0.1.1; VMR_1 (meet@example.com) and VMR_2 (other@example.com).
async fn sim() -> Sim {
    let sim = Sim::start_with(simulator::SimOptions {
        profile: Profile::V40,
        tick_ms: 0,
        ..options()
    })
    .await;
    fill(&sim);
    sim
}

fn fill(sim: &Sim) {
    let mut store = sim.sim.state().config.write().unwrap();
    put(
        &mut store,
        "system_location",
        1,
        json!({"id": 1, "name": "London"}),
    );
    put(
        &mut store,
        "system_location",
        2,
        json!({"id": 2, "name": "Oslo"}),
    );
    for (id, address, location) in [(1, "10.0.0.1", 1), (2, "10.0.0.2", 1), (3, "10.0.1.1", 2)] {
        put(
            &mut store,
            "worker_vm",
            id,
            json!({"id": id, "name": format!("node-{id}"), "hostname": format!("node-{id}"),
                "address": address, "vm_cpu_count": 8,
                "system_location": format!("{LOCATION}{location}/")}),
        );
    }
    for (id, name, alias) in [
        (1, "VMR_1", "meet@example.com"),
        (2, "VMR_2", "other@example.com"),
    ] {
        put(
            &mut store,
            "conference",
            id,
            json!({"id": id, "name": name, "service_type": "conference", "tag": "",
                "allow_guests": true}),
        );
        put(
            &mut store,
            "conference_alias",
            id,
            json!({"id": id, "alias": alias,
                "conference": format!("/api/admin/configuration/v1/conference/{id}/")}),
        );
    }
}

/// Creates the first sink, sending to `receiver` with `fields` added; with `location`, that
/// system location lists it from the start. Returns its path.
async fn create_sink(
    sim: &Sim,
    receiver: &Receiver,
    location: Option<i64>,
    fields: Value,
) -> String {
    if let Some(id) = location {
        let mut store = sim.sim.state().config.write().unwrap();
        let mut l = store
            .get("system_location", &simulator::store::ObjectId::Int(id))
            .unwrap()
            .clone();
        l.insert("event_sinks".into(), json!([format!("{SINKS}1/")]));
        store.put("system_location", simulator::store::ObjectId::Int(id), l);
    }
    let mut body = json!({"name": "portal", "url": receiver.url});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    sim.create(SINKS, &body).await
}

/// Dials `who` into `alias` on the node at `node`; returns the participant id.
async fn dial(sim: &Sim, alias: &str, who: &str, node: &str) -> String {
    let (status, body) = command(
        sim,
        "participant/dial/",
        &[
            ("conference_alias", alias),
            ("destination", who),
            ("remote_display_name", who),
            ("node", node),
            ("role", "guest"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    body["data"]["participant_id"].as_str().unwrap().to_owned()
}

async fn run(sim: &Sim, path: &str, fields: &[(&str, &str)]) {
    let (status, body) = command(sim, path, fields).await;
    assert!(status.is_success(), "{path}: {status} {body}");
}

async fn conference_id(sim: &Sim) -> String {
    let list = sim.get("/api/admin/status/v1/conference/").await.json();
    list["objects"][0]["id"].as_str().unwrap().to_owned()
}

async fn set_faults(sim: &Sim, faults: Value) {
    let a = sim.put("/_sim/faults", &faults).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
}

/// The delivery state of `node` on the only sink.
async fn node_status(sim: &Sim, node: &str) -> Value {
    let sinks = sim.get("/_sim/event_sinks").await.json();
    sinks[0]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == node)
        .cloned()
        .unwrap_or_else(|| panic!("no publisher on {node}: {sinks}"))
}

/// Polls the only sink's state of `node` until `done` holds (or fails at the deadline).
async fn wait_status(sim: &Sim, node: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let status = node_status(sim, node).await;
        if done(&status) {
            return status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met: {status}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn names(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect()
}

fn seqs(events: &[Value]) -> Vec<u64> {
    events.iter().map(|e| e["seq"].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn a_call_is_told_from_start_to_end_with_basic_auth_and_v2_shapes() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    // Attached to London: the Oslo node sends nothing to it.
    create_sink(
        &sim,
        &receiver,
        Some(1),
        json!({"version": 2, "username": "hook", "password": "pa:ss"}),
    )
    .await;

    let first = receiver.next().await;
    let expected = base64::engine::general_purpose::STANDARD.encode("hook:pa:ss");
    assert_eq!(first.authorization, Some(format!("Basic {expected}")));
    assert_eq!(first.body["event"], "eventsink_started");
    assert_eq!(first.body["seq"], 1);
    assert_eq!(first.body["version"], 2);
    assert_eq!(first.body["data"], json!({}));
    let mut started = vec![first.body["node"].as_str().unwrap().to_owned()];
    started.push(
        receiver.until("eventsink_started").await[0]["node"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    started.sort();
    assert_eq!(started, ["10.0.0.1", "10.0.0.2"]);

    let id = dial(&sim, "meet@example.com", "alice@example.com", "10.0.0.1").await;
    let events = receiver.until("participant_connected").await;
    assert_eq!(
        names(&events),
        ["conference_started", "participant_connected"]
    );
    assert_eq!(seqs(&events), [2, 3]);
    let conf = &events[0];
    assert_eq!(conf["node"], "10.0.0.1");
    assert_eq!(conf["data"]["name"], "VMR_1");
    assert_eq!(conf["data"]["is_locked"], false);
    assert!(conf["time"].as_f64().unwrap() > 1.4e9, "Unix seconds");
    let p = &events[1]["data"];
    assert_eq!(p["uuid"], id.as_str());
    assert_eq!(p["conference"], "VMR_1");
    assert_eq!(p["destination_alias"], "alice@example.com");
    assert_eq!(p["call_direction"], "out");
    assert_eq!(p["system_location"], "London");
    assert_eq!(p["media_node"], "10.0.0.1");
    assert!(p["connect_time"].is_f64());

    run(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    let events = receiver.until("participant_updated").await;
    assert_eq!(events[0]["data"]["is_muted"], true);
    assert_eq!(seqs(&events), [4]);

    let conference = conference_id(&sim).await;
    run(&sim, "conference/lock/", &[("conference_id", &conference)]).await;
    let events = receiver.until("conference_updated").await;
    assert_eq!(events[0]["data"]["is_locked"], true);
    assert_eq!(seqs(&events), [5]);

    run(&sim, "participant/disconnect/", &[("participant_id", &id)]).await;
    let events = receiver.until("conference_ended").await;
    assert_eq!(
        names(&events),
        [
            "participant_media_streams_destroyed",
            "participant_disconnected",
            "conference_ended"
        ]
    );
    assert_eq!(seqs(&events), [6, 7, 8]);
    let streams = &events[0]["data"]["media_streams"];
    assert!(!streams.as_array().unwrap().is_empty(), "{streams}");
    assert!(streams[0]["end_time"].is_f64());
    let gone = &events[1]["data"];
    assert_eq!(
        gone["disconnect_reason"],
        "Disconnected by an administrator"
    );
    assert!(gone.get("media_streams").is_none(), "v2 sends them apart");
    assert!(gone["end_time"].is_f64());
    assert!(events[2]["data"]["end_time"].is_f64());

    // A call in Oslo is not told to a sink of London.
    let oslo = dial(&sim, "other@example.com", "bob@example.com", "10.0.1.1").await;
    run(&sim, "participant/mute/", &[("participant_id", &oslo)]).await;
    let sinks = sim.get("/_sim/event_sinks").await.json();
    let nodes: Vec<&str> = sinks[0]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["node"].as_str().unwrap())
        .collect();
    assert_eq!(nodes, ["10.0.0.1", "10.0.0.2"]);
    assert_eq!(sinks[0]["version"], 2);
}

#[tokio::test]
async fn version_1_keeps_media_streams_in_participant_disconnected() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    create_sink(&sim, &receiver, Some(1), json!({})).await;
    let id = dial(&sim, "meet@example.com", "alice@example.com", "10.0.0.1").await;
    let first = receiver.next().await;
    assert!(first.authorization.is_none(), "no credentials configured");
    assert_eq!(first.body["version"], 1);
    let events = receiver.until("participant_connected").await;
    assert!(events.iter().all(|e| e["version"] == 1));
    run(&sim, "participant/disconnect/", &[("participant_id", &id)]).await;
    let events = receiver.until("conference_ended").await;
    let names = names(&events);
    assert!(!names.contains(&"participant_media_streams_destroyed"));
    let gone = events
        .iter()
        .find(|e| e["event"] == "participant_disconnected")
        .unwrap();
    assert!(!gone["data"]["media_streams"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn every_node_hosting_a_conference_starts_and_ends_it_with_its_own_series() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    create_sink(&sim, &receiver, None, json!({"version": 2})).await;
    let mut started = Vec::new();
    while started.len() < 3 {
        let body = receiver.next().await;
        assert!(body.authorization.is_none());
        assert_eq!(body.body["event"], "eventsink_started");
        assert_eq!(body.body["seq"], 1, "every node's series starts at 1");
        started.push(body.body["node"].as_str().unwrap().to_owned());
    }
    started.sort();
    assert_eq!(started, ["10.0.0.1", "10.0.0.2", "10.0.1.1"]);

    dial(&sim, "meet@example.com", "alice@example.com", "10.0.0.1").await;
    dial(&sim, "meet@example.com", "bob@example.com", "10.0.1.1").await;
    let mut events = receiver.until("participant_connected").await;
    events.extend(receiver.until("participant_connected").await);
    for node in ["10.0.0.1", "10.0.1.1"] {
        let mine: Vec<Value> = events
            .iter()
            .filter(|e| e["node"] == node)
            .cloned()
            .collect();
        assert_eq!(
            names(&mine),
            ["conference_started", "participant_connected"],
            "{node}"
        );
        assert_eq!(seqs(&mine), [2, 3], "{node}");
        assert_eq!(mine[0]["data"]["name"], "VMR_1");
    }

    let conference = conference_id(&sim).await;
    run(
        &sim,
        "conference/disconnect/",
        &[("conference_id", &conference)],
    )
    .await;
    let mut ended = Vec::new();
    while ended.len() < 2 {
        for e in receiver.until("conference_ended").await {
            if e["event"] == "conference_ended" {
                assert_eq!(e["seq"], 6, "after two disconnection events: {e}");
                ended.push(e["node"].as_str().unwrap().to_owned());
            }
        }
    }
    ended.sort();
    assert_eq!(ended, ["10.0.0.1", "10.0.1.1"]);
}

#[tokio::test]
async fn bulk_support_sends_the_events_of_an_interval_in_one_post() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    create_sink(
        &sim,
        &receiver,
        Some(2),
        json!({"version": 2, "bulk_support": true}),
    )
    .await;
    let first = receiver.next().await.body;
    assert_eq!(first["event"], "eventsink_bulk");
    assert_eq!(first["seq"], 0);
    assert_eq!(first["node"], "10.0.1.1");
    assert_eq!(first["version"], 2);
    assert_eq!(first["data"][0]["event"], "eventsink_started");
    assert_eq!(first["data"][0]["seq"], 1);

    let id = dial(&sim, "other@example.com", "bob@example.com", "10.0.1.1").await;
    run(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    // The events of one change are in one POST; the next change may make another.
    let mut items = Vec::new();
    let mut sizes = Vec::new();
    while items.len() < 3 {
        let body = receiver.next().await.body;
        assert_eq!(body["event"], "eventsink_bulk");
        assert_eq!(body["seq"], 0);
        assert_eq!(body["node"], "10.0.1.1");
        let batch = body["data"].as_array().unwrap().clone();
        sizes.push(batch.len());
        items.extend(batch);
    }
    assert_eq!(
        names(&items),
        [
            "conference_started",
            "participant_connected",
            "participant_updated"
        ]
    );
    assert_eq!(seqs(&items), [2, 3, 4]);
    assert!(sizes[0] >= 2, "{sizes:?}");
    assert!(items.iter().all(|e| e["node"] == "10.0.1.1"));
}

#[tokio::test]
async fn a_restart_or_a_change_starts_the_series_again() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    let sink = create_sink(&sim, &receiver, Some(2), json!({"version": 2})).await;
    assert_eq!(receiver.until("eventsink_started").await.len(), 1);
    let id = dial(&sim, "other@example.com", "bob@example.com", "10.0.1.1").await;
    assert_eq!(seqs(&receiver.until("participant_connected").await), [2, 3]);

    let a = sim
        .patch(&sink, &json!({"restart_date": "2026-01-01T00:00:00"}))
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    let events = receiver.until("eventsink_started").await;
    assert_eq!(seqs(&events), [1]);
    run(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    assert_eq!(seqs(&receiver.until("participant_updated").await), [2]);

    sim.patch(&sink, &json!({"description": "changed"})).await;
    assert_eq!(seqs(&receiver.until("eventsink_started").await), [1]);
    let sinks = sim.get("/_sim/event_sinks").await.json();
    assert_eq!(sinks[0]["starts"], 3);
    assert_eq!(sinks[0]["nodes"][0]["seq"], 1);

    // A deleted sink stops.
    assert_eq!(sim.delete(&sink).await.status, StatusCode::NO_CONTENT);
    assert_eq!(sim.get("/_sim/event_sinks").await.json(), json!([]));
    run(&sim, "participant/unmute/", &[("participant_id", &id)]).await;
    assert!(receiver.quiet_for(Duration::from_millis(300)).await);
}

#[tokio::test]
async fn a_restarted_simulator_starts_every_series_again() {
    let dir = std::env::temp_dir().join(format!("sim-sinks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state_file = dir.join("state.json");
    let _ = std::fs::remove_file(&state_file);
    let with_state = || simulator::SimOptions {
        profile: Profile::V40,
        tick_ms: 0,
        state_file: Some(state_file.clone()),
        ..options()
    };
    let mut receiver = Receiver::start(false).await;
    let sim = Sim::start_with(with_state()).await;
    // Locations and nodes through the API, so that the state file keeps them.
    let london = sim.create(LOCATION, &json!({"name": "London"})).await;
    let sink = create_sink(&sim, &receiver, None, json!({"version": 2})).await;
    sim.patch(&london, &json!({"event_sinks": [sink]})).await;
    let worker = json!({"name": "n1", "hostname": "n1", "domain": "example.com",
        "address": "10.0.0.9", "netmask": "255.255.255.0", "gateway": "10.0.0.254",
        "system_location": london, "deployment_type": "MANUAL-PROVISION-ONLY"});
    let a = sim
        .post("/api/admin/configuration/v1/worker_vm/", &worker)
        .await;
    assert!(a.status.is_success(), "{}", a.text);
    let first = receiver.next().await.body;
    assert_eq!(
        (first["node"].as_str(), first["seq"].as_u64()),
        (Some("10.0.0.9"), Some(1))
    );
    sim.sim.shutdown().await;

    let again = Sim::start_with(with_state()).await;
    let body = receiver.next().await.body;
    assert_eq!(body["event"], "eventsink_started");
    assert_eq!(body["seq"], 1);
    assert_eq!(body["node"], "10.0.0.9");
    again.sim.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn dropped_events_leave_a_gap_in_the_series() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    create_sink(&sim, &receiver, Some(2), json!({"version": 2})).await;
    receiver.until("eventsink_started").await;

    set_faults(&sim, json!({"event_sinks": {"drop_rate": 1.0}})).await;
    let id = dial(&sim, "other@example.com", "bob@example.com", "10.0.1.1").await;
    let status = node_status(&sim, "10.0.1.1").await;
    assert_eq!(
        (status["seq"].as_u64(), status["dropped"].as_u64()),
        (Some(3), Some(2))
    );
    set_faults(&sim, json!({})).await;
    run(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    let events = receiver.until("participant_updated").await;
    assert_eq!(names(&events), ["participant_updated"]);
    assert_eq!(seqs(&events), [4], "2 and 3 were lost");
}

#[tokio::test]
async fn a_stall_holds_deliveries_back_then_they_come_in_order() {
    let sim = sim().await;
    let mut receiver = Receiver::start(false).await;
    create_sink(&sim, &receiver, Some(2), json!({"version": 2})).await;
    receiver.until("eventsink_started").await;

    set_faults(&sim, json!({"event_sinks": {"stall": true}})).await;
    let id = dial(&sim, "other@example.com", "bob@example.com", "10.0.1.1").await;
    run(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    run(&sim, "participant/unmute/", &[("participant_id", &id)]).await;
    let status = node_status(&sim, "10.0.1.1").await;
    assert_eq!(status["queued"], 4, "{status}");
    assert_eq!(status["delivered_seq"], 1, "{status}");
    assert!(receiver.quiet_for(Duration::from_millis(300)).await);

    set_faults(&sim, json!({})).await;
    let events = receiver.until("participant_updated").await;
    let more = receiver.until("participant_updated").await;
    let all: Vec<Value> = events.into_iter().chain(more).collect();
    assert_eq!(seqs(&all), [2, 3, 4, 5]);
    assert_eq!(all[2]["data"]["is_muted"], true);
    assert_eq!(all[3]["data"]["is_muted"], false);

    // A timed stall ends by itself.
    set_faults(&sim, json!({"event_sinks": {"stall_ms": 400}})).await;
    let from = std::time::Instant::now();
    run(&sim, "participant/mute/", &[("participant_id", &id)]).await;
    assert_eq!(seqs(&receiver.until("participant_updated").await), [6]);
    assert!(
        from.elapsed() >= Duration::from_millis(350),
        "{:?}",
        from.elapsed()
    );
}

#[tokio::test]
async fn failed_deliveries_are_retried_in_order() {
    let sim = sim().await;
    set_faults(
        &sim,
        json!({"event_sinks": {"retry_backoff_ms": 20, "max_retry_backoff_ms": 50}}),
    )
    .await;
    let mut receiver = Receiver::start(false).await;
    receiver.refuse.store(3, Ordering::SeqCst);
    create_sink(&sim, &receiver, Some(2), json!({"version": 2})).await;
    dial(&sim, "other@example.com", "bob@example.com", "10.0.1.1").await;
    let events = receiver.until("participant_connected").await;
    assert_eq!(seqs(&events), [1, 2, 3]);
    let status = wait_status(&sim, "10.0.1.1", |s| s["delivered_seq"] == 3).await;
    assert_eq!(status["failures"], 3, "{status}");
    assert_eq!(status["last_error"], Value::Null);
}

#[tokio::test]
async fn https_sinks_verify_the_certificate_only_when_asked() {
    let sim = sim().await;
    let mut receiver = Receiver::start(true).await;
    let sink = create_sink(&sim, &receiver, Some(2), json!({"version": 2})).await;
    let first = receiver.next().await.body;
    assert_eq!(first["event"], "eventsink_started");

    set_faults(
        &sim,
        json!({"event_sinks": {"retry_backoff_ms": 20, "max_retry_backoff_ms": 50}}),
    )
    .await;
    sim.patch(&sink, &json!({"verify_tls_certificate": true}))
        .await;
    let status = wait_status(&sim, "10.0.1.1", |s| s["failures"].as_u64() >= Some(1)).await;
    let error = status["last_error"].as_str().unwrap();
    assert!(error.contains("certificate"), "{error}");
    assert_eq!(status["delivered_seq"], 0);
}

#[tokio::test]
async fn sink_faults_out_of_range_are_refused() {
    let sim = sim().await;
    for bad in [
        json!({"event_sinks": {"drop_rate": 2}}),
        json!({"event_sinks": {"retry_backoff_ms": 0}}),
        json!({"event_sinks": {"nonsense": 1}}),
    ] {
        let a = sim.put("/_sim/faults", &bad).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.text);
    }
    let now = sim.get("/_sim/faults").await.json();
    assert_eq!(now["event_sinks"]["drop_rate"], 0.0);
    assert_eq!(now["event_sinks"]["retry_backoff_ms"], 1000);
}
