//! Benchmark: a filtered, ordered, paged list over 10,000 VMRs (each with an alias), through
//! real HTTPS on loopback, with a few requests in flight as real clients keep them.
//!
//! Bounded: a fixed number of requests per scenario (and a time cap). Prints requests/s and
//! latency percentiles. Run with:
//!
//! ```text
//! CARGO_PROFILE_BENCH_LTO=off CARGO_PROFILE_BENCH_CODEGEN_UNITS=16 \
//!   CARGO_TARGET_DIR=/work/target-sim cargo bench -p simulator --bench list_bench
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use simulator::SimOptions;

const VMRS: usize = 10_000;
const REQUESTS: usize = 2_000;
const IN_FLIGHT: usize = 4;
const TIME_CAP: Duration = Duration::from_secs(60);
const USER: &str = "admin";
const PASSWORD: &str = "bench";

fn client(cert_pem: &str) -> Client {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(cert_pem.as_bytes()) {
        roots.add(cert.expect("PEM")).expect("root");
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    Client::builder()
        .tls_backend_preconfigured(config)
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .expect("client")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Runs `REQUESTS` GETs of `paths` (round robin) with `IN_FLIGHT` workers.
async fn scenario(name: &str, base: &str, client: &Client, paths: Vec<String>) {
    let paths = Arc::new(paths);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..IN_FLIGHT {
        let (client, base, paths) = (client.clone(), base.to_owned(), paths.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = w;
            while i < REQUESTS && started.elapsed() < TIME_CAP {
                let path = &paths[i % paths.len()];
                let t = Instant::now();
                let r = client
                    .get(format!("{base}{path}"))
                    .basic_auth(USER, Some(PASSWORD))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(r.status(), StatusCode::OK, "{path}");
                let body: Value = r.json().await.expect("JSON");
                assert!(body["meta"]["total_count"].as_u64().unwrap() > 0, "{path}");
                latencies.push(t.elapsed());
                i += IN_FLIGHT;
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    all.sort();
    println!(
        "{name}: {} requests in {:.2}s = {:.0} req/s; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.50).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

#[tokio::main]
async fn main() {
    let sim = simulator::start(SimOptions {
        admin_user: USER.to_owned(),
        admin_password: PASSWORD.to_owned(),
        // No live ticks: measure the HTTP core and the list engine alone.
        tick_ms: 0,
        ..SimOptions::default()
    })
    .await
    .expect("simulator");
    let base = sim.url().to_owned();
    let client = client(sim.cert_pem().expect("HTTPS"));

    // 10,000 VMRs with an alias each, created through the API in bulk PATCHes of 1,000.
    let t = Instant::now();
    for chunk in 0..VMRS / 1000 {
        let objects: Vec<Value> = (chunk * 1000..(chunk + 1) * 1000)
            .map(|i| {
                json!({
                    "name": format!("VMR-{i:05}"),
                    "service_type": if i % 4 == 0 { "lecture" } else { "conference" },
                    "participant_limit": i % 100,
                    "tag": format!("team-{}", i % 37),
                    "aliases": [{"alias": format!("meet.{i:05}@example.com")}],
                })
            })
            .collect();
        let r = client
            .patch(format!("{base}/api/admin/configuration/v1/conference/"))
            .basic_auth(USER, Some(PASSWORD))
            .body(serde_json::to_vec(&json!({ "objects": objects })).unwrap())
            .send()
            .await
            .expect("bulk PATCH");
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    println!(
        "setup: {VMRS} VMRs with aliases created in {:.2}s",
        t.elapsed().as_secs_f64()
    );

    let filtered: Vec<String> = (0..50)
        .map(|page| {
            format!(
                "/api/admin/configuration/v1/conference/?service_type=conference&name__icontains=vmr-0&participant_limit__gte=10&order_by=-name&limit=20&offset={}",
                page * 20
            )
        })
        .collect();
    scenario(
        "filtered+ordered page of 20 over 10,000 VMRs",
        &base,
        &client,
        filtered,
    )
    .await;
    let plain: Vec<String> = (0..50)
        .map(|page| {
            format!(
                "/api/admin/configuration/v1/conference/?limit=20&offset={}",
                page * 197
            )
        })
        .collect();
    scenario(
        "unfiltered page of 20 over 10,000 VMRs",
        &base,
        &client,
        plain,
    )
    .await;
    let aliases: Vec<String> = (0..50)
        .map(|i| format!("/api/admin/configuration/v1/conference_alias/?alias__startswith=meet.0{i:02}&limit=20"))
        .collect();
    scenario(
        "alias prefix filter over 10,000 aliases",
        &base,
        &client,
        aliases,
    )
    .await;
    sim.shutdown().await;
}
