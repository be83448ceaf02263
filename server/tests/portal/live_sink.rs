//! The live feed from the node's event sinks, end to end: the real server against a v40
//! simulator (HTTPS, demo data, the simulation clock stopped), the portal registered as an
//! event sink by an admin through `status/register-event-sink`, a dialled call carried to an
//! admin's stream with the feed health saying "event sink", dropped deliveries (the simulator's
//! `event_sinks.drop_rate`) repaired by a status re-read and counted as gaps; the receiver's
//! 401 and 400 (without an ERROR line); and a readable 4xx from a v14 node without sinks.

use bff::live::config::DEFAULT_SINK_PATH;
use bff::live::model::FeedSource;
use reqwest::StatusCode;
use simulator::sinks::faults::SinkFaults;
use simulator::{DataSet, FaultConfig, Profile, SimOptions};

use crate::live_stream::{Viewer, dial, has_participant, node_client};
use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, free_port, temp_dir};

const PEXIP_PASSWORD: &str = "live-sink-pexip-password";
const SINK_PASSWORD: &str = "live-sink-receiver-password";
const REGISTER: &str = "/api/status/register-event-sink";
/// The name the portal registers its sink under (`bff::live` keeps it private).
const SINK_NAME: &str = "Pexip Portal";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_event_sink_feeds_the_stream_and_gaps_are_repaired() {
    let dir = temp_dir();
    let sim = simulator::start(SimOptions {
        admin_user: "admin".into(),
        admin_password: PEXIP_PASSWORD.into(),
        data: DataSet::Demo,
        profile: Profile::V40,
        tick_ms: 0,
        ..SimOptions::default()
    })
    .await
    .expect("the simulator starts");
    let ca_file = dir.path().join("pexip-ca.pem");
    std::fs::write(&ca_file, sim.cert_pem().expect("HTTPS")).expect("write the CA file");
    let addr = format!("127.0.0.1:{}", free_port());
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .addr(addr.clone())
            .env("PORTAL_PEXIP__URL", sim.url())
            .env("PORTAL_PEXIP__USERNAME", "admin")
            .env("PORTAL_PEXIP__PASSWORD", PEXIP_PASSWORD)
            .env("PORTAL_PEXIP__CA_FILE", ca_file.display().to_string())
            .env("PORTAL_LIVE__SOURCE", "event_sink")
            .env("PORTAL_LIVE__EVENT_SINK__PASSWORD", SINK_PASSWORD)
            .env(
                "PORTAL_LIVE__EVENT_SINK__PUBLIC_URL",
                format!("http://{addr}{DEFAULT_SINK_PATH}"),
            ),
    )
    .await;
    let node = node_client(&sim, PEXIP_PASSWORD);

    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let registered = admin.post_form(REGISTER, &[]).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let uri = registered.json();
    assert!(
        uri.as_str().is_some_and(|u| u.contains("/event_sink/")),
        "the sink's resource URI: {uri}"
    );
    assert!(
        sim.event_sinks().iter().any(|s| s.name == SINK_NAME),
        "the simulator has the portal's sink"
    );
    // Registering again brings the same sink up to date rather than adding one.
    let again = admin.post_form(REGISTER, &[]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json(), uri);
    assert_eq!(
        sim.event_sinks()
            .iter()
            .filter(|s| s.name == SINK_NAME)
            .count(),
        1
    );

    let mut viewer = Viewer::open(&server, admin.cookie.as_deref(), None)
        .await
        .expect("the stream opens");
    let first_caller = format!("sink-caller-{}", std::process::id());
    let first_id = dial(&node, "helpdesk@example.com", &first_caller).await;
    viewer
        .until("the dialled call on the stream, from the event sink", |s| {
            has_participant(s, &first_caller) && s.feed.source == FeedSource::EventSink
        })
        .await;
    assert_eq!(viewer.state.feed.gaps, 0, "no gap before the fault");

    // Every event is dropped (each still takes its seq): a second call goes unheard.
    let mut faults = FaultConfig {
        event_sinks: SinkFaults {
            drop_rate: 1.0,
            ..SinkFaults::default()
        },
        ..FaultConfig::default()
    };
    sim.faults()
        .set(faults.clone())
        .expect("the fault is valid");
    let unheard = format!("sink-unheard-{}", std::process::id());
    dial(&node, "helpdesk@example.com", &unheard).await;
    let dropped = sim
        .event_sinks()
        .iter()
        .filter(|s| s.name == SINK_NAME)
        .flat_map(|s| s.nodes.iter().map(|n| n.dropped))
        .sum::<u64>();
    assert!(
        dropped > 0,
        "the simulator dropped the second call's events"
    );
    // Deliveries resume; the first caller hangs up. The next event's seq shows the gap, and
    // the portal repairs its state with one status read: the unheard call appears, the first
    // one is gone.
    faults.event_sinks.drop_rate = 0.0;
    sim.faults().set(faults).expect("the fault is valid");
    node.command(
        "participant",
        "disconnect",
        &serde_json::json!({ "participant_id": first_id }),
    )
    .await
    .expect("the simulator disconnects");
    viewer
        .until("the repaired state and a counted gap", |s| {
            has_participant(s, &unheard) && !has_participant(s, &first_caller) && s.feed.gaps > 0
        })
        .await;
    assert_eq!(viewer.state.feed.source, FeedSource::EventSink);

    // The receiver: wrong credentials 401, a body that is no event 400, neither an ERROR.
    let http = reqwest::Client::new();
    let wrong = http
        .post(server.url(DEFAULT_SINK_PATH))
        .basic_auth("pexip-portal", Some("not-the-password"))
        .header("content-type", "application/json")
        .body(r#"{"event":"participant_connected","seq":1}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let malformed = http
        .post(server.url(DEFAULT_SINK_PATH))
        .basic_auth("pexip-portal", Some(SINK_PASSWORD))
        .header("content-type", "application/json")
        .body("{\"event\": [not json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    drop(viewer);
    let log = server.log.text();
    assert!(
        !log.lines().any(|line| line.contains("ERROR")),
        "no ERROR line:\n{log}"
    );
    assert!(
        !log.contains(SINK_PASSWORD),
        "the receiver's password is never logged"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_on_a_node_without_event_sinks_is_a_readable_4xx() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
            .env("PORTAL_LIVE__SOURCE", "poller")
            .env("PORTAL_LIVE__EVENT_SINK__PASSWORD", SINK_PASSWORD)
            .env(
                "PORTAL_LIVE__EVENT_SINK__PUBLIC_URL",
                "https://portal.example.com/api/live/event-sink",
            ),
    )
    .await;
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let answer = admin.post_form(REGISTER, &[]).await;
    assert!(
        answer.status.is_client_error(),
        "{} {}",
        answer.status,
        answer.body
    );
    assert!(
        answer.body.contains("no event sinks"),
        "a readable reason: {}",
        answer.body
    );
    // Nobody signed in: no registration.
    let mut stranger = Browser::new(&server);
    let refused = stranger.post_form(REGISTER, &[]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    server.stop().await;
}
