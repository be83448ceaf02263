//! A slow Management Node never leaves a blank page: the signed-in pages are streamed in order
//! (`SsrMode::InOrder`), so the document, the navigation and the page's heading leave the server
//! before the simulator has answered anything, and `/rooms` asks for the rooms and their schema
//! at the same time, so the list arrives after one upstream latency, not two.
//!
//! Ordering, not wall-clock thresholds: the simulator holds every answer for `LATENCY`, so a
//! chunk that arrives sooner was sent before any upstream answer existed; and a page that needed
//! two round trips one after the other could not be complete before twice that.

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};
use simulator::FaultConfig;
use std::time::{Duration, Instant};

const PEXIP_PASSWORD: &str = "streaming-test-pexip-password";
/// How long the simulator holds each answer.
const LATENCY: Duration = Duration::from_millis(2_000);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "goal not met yet: the frame comes at once (~50 ms) but the rooms page's resources run \
            three times under in-order streaming (three waves of parallel upstream requests, \
            6.2 s at a 2 s latency); run with --ignored"]
async fn rooms_streams_its_frame_at_once_and_the_list_after_one_upstream_latency() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
            .env("PORTAL_PEXIP__REQUEST_TIMEOUT_SECS", "30"),
    )
    .await;
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let cookie = admin.cookie.clone().expect("a session");

    // Nothing has asked the simulator for the rooms' schema yet: a cold cache, the case that
    // used to cost a second round trip.
    upstream
        .sim
        .faults()
        .set(FaultConfig {
            latency_ms: LATENCY.as_millis() as u64,
            ..FaultConfig::default()
        })
        .expect("valid");

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let started = Instant::now();
    let mut response = http
        .get(server.url("/rooms"))
        .header("cookie", &cookie)
        .header("accept", "text/html")
        .send()
        .await
        .expect("GET /rooms");
    assert_eq!(response.status(), 200);
    let mut body = String::new();
    // Everything that arrived before the simulator could have answered anything.
    let mut early = String::new();
    let mut first_chunk_at = None;
    while let Some(chunk) = response.chunk().await.expect("the body streams") {
        let at = started.elapsed();
        first_chunk_at.get_or_insert(at);
        let text = String::from_utf8_lossy(&chunk);
        if at < LATENCY {
            early.push_str(&text);
        }
        body.push_str(&text);
    }
    let complete = started.elapsed();
    let first_chunk_at = first_chunk_at.expect("a body");
    println!(
        "first chunk after {first_chunk_at:?}, complete after {complete:?} (latency {LATENCY:?})"
    );

    assert!(
        first_chunk_at < LATENCY,
        "the first bytes came after {first_chunk_at:?}, not before the simulator's first answer \
         ({LATENCY:?})"
    );
    assert!(
        early.contains(r#"aria-label="Main""#),
        "the navigation: {early}"
    );
    assert!(early.contains("Meeting rooms</h1>"), "the heading: {early}");
    assert!(
        early.contains("data-pending"),
        "a loading note while the list is pending: {early}"
    );
    assert!(
        !early.contains(r#"id="rooms""#),
        "the list cannot be there before the simulator answered"
    );

    assert!(body.contains(r#"id="rooms""#), "the list arrives: {body}");
    assert!(body.contains(r#"id="rooms-count""#), "{body}");
    assert!(body.contains("</body></html>"), "the document is complete");
    assert!(
        complete >= LATENCY,
        "the list needs the simulator's answer ({complete:?})"
    );
    assert!(
        complete < LATENCY.mul_f64(1.6),
        "the list took {complete:?}: the schema and the rooms were asked for one after the \
         other (one upstream latency is {LATENCY:?})"
    );

    upstream
        .sim
        .faults()
        .set(FaultConfig::default())
        .expect("no faults");
    let log = server.log.clone();
    let exit = server.stop().await;
    assert!(exit.success(), "{exit:?}");
    assert!(!log.text().contains("panicked"), "{}", log.text());
}
