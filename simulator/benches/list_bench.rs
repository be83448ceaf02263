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

/// CPU time this thread has run, in nanoseconds (Linux `schedstat`; 0 elsewhere).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time (user + system) of the whole process, in milliseconds (Linux; 0 elsewhere).
fn process_cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may contain spaces) start at ") ".
    let Some(rest) = stat.rsplit_once(") ").map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line: 11 and 12 after the state field.
    (ticks(11) + ticks(12)) * 10.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Runs `REQUESTS` GETs of `paths` (round robin) with `IN_FLIGHT` workers.
async fn scenario(name: &str, base: &str, client: &Client, paths: Vec<String>) {
    let paths = Arc::new(paths);
    let started = Instant::now();
    let cpu_before = process_cpu_ms();
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
    let cpu_per_request = (process_cpu_ms() - cpu_before) / all.len().max(1) as f64;
    all.sort();
    println!(
        "{name}: {} requests in {:.2}s = {:.0} req/s; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         {cpu_per_request:.2} ms CPU per request (client + server)",
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
    engine_only(&sim);
    sim.shutdown().await;
}

/// The list engine alone on the same store (no HTTP, no TLS, no rendering): the CPU cost of
/// filtering, ordering and paging 10,000 objects.
fn engine_only(sim: &simulator::RunningSim) {
    use simulator::list::{ListQuery, NoRelations, run};
    let state = sim.state();
    let store = state.config.read().expect("store");
    let resource = state.catalogue.get("conference").expect("conference");
    let query = ListQuery::parse(Some(
        "service_type=conference&name__icontains=vmr-0&participant_limit__gte=10&order_by=-name&limit=20&offset=100",
    ));
    let rounds = 200;
    let t = Instant::now();
    let cpu = thread_cpu_ns();
    for _ in 0..rounds {
        let page = run(
            &query,
            &resource.schema,
            "/api/admin/configuration/v1/conference/",
            store.objects("conference"),
            &NoRelations,
        )
        .expect("list");
        assert_eq!(page.objects.len(), 20);
    }
    let cpu_ms = thread_cpu_ns().saturating_sub(cpu) as f64 / 1e6 / rounds as f64;
    println!(
        "list engine alone (same filtered+ordered query, 10,000 objects): {:.2} ms wall, {cpu_ms:.2} ms CPU per list",
        t.elapsed().as_secs_f64() * 1e3 / rounds as f64
    );
}
