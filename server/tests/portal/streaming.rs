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
const LATENCY: Duration = Duration::from_millis(3_000);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rooms_streams_its_frame_at_once_and_the_list_after_one_upstream_latency() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
            .env("PORTAL_PEXIP__REQUEST_TIMEOUT_SECS", "30")
            // Room for the page's requests beside the server's own background requests
            // (the usage recorder's history poll): with the default of 4 in flight, a poll that
            // fell into the page's wave held a permit, so the page's last request waited a
            // whole latency for it (seen in CI: a second schema request started only when the
            // API root answered). What this test checks is that the page asks at once: its three
            // requests together. Background work holds at most half the permits, so 8 leaves
            // the page at least 4 whatever the polls do.
            .env("PORTAL_PEXIP__MAX_IN_FLIGHT", "8")
            // The client's "pexip request" lines: which upstream requests the page made.
            .env("RUST_LOG", "info,pexip=debug"),
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
    let log_mark = server.log.lines().len();
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
    // When the chunk holding the table arrived.
    let mut list_at = None;
    while let Some(chunk) = response.chunk().await.expect("the body streams") {
        let at = started.elapsed();
        first_chunk_at.get_or_insert(at);
        let text = String::from_utf8_lossy(&chunk);
        if at < LATENCY {
            early.push_str(&text);
        }
        body.push_str(&text);
        if list_at.is_none() && body.contains(r#"id="rooms""#) {
            list_at = Some(at);
        }
    }
    let complete = started.elapsed();
    let first_chunk_at = first_chunk_at.expect("a body");
    let list_at = list_at.expect("the list arrives");
    let requests: Vec<String> = server.log.lines()[log_mark..]
        .iter()
        .filter(|line| line.contains("pexip request"))
        .cloned()
        .collect();
    println!(
        "first chunk after {first_chunk_at:?}, the list after {list_at:?}, complete after \
         {complete:?} (latency {LATENCY:?}); upstream requests:\n{}",
        requests.join("\n")
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
    assert!(
        early.contains("<h1") && early.contains("Meeting rooms"),
        "the heading: {early}"
    );
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
        list_at >= LATENCY,
        "the list needs the simulator's answer ({list_at:?})"
    );
    // One latency and some render time (up to 0.9 of a latency: 2.7 s, for a machine busy with
    // the other tests): a second upstream round trip after the first (the schema, then the rooms;
    // or the page's resources made again during the in-order render) would take it past twice
    // the latency.
    assert!(
        list_at < LATENCY.mul_f64(1.9),
        "the list took {list_at:?}: the page's upstream requests did not all run at once (one \
         upstream latency is {LATENCY:?}); requests:\n{}",
        requests.join("\n")
    );
    assert!(
        complete < LATENCY.mul_f64(1.9),
        "the document completed after {complete:?}"
    );
    // One wave of upstream requests: the page of rooms once, and nothing asked again after the
    // first answers (on this cold cache: the API root for the form's choices, the page for the
    // list, and the schema both need, fetched once for the two).
    let pages = requests
        .iter()
        .filter(|line| line.contains("/configuration/v1/conference/ "))
        .count();
    assert_eq!(
        pages,
        1,
        "the rooms were asked for {pages} times:\n{}",
        requests.join("\n")
    );
    // The page's own: the server's background requests (the usage recorder's history poll, the
    // live feed's status) are not the page's and may fall into the same seconds.
    let page_requests = requests
        .iter()
        .filter(|line| line.contains("/api/admin/configuration/"))
        .count();
    assert!(
        page_requests <= 3,
        "{page_requests} upstream requests for the page:\n{}",
        requests.join("\n")
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
