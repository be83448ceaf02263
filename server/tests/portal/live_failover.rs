//! The live feed with two instances of the real `server` binary sharing PostgreSQL (and, in the
//! second test, Redis for sessions, lease and relay): only the instance holding the lease reads
//! the status API; a viewer's stream on each instance shows a participant joining; the leader
//! is killed (SIGKILL, so it cannot give the lease up) and the other takes over within the
//! lease time, while the viewer on it keeps its stream, its state and its updates.

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};
use bff::db::testing::{TestPostgres, test_redis_url};
use bff::live::model::{LiveMessage, LiveState, STREAM_PATH};
use pexip::client::{Client, PexipConfig, Secret};
use serde_json::json;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::timeout;

const PEXIP_PASSWORD: &str = "live-failover-test-pexip-password";
/// The lease TTL the instances run with.
const LEASE_TTL: Duration = Duration::from_secs(2);
/// How long anything expected may take at most.
const DEADLINE: Duration = Duration::from_secs(20);
const LEADING: &str = "this instance now runs the live feed";

/// One viewer's live stream: the state built from its messages, as they arrive.
struct Viewer {
    state: watch::Receiver<LiveState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Opens the live stream on `server` with the session `cookie`.
async fn view(server: &Server, cookie: &str) -> Viewer {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .get(server.url(STREAM_PATH))
        .header("cookie", cookie)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("the stream opens");
    assert_eq!(response.status(), 200, "the stream of {}", server.addr);
    let (sender, state) = watch::channel(LiveState::default());
    let task = tokio::spawn(async move {
        let mut response = response;
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue;
                }
                let message: LiveMessage =
                    serde_json::from_str(&data.join("\n")).expect("a live message");
                sender.send_modify(|state| state.apply(&message));
            }
        }
    });
    Viewer { state, task }
}

/// Waits until the viewer's state satisfies `done`.
async fn until(viewer: &mut Viewer, what: &str, done: impl Fn(&LiveState) -> bool) {
    let reached = timeout(DEADLINE, viewer.state.wait_for(|state| done(state)))
        .await
        .is_ok_and(|changed| changed.is_ok());
    assert!(
        reached,
        "{what}: the viewer's state is {:?}",
        *viewer.state.borrow()
    );
}

fn has_participant(state: &LiveState, name: &str) -> bool {
    state
        .conferences
        .values()
        .any(|c| c.participants.iter().any(|p| p.display_name == name))
}

/// Waits until the server's log has a line containing `text`.
async fn logged(server: &Server, text: &str) {
    assert!(
        server.wait_for_line(text, DEADLINE).await,
        "{} never logged {text:?}:\n{}",
        server.addr,
        server.log.text()
    );
}

/// The status API requests the instance has sent (its `/metrics`).
async fn status_requests(server: &Server) -> u64 {
    let text = reqwest::get(server.url("/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    text.lines()
        .filter(|line| line.starts_with("portal_upstream_requests_total{api=\"status\""))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// A participant named `name` dials into the first service the simulator has, as the node's
/// own command API would report it.
async fn join(upstream: &Upstream, name: &str) {
    let (alias, location) = {
        let store = upstream.sim.state().config.read().unwrap();
        let alias = store
            .objects("conference_alias")
            .find_map(|o| o.get("alias")?.as_str().map(str::to_string))
            .expect("the demo has an alias");
        let location = store
            .objects("system_location")
            .find_map(|o| o.get("name")?.as_str().map(str::to_string))
            .expect("the demo has a location");
        (alias, location)
    };
    let client = Client::with_ca_pem(
        &PexipConfig {
            url: Some(upstream.sim.url().to_string()),
            username: "admin".into(),
            password: Some(Secret::new(PEXIP_PASSWORD)),
            ..PexipConfig::default()
        },
        upstream.sim.cert_pem().expect("HTTPS"),
    )
    .expect("a client of the simulator");
    client
        .command(
            "participant",
            "dial",
            &json!({
                "conference_alias": alias,
                "destination": format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
                "remote_display_name": name,
                "protocol": "sip",
                "system_location": location,
                "role": "guest",
            }),
        )
        .await
        .unwrap_or_else(|error| panic!("{name} dials in: {error}"));
}

async fn failover(extra: Vec<(String, String)>) {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let postgres = TestPostgres::create().await.expect("PostgreSQL");
    let setup = |name: &str| {
        ServerSetup::new(&dir.path().join(name))
            .envs(upstream.env())
            .env("PORTAL_DATABASE__URL", postgres.url())
            .env(
                "PORTAL_LIVE__LEASE_TTL_SECS",
                LEASE_TTL.as_secs().to_string(),
            )
            .env("PORTAL_LIVE__POLL_INTERVAL_SECS", "1")
            .envs(extra.clone())
    };
    // One after the other: the first creates the admin account and takes the lease.
    let a = Server::start(setup("a")).await;
    logged(&a, LEADING).await;
    let b = Server::start(setup("b")).await;
    logged(&b, "following another instance's live feed").await;

    let mut browser = Browser::new(&a);
    browser.sign_in("admin", ADMIN_PASSWORD).await;
    let cookie = browser.cookie.clone().expect("signed in");
    let mut on_a = view(&a, &cookie).await;
    let mut on_b = view(&b, &cookie).await;

    join(&upstream, "Failover Alice").await;
    for (viewer, instance) in [(&mut on_a, "a"), (&mut on_b, "b")] {
        until(viewer, &format!("Alice shows on {instance}"), |s| {
            has_participant(s, "Failover Alice")
        })
        .await;
    }
    assert!(status_requests(&a).await > 0, "the leader polls");
    assert_eq!(status_requests(&b).await, 0, "the follower does not poll");

    // The leader dies without giving the lease up.
    // When b may take over (once the dead leader's lease ran out, not later) is checked against
    // the store's clock in `bff/tests/live_lease.rs`; here, that it does, without a restart.
    drop(on_a);
    drop(a);
    logged(&b, LEADING).await;
    assert!(
        has_participant(&on_b.state.borrow(), "Failover Alice"),
        "b's viewer kept its state"
    );

    // The survivor polls now, and its viewer, on the same stream, sees the next change.
    join(&upstream, "Failover Bob").await;
    until(&mut on_b, "Bob shows on b after the failover", |s| {
        has_participant(s, "Failover Bob") && has_participant(s, "Failover Alice")
    })
    .await;
    assert!(status_requests(&b).await > 0, "the new leader polls");
    assert!(!on_b.task.is_finished(), "b's stream stayed open");
    drop(on_b);
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survivor_takes_the_live_feed_over_on_postgresql() {
    failover(Vec::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survivor_takes_the_live_feed_over_with_redis() {
    failover(vec![
        ("PORTAL_SESSIONS__STORE".into(), "redis".into()),
        ("PORTAL_SESSIONS__REDIS_URL".into(), test_redis_url()),
    ])
    .await;
}
