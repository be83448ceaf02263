//! Concurrency and connection reuse, measured on the server side: at most `max_in_flight`
//! requests reach the node at once, mutations go one at a time, and sequential requests share
//! one keep-alive connection.

mod client_support;

use client_support::Upstream;
use pexip::ListResponse;
use pexip::Query;
use pexip::client::{Api, Client, ClientError, ObjectId, PexipConfig};
use serde_json::{Value, json};
use simulator::FaultConfig;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_flight_requests_never_exceed_the_limit() {
    let up = Upstream::start().await;
    up.faults(FaultConfig {
        latency_ms: 150,
        ..FaultConfig::default()
    });
    for limit in [1usize, 4] {
        up.counts.reset();
        let client = up.client_with(PexipConfig {
            max_in_flight: limit,
            ..up.config()
        });
        let calls = (0..limit + 6).map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .list(Api::Configuration, "conference", &Query::new())
                    .await
            })
        });
        for call in calls.collect::<Vec<_>>() {
            call.await.unwrap().unwrap();
        }
        assert_eq!(up.counts.total(), limit + 6);
        assert_eq!(
            up.counts.peak_in_flight(),
            limit as u64,
            "at most {limit} at once, and the limit is reached"
        );
    }
}

/// Ten background lists sent together, and how many of them have been answered.
struct WaitingLists {
    lists: Vec<JoinHandle<Result<ListResponse<Value>, ClientError>>>,
    answered: Arc<AtomicUsize>,
}

/// Sends ten lists through `background` and returns once the first is answered: by then all ten
/// have asked, and the rest wait for their permits (two at a time with `max_in_flight` 4, about
/// five latencies in all).
async fn ten_background_lists_waiting(background: &Client) -> WaitingLists {
    let answered = Arc::new(AtomicUsize::new(0));
    let one_answered = Arc::new(Notify::new());
    let lists = (0..10)
        .map(|_| {
            let (background, answered, one_answered) =
                (background.clone(), answered.clone(), one_answered.clone());
            tokio::spawn(async move {
                let page = background
                    .list(Api::Configuration, "conference", &Query::new())
                    .await;
                answered.fetch_add(1, Ordering::SeqCst);
                one_answered.notify_one();
                page
            })
        })
        .collect();
    one_answered.notified().await;
    WaitingLists { lists, answered }
}

impl WaitingLists {
    /// How many had been answered when this was called; then waits for all ten (each must
    /// succeed).
    async fn finish(self) -> usize {
        let answered = self.answered.load(Ordering::SeqCst);
        for list in self.lists {
            list.await.unwrap().unwrap();
        }
        answered
    }
}

/// Background work (the live feed's polls, the usage history's reads) holds at most half of the
/// permits: a page's request asked for while ten background requests wait does not queue
/// behind them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_work_leaves_half_the_permits_to_pages() {
    let up = Upstream::start().await;
    up.faults(FaultConfig {
        latency_ms: 150,
        ..FaultConfig::default()
    });
    let client = up.client_with(PexipConfig {
        max_in_flight: 4,
        ..up.config()
    });
    let background = client.background();
    // Sharing all four permits, a page asking now would wait behind six of them.
    let polls = ten_background_lists_waiting(&background).await;
    client
        .list(Api::Configuration, "system_location", &Query::new())
        .await
        .unwrap();
    let finished_first = polls.finish().await;
    assert!(
        finished_first <= 4,
        "the page's request waited for {finished_first} of the 10 background requests"
    );
    assert_eq!(up.counts.total(), 11);
    assert_eq!(
        up.counts.peak_in_flight(),
        3,
        "two background requests at a time, and the page's"
    );

    // Background work alone never takes more than its half.
    up.counts.reset();
    let polls: Vec<_> = (0..6)
        .map(|_| {
            let background = background.clone();
            tokio::spawn(async move {
                background
                    .list(Api::Configuration, "conference", &Query::new())
                    .await
            })
        })
        .collect();
    for poll in polls {
        poll.await.unwrap().unwrap();
    }
    assert_eq!(up.counts.peak_in_flight(), 2);
}

/// A schema fetch serves every caller waiting for it (a page's among them): one started by
/// background work does not wait for a background permit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_fetch_for_background_work_does_not_wait_behind_it() {
    let up = Upstream::start().await;
    up.faults(FaultConfig {
        latency_ms: 150,
        ..FaultConfig::default()
    });
    let background = up
        .client_with(PexipConfig {
            max_in_flight: 4,
            ..up.config()
        })
        .background();
    let polls = ten_background_lists_waiting(&background).await;
    background
        .schema(Api::Configuration, "system_location")
        .await
        .unwrap();
    let finished_first = polls.finish().await;
    assert!(
        finished_first <= 4,
        "the schema fetch waited for {finished_first} of the 10 background requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutations_go_one_at_a_time() {
    let up = Upstream::start().await;
    let client = up.client();
    let created = client
        .create(Api::Configuration, "conference", &json!({"name": "one"}))
        .await
        .unwrap();
    up.faults(FaultConfig {
        latency_ms: 100,
        ..FaultConfig::default()
    });
    up.counts.reset();
    let patches = (0..4).map(|i| {
        let client = client.clone();
        let id: ObjectId = created.id.clone();
        tokio::spawn(async move {
            client
                .patch(
                    Api::Configuration,
                    "conference",
                    &id,
                    &json!({"description": format!("change {i}")}),
                )
                .await
        })
    });
    for patch in patches.collect::<Vec<_>>() {
        patch.await.unwrap().unwrap();
    }
    assert_eq!(up.counts.with_method("PATCH"), 4);
    assert_eq!(up.counts.peak_in_flight(), 1, "one mutation at a time");
}

/// Sequential requests reuse one keep-alive connection. The figure is recorded in the README:
/// `cargo test -p pexip --features client --test client_limits -- --nocapture keep_alive`.
#[tokio::test]
async fn keep_alive_reuses_connections() {
    let up = Upstream::start().await;
    let client = up.client();
    let query = Query::new().limit(1);
    for _ in 0..1000 {
        client
            .list(Api::Configuration, "system_location", &query)
            .await
            .unwrap();
    }
    let server_side = up.counts.connections();
    let stats = client.stats();
    println!(
        "1000 sequential GETs: {server_side} TCP connection(s) accepted by the node, \
         client counted {} opened, {} requests sent",
        stats.connections_opened, stats.requests_sent
    );
    assert_eq!(up.counts.total(), 1000);
    assert_eq!(stats.requests_sent, 1000);
    assert_eq!(
        stats.connections_opened, server_side,
        "the client's counter agrees"
    );
    assert!(
        server_side <= 2,
        "{server_side} connections for 1000 requests"
    );
}
