//! Throughput and latency of a list request through `pexip::client::Client` straight to the
//! in-process simulator over HTTPS (the baseline for the BFF's proxied figure), and the
//! connections it opens.
//!
//! `CARGO_TARGET_DIR=/work/target-pexip cargo bench -p pexip --features client --bench client_list`

use std::time::{Duration, Instant};

use pexip::Query;
use pexip::client::{Api, Client, PexipConfig, Secret};
use simulator::{DataSet, SimOptions};

const SEQUENTIAL: usize = 2000;
const CONCURRENT: usize = 4000;
const TASKS: usize = 8;

#[tokio::main]
async fn main() {
    let sim = simulator::start(SimOptions {
        admin_password: "bench-password".into(),
        data: DataSet::Demo,
        ..SimOptions::default()
    })
    .await
    .expect("simulator");
    let config = PexipConfig {
        url: Some(sim.url().to_owned()),
        password: Some(Secret::new("bench-password")),
        ..PexipConfig::default()
    };
    let client = Client::with_ca_pem(&config, sim.cert_pem().expect("HTTPS")).expect("client");
    let query = Query::new().limit(20);
    for _ in 0..100 {
        list(&client, &query).await;
    }
    let before = client.stats();

    let mut latencies = Vec::with_capacity(SEQUENTIAL);
    let started = Instant::now();
    for _ in 0..SEQUENTIAL {
        let t = Instant::now();
        list(&client, &query).await;
        latencies.push(t.elapsed());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "sequential: {SEQUENTIAL} GET conference/?limit=20 in {:.2} s = {:.0} req/s; p50 {:.2} ms, p99 {:.2} ms",
        elapsed.as_secs_f64(),
        SEQUENTIAL as f64 / elapsed.as_secs_f64(),
        ms(latencies[SEQUENTIAL / 2]),
        ms(latencies[SEQUENTIAL * 99 / 100]),
    );

    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let client = client.clone();
            let query = query.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(CONCURRENT / TASKS);
                for _ in 0..CONCURRENT / TASKS {
                    let t = Instant::now();
                    list(&client, &query).await;
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(CONCURRENT);
    for task in tasks {
        latencies.extend(task.await.expect("task"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "concurrent: {TASKS} callers, max_in_flight {}: {CONCURRENT} requests in {:.2} s = {:.0} req/s; p50 {:.2} ms, p99 {:.2} ms (queueing included)",
        config.max_in_flight,
        elapsed.as_secs_f64(),
        CONCURRENT as f64 / elapsed.as_secs_f64(),
        ms(latencies[CONCURRENT / 2]),
        ms(latencies[CONCURRENT * 99 / 100]),
    );
    let after = client.stats();
    println!(
        "connections opened for {} requests: {}",
        after.requests_sent - before.requests_sent,
        after.connections_opened - before.connections_opened
    );
    sim.shutdown().await;
}

async fn list(client: &Client, query: &Query) {
    let page = client
        .list(Api::Configuration, "conference", query)
        .await
        .expect("list");
    assert!(!page.objects.is_empty());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
