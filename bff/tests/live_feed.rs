//! The live feed against the simulator over HTTPS: one shared poller whatever the number of
//! viewers, every page read past the node's largest (500), and a readable problem while the node
//! rate-limits, cleared when it answers again.

mod support;

use bff::accounts::{Principal, Role};
use bff::live::LiveHub;
use bff::live::model::{LiveMessage, LiveState};
use bff::metrics::Metrics;
use bff::portal::{Actor, Portal, PortalParts};
use pexip::client::Api;
use serde_json::json;
use simulator::faults::{FaultConfig, RateLimit};
use std::time::Duration;
use support::portal_over_simulator;

fn admin() -> Actor {
    Actor {
        principal: Principal {
            account_id: 1,
            username: "admin".into(),
            role: Role::Admin,
            tenant: None,
            email: None,
        },
        client_addr: None,
    }
}

/// Waits (at most `within`) until the hub's state satisfies `done`, following its messages.
async fn wait_for(hub: &LiveHub, within: Duration, done: impl Fn(&LiveState) -> bool) {
    let mut subscription = hub.subscribe(None);
    tokio::time::timeout(within, async {
        loop {
            if hub.with_state(&done) {
                return;
            }
            subscription.next().await.expect("the hub stays open");
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "the feed did not get there in {within:?}: {:?}",
            hub.state().feed
        )
    });
}

/// Starts the feed's poller (1 s cadence) in the background.
fn start_poller(portal: &mut Portal) -> tokio::task::JoinHandle<()> {
    let mut config = portal.live.config.clone();
    config.poll_interval_secs = 1;
    config.platform_interval_secs = 3600;
    let live = bff::live::Live::new(config);
    *portal = Portal::from(PortalParts {
        live: live.clone(),
        ..PortalParts::clone(portal)
    });
    let client = portal.pexip.clone();
    tokio::spawn(async move { live.run_source(client, Metrics::default()).await })
}

