//! Injected faults, switched at run time through `/_sim/faults` and the library handle.

mod server_support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use server_support::{PASSWORD, Sim, USER};
use simulator::{FaultConfig, RateLimit};

const CONF: &str = "/api/admin/configuration/v1/conference/";

async fn put_faults(s: &Sim, body: serde_json::Value) -> server_support::Answer {
    s.put("/_sim/faults", &body).await
}

#[tokio::test]
async fn control_endpoint_shows_and_switches_faults() {
    let s = Sim::start().await;
    let shown = s.get("/_sim/faults").await.json();
    assert_eq!(shown["error_rate"], 0.0);
    assert_eq!(shown["rate_limit"], serde_json::Value::Null);

    let a = put_faults(&s, json!({"error_rate": 1.0})).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["error_rate"], 1.0);
    let e = s.get(CONF).await;
    assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        e.json(),
        json!({"error_message": "Sorry, this request could not be processed. Please try again later."})
    );
    // The control endpoint itself is never faulted.
    assert_eq!(s.get("/_sim/faults").await.status, StatusCode::OK);

    for bad in [
        json!({"error_rate": 2}),
        json!({"nonsense": 1}),
        json!({"rate_limit": {"max_requests": 1, "window_ms": 0}}),
    ] {
        let a = put_faults(&s, bad.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(a.json()["error"].is_string());
    }
    // Refused configurations change nothing.
    assert_eq!(s.get("/_sim/faults").await.json()["error_rate"], 1.0);

    put_faults(&s, json!({})).await;
    assert_eq!(s.get(CONF).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unavailable_and_rate_limited() {
    let s = Sim::start().await;
    put_faults(&s, json!({"unavailable_rate": 1.0})).await;
    assert_eq!(s.get(CONF).await.status, StatusCode::SERVICE_UNAVAILABLE);

    put_faults(
        &s,
        json!({"rate_limit": {"max_requests": 3, "window_ms": 60000}}),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(s.get(CONF).await.status, StatusCode::OK);
    }
    let limited = s.get(CONF).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
}

#[tokio::test]
async fn seeded_error_rates_repeat_exactly() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let s = Sim::start().await;
        put_faults(&s, json!({"error_rate": 0.5, "seed": seed})).await;
        let mut out = Vec::new();
        for _ in 0..30 {
            out.push(s.get(CONF).await.status.as_u16());
        }
        out
    }
    let a = statuses(11).await;
    assert_eq!(a, statuses(11).await);
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
}

#[tokio::test]
async fn malformed_bodies_dropped_connections_and_latency() {
    let s = Sim::start().await;
    s.create(CONF, &json!({"name": "VMR"})).await;

    put_faults(&s, json!({"malformed_json_rate": 1.0})).await;
    let a = s.get(CONF).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        serde_json::from_str::<serde_json::Value>(&a.text).is_err(),
        "{}",
        a.text
    );

    put_faults(&s, json!({"drop_connection_rate": 1.0})).await;
    let err = s
        .client
        .get(s.url(CONF))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_request() || err.is_connect(), "{err:?}");

    // The library handle switches faults too.
    let handle = s.sim.faults();
    handle
        .set(FaultConfig {
            latency_ms: 300,
            ..FaultConfig::default()
        })
        .unwrap();
    assert_eq!(s.get("/_sim/faults").await.json()["latency_ms"], 300);
    let started = Instant::now();
    assert_eq!(s.get(CONF).await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(
        handle
            .set(FaultConfig {
                error_rate: -1.0,
                ..FaultConfig::default()
            })
            .is_err()
    );
    handle
        .set(FaultConfig {
            rate_limit: Some(RateLimit {
                max_requests: 0,
                window_ms: 1000,
            }),
            ..FaultConfig::default()
        })
        .unwrap();
    assert_eq!(s.get(CONF).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn traffic_counts_connections_and_requests_faulted_or_not() {
    let s = Sim::start().await;
    let before = s.sim.traffic();
    assert_eq!(s.get(CONF).await.status, StatusCode::OK);
    put_faults(&s, json!({"error_rate": 1.0})).await;
    assert_eq!(
        s.post(CONF, &json!({"name": "x"})).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let after = s.sim.traffic();
    // Only `/api/admin/` requests count (not the control endpoint), faulted ones included.
    assert_eq!(after.with_method("GET") - before.with_method("GET"), 1);
    assert_eq!(after.with_method("POST") - before.with_method("POST"), 1);
    assert_eq!(after.requests - before.requests, 2);
    // One keep-alive connection carried all of it.
    assert_eq!(after.connections_accepted, 1);

    let shown = s.get("/_sim/stats").await.json();
    assert_eq!(shown["requests"], 2);
    assert_eq!(shown["requests_by_method"]["POST"], 1);
    assert_eq!(shown["connections_accepted"], 1);
}
