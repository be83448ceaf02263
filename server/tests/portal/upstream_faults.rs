//! Every fault mode of the simulator (`/_sim/faults`), seen through the real `server` binary:
//! each gives its documented, clear message with a 502 (never a panic or a 500), GETs are retried
//! only where the client's rules say so, and a failed mutation reaches the Management Node
//! exactly once (counted by the simulator). `/readyz` reports the node down when it is gone.

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, delta, temp_dir};
use serde_json::{Value, json};
use simulator::{FaultConfig, RateLimit};
use std::time::Duration;

const PEXIP_PASSWORD: &str = "faults-test-pexip-password";
/// Retries of a failed GET, as configured for these tests (the default is 3).
const MAX_RETRIES: u64 = 2;

fn list_query() -> Value {
    json!({"query": {"name": null, "service_type": null, "order_by": null, "limit": 5, "offset": 0}})
}

struct Case {
    name: &'static str,
    fault: FaultConfig,
    /// What the person sees.
    message: &'static str,
    /// How many times the list GET reaches the simulator.
    list_attempts: u64,
}

fn cases() -> Vec<Case> {
    let retried = 1 + MAX_RETRIES;
    vec![
        Case {
            name: "latency beyond the request timeout",
            fault: FaultConfig {
                latency_ms: 1_500,
                ..FaultConfig::default()
            },
            message: "The Pexip Management Node did not answer in time. Try again later.",
            list_attempts: 1,
        },
        Case {
            name: "500",
            fault: FaultConfig {
                error_rate: 1.0,
                ..FaultConfig::default()
            },
            message: "The Management Node failed (500): Sorry, this request could not be processed. Please try again later.",
            list_attempts: 1,
        },
        Case {
            name: "503",
            fault: FaultConfig {
                unavailable_rate: 1.0,
                ..FaultConfig::default()
            },
            message: "The Management Node failed (503)",
            list_attempts: retried,
        },
        Case {
            // Retry-After (60 s) is beyond `max_retry_after_secs`: reported at once.
            name: "429 with Retry-After",
            fault: FaultConfig {
                rate_limit: Some(RateLimit {
                    max_requests: 0,
                    window_ms: 60_000,
                }),
                ..FaultConfig::default()
            },
            message: "The Management Node is busy (rate limited). Try again in ",
            list_attempts: 1,
        },
        Case {
            name: "malformed JSON",
            fault: FaultConfig {
                malformed_json_rate: 1.0,
                ..FaultConfig::default()
            },
            message: "The Management Node sent an invalid answer",
            list_attempts: 1,
        },
        Case {
            name: "dropped connection",
            fault: FaultConfig {
                drop_connection_rate: 1.0,
                ..FaultConfig::default()
            },
            message: "The Pexip Management Node is unreachable (",
            list_attempts: retried,
        },
    ]
}

async fn start(dir: &std::path::Path, upstream: &Upstream) -> Server {
    Server::start(
        ServerSetup::new(&dir.join("data"))
            .envs(upstream.env())
            .env("PORTAL_PEXIP__REQUEST_TIMEOUT_SECS", "1")
            .env("PORTAL_PEXIP__MAX_RETRIES", MAX_RETRIES.to_string())
            .env("PORTAL_PEXIP__RETRY_BASE_DELAY_MS", "20"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_mode_gives_its_message_and_mutations_are_sent_once() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = start(dir.path(), &upstream).await;
    // The usage reports read the node's history once at start: let that finish, so that the
    // simulator's request counts below hold only the requests under test.
    assert!(
        server
            .wait_for_line(
                "stored new history for the usage reports",
                Duration::from_secs(60)
            )
            .await,
        "the history was not read at start"
    );
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    // Warm the schema cache so each case below sends exactly the request under test.
    let warm = admin.post_json("/api/rooms/list", &list_query()).await;
    assert_eq!(warm.status, 200, "{}", warm.body);

    for case in cases() {
        upstream
            .sim
            .faults()
            .set(case.fault.clone())
            .expect("valid");

        let before = upstream.sim.traffic();
        let list = admin.post_json("/api/rooms/list", &list_query()).await;
        let sent = delta(&before, &upstream.sim.traffic());
        assert_eq!(list.status, 502, "{}: {}", case.name, list.body);
        let message = list.json()["Unavailable"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: not an Unavailable error: {}", case.name, list.body))
            .to_string();
        assert!(
            message.starts_with(case.message),
            "{}: the message is {message:?}",
            case.name
        );
        assert_eq!(
            sent.get("GET").copied(),
            Some(case.list_attempts),
            "{}: GETs sent upstream: {sent:?}",
            case.name
        );

        let before = upstream.sim.traffic();
        let create = admin
            .post_json(
                "/api/rooms/create",
                &json!({"fields": {"name": format!("Fault {}", case.name), "service_type": "conference"}}),
            )
            .await;
        let sent = delta(&before, &upstream.sim.traffic());
        assert_eq!(
            sent.get("POST").copied(),
            Some(1),
            "{}: a failed mutation is sent exactly once: {sent:?}",
            case.name
        );
        assert_eq!(sent.len(), 1, "{}: only the POST: {sent:?}", case.name);
        if case.name == "malformed JSON" {
            // A creation's answer has no body to cut: the room is created.
            assert_eq!(create.status, 200, "{}: {}", case.name, create.body);
        } else {
            assert_eq!(create.status, 502, "{}: {}", case.name, create.body);
            assert!(
                create.body.contains(case.message.trim_end_matches('(')),
                "{}: {}",
                case.name,
                create.body
            );
        }

        // The page shows the failure instead of failing itself.
        let page = admin.get("/rooms").await;
        assert_ne!(page.status, 500, "{}: the rooms page", case.name);
    }

    upstream
        .sim
        .faults()
        .set(FaultConfig::default())
        .expect("no faults");
    let healed = admin.post_json("/api/rooms/list", &list_query()).await;
    assert_eq!(healed.status, 200, "{}", healed.body);

    let log = server.log.clone();
    let exit = server.stop().await;
    assert!(exit.success(), "{exit:?}");
    let text = log.text();
    assert!(!text.contains("panicked"), "a panic in the log:\n{text}");
    assert!(
        text.contains("Management API request failed"),
        "the failures are logged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_reports_the_management_node_down_when_it_is_unreachable() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = start(dir.path(), &upstream).await;
    let mut probe = Browser::new(&server);
    let ready = probe.get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(
        ready.json(),
        json!({"status": "ready", "checks": {"database": "ok", "pexip": "ok"}})
    );

    upstream.sim.shutdown_handle().shutdown().await;
    let down = probe.get("/readyz").await;
    assert_eq!(down.status, 503, "{}", down.body);
    let body = down.json();
    assert_eq!(body["status"], "not ready");
    assert_eq!(body["checks"]["database"], "ok");
    let pexip = body["checks"]["pexip"].as_str().expect("a reason");
    assert!(
        pexip.starts_with("The Pexip Management Node is unreachable"),
        "{pexip}"
    );
    // The process itself is fine.
    assert_eq!(probe.get("/healthz").await.status, 200);
    assert!(server.log.text().contains("not ready"));
    server.stop().await;
}