/// Upstream requests during `cycles` poll intervals.
async fn requests_during(portal: &Portal, cycles: u32) -> u64 {
    let before = portal.pexip.stats().requests_sent;
    // A measurement window, not a synchronisation: the poller runs on its own cadence.
    tokio::time::sleep(Duration::from_secs(u64::from(cycles))).await;
    portal.pexip.stats().requests_sent - before
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_viewers_cost_the_node_what_one_costs() {
    let mut sim = portal_over_simulator().await;
    let poller = start_poller(&mut sim.portal);
    let portal = &sim.portal;
    wait_for(&portal.live.hub, Duration::from_secs(20), |s| {
        s.feed.updated_at > 0
    })
    .await;

    let mut one = portal
        .live_subscribe(&admin(), None)
        .expect("admin watches");
    assert!(matches!(
        one.next().await,
        Some(LiveMessage::Snapshot { .. })
    ));
    let alone = requests_during(portal, 4).await;

    let mut many: Vec<_> = (0..100)
        .map(|_| {
            portal
                .live_subscribe(&admin(), None)
                .expect("admin watches")
        })
        .collect();
    for viewer in &mut many {
        assert!(matches!(
            viewer.next().await,
            Some(LiveMessage::Snapshot { .. })
        ));
    }
    let crowded = requests_during(portal, 4).await;
    // Each cycle reads three lists; allow one cycle of jitter between the two windows.
    assert!(
        alone >= 6,
        "the poller reads every second ({alone} requests in 4 s)"
    );
    assert!(
        crowded.abs_diff(alone) <= 3,
        "1 viewer: {alone} requests, 100 viewers: {crowded}"
    );
    poller.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_slow_the_poller_and_show_a_problem_until_the_node_recovers() {
    let mut sim = portal_over_simulator().await;
    let poller = start_poller(&mut sim.portal);
    let portal = &sim.portal;
    wait_for(&portal.live.hub, Duration::from_secs(20), |s| {
        s.feed.updated_at > 0
    })
    .await;
    assert_eq!(portal.live.hub.state().feed.problem, None);

    sim.sim
        .faults()
        .set(FaultConfig {
            rate_limit: Some(RateLimit {
                max_requests: 0,
                window_ms: 1000,
            }),
            ..FaultConfig::default()
        })
        .expect("faults set");
    wait_for(&portal.live.hub, Duration::from_secs(30), |s| {
        s.feed.problem.is_some()
    })
    .await;
    let problem = portal.live.hub.state().feed.problem.unwrap();
    assert!(
        problem.contains("rate limited") && problem.contains("Retrying in"),
        "{problem}"
    );
    // Backing off: far fewer requests than one cycle (three lists, each retried) a second.
    let throttled = requests_during(portal, 4).await;
    assert!(
        throttled <= 8,
        "{throttled} requests in 4 s while rate limited"
    );

    sim.sim
        .faults()
        .set(FaultConfig::default())
        .expect("faults cleared");
    wait_for(&portal.live.hub, Duration::from_secs(90), |s| {
        s.feed.problem.is_none()
    })
    .await;
    poller.abort();
}

/// The poller reads every page: more participants than the node's largest page (500) all reach
/// the state. The simulator starts empty; one location with three large nodes carries the calls
/// (no licence limits calls when none is installed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_poller_reads_every_page_beyond_500_participants() {
    const CALLERS: usize = 520;
    const ROOM: &str = "Town hall overflow";
    let mut sim = portal_over_simulator().await;
    let node = sim.portal.pexip.clone();
    let location = node
        .create(
            Api::Configuration,
            "system_location",
            &json!({ "name": "Oslo" }),
        )
        .await
        .expect("a location");
    for n in 0..3 {
        node.create(
            Api::Configuration,
            "worker_vm",
            &json!({
                "name": format!("px-osl-{n:02}"),
                "hostname": format!("px-osl-{n:02}"),
                "domain": "example.com",
                "address": format!("10.9.0.{}", 10 + n),
                "netmask": "255.255.255.0",
                "gateway": "10.9.0.1",
                "system_location": location.uri(),
                "vm_cpu_count": 128,
                "vm_system_memory": 64000,
            }),
        )
        .await
        .expect("a node");
    }
    let room = node
        .create(
            Api::Configuration,
            "conference",
            &json!({ "name": ROOM, "service_type": "conference" }),
        )
        .await
        .expect("a room");
    node.create(
        Api::Configuration,
        "conference_alias",
        &json!({ "alias": "townhall@example.com", "conference": room.uri() }),
    )
    .await
    .expect("an alias");
    for i in 0..CALLERS {
        node.command(
            "participant",
            "dial",
            &json!({
                "conference_alias": "townhall@example.com",
                "destination": format!("sip:caller-{i}@example.com"),
                "remote_display_name": format!("caller-{i}"),
                "role": "guest",
                "call_type": "audio",
                "system_location": "Oslo",
            }),
        )
        .await
        .unwrap_or_else(|error| panic!("caller {i} is dialled: {error}"));
    }

    let poller = start_poller(&mut sim.portal);
    let portal = &sim.portal;
    let _viewer = portal
        .live_subscribe(&admin(), None)
        .expect("admin watches");
    wait_for(&portal.live.hub, Duration::from_secs(60), |s| {
        s.conferences
            .get(ROOM)
            .is_some_and(|c| c.participants.len() == CALLERS)
    })
    .await;
    let names: std::collections::BTreeSet<String> = portal.live.hub.with_state(|s| {
        s.conferences[ROOM]
            .participants
            .iter()
            .map(|p| p.display_name.clone())
            .collect()
    });
    assert_eq!(names.len(), CALLERS, "every caller once");
    assert!(names.contains("caller-0") && names.contains(&format!("caller-{}", CALLERS - 1)));
    poller.abort();
}
