//! The live feed under many viewers, in one run on one machine, for each upstream source (the
//! shared poller, then the node's event sinks):
//!
//! - upstream requests per minute with 1, 100 and 500 connected viewers (Server-Sent Events
//!   streams of signed-in people), counted by the simulator: they must not grow with viewers;
//! - the server's resident memory per connected viewer (from `/proc/<pid>/status`);
//! - the time from a change on the simulator (a participant dialled in through its command API)
//!   to the message that carries it on a viewer's stream, p50 and p99.
//!
//! The real `server` binary (release profile under `cargo bench`) against a simulator in this
//! process (v40 profile, demo data, HTTPS, the simulation clock stopped so that only the dialled
//! calls change anything). Event sink mode: the portal's receiver is configured and the bench
//! registers it on the simulator as a node's administrator would (version 2, no bulk).
//!
//! Run: `make bench-live` (`cargo bench -p server --bench live_feed`). `LIVE_BENCH_WINDOW_SECS`
//! (default 30) sets how long each viewer count is observed, `LIVE_BENCH_CHANGES` (default 40)
//! how many changes are timed.

#[path = "../server/tests/portal/support.rs"]
mod support;

use std::time::{Duration, Instant};

use pexip::client::{Api, Client, PexipConfig, Secret};
use serde_json::json;
use simulator::{DataSet, Profile, SimOptions};
use support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, temp_dir};
use tokio::sync::mpsc;

const PEXIP_PASSWORD: &str = "bench-live-pexip-password";
const SINK_PASSWORD: &str = "bench-live-sink-password";
const VIEWER_COUNTS: [usize; 3] = [1, 100, 500];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Poller,
    EventSink,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Poller => "poller",
            Mode::EventSink => "event sinks",
        }
    }
}

/// What one mode measured.
struct Figures {
    mode: Mode,
    /// (viewers, upstream requests per minute, server RSS in KiB).
    viewers: Vec<(usize, f64, u64)>,
    /// Change-to-stream times, sorted.
    latencies: Vec<Duration>,
}

impl Figures {
    fn percentile(&self, p: usize) -> f64 {
        let index = (self.latencies.len() * p / 100).min(self.latencies.len() - 1);
        self.latencies[index].as_secs_f64() * 1000.0
    }

    fn kib_per_viewer(&self) -> f64 {
        let (first_n, _, first_rss) = self.viewers[0];
        let (last_n, _, last_rss) = self.viewers[self.viewers.len() - 1];
        (last_rss as f64 - first_rss as f64) / (last_n - first_n) as f64
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let load_before = load_average();
    let mut results = Vec::new();
    for mode in [Mode::Poller, Mode::EventSink] {
        results.push(measure(mode).await);
    }
    let load_after = load_average();

    println!("| source | viewers | upstream requests/min | server RSS |");
    println!("|---|---:|---:|---:|");
    for figures in &results {
        for (viewers, per_minute, rss) in &figures.viewers {
            println!(
                "| {} | {viewers} | {per_minute:.0} | {:.1} MiB |",
                figures.mode.name(),
                *rss as f64 / 1024.0
            );
        }
    }
    println!();
    println!("| source | memory per viewer | change → stream p50 | p99 | changes |");
    println!("|---|---:|---:|---:|---:|");
    for figures in &results {
        println!(
            "| {} | {:.1} KiB | {:.0} ms | {:.0} ms | {} |",
            figures.mode.name(),
            figures.kib_per_viewer(),
            figures.percentile(50),
            figures.percentile(99),
            figures.latencies.len()
        );
    }
    println!("load average (1, 5, 15 min) before: {load_before}; after: {load_after}");
}

async fn measure(mode: Mode) -> Figures {
    let window = Duration::from_secs(env_number("LIVE_BENCH_WINDOW_SECS", 30));
    let changes = env_number("LIVE_BENCH_CHANGES", 40) as usize;
    let dir = temp_dir();
    let sim = simulator::start(SimOptions {
        admin_user: "admin".into(),
        admin_password: PEXIP_PASSWORD.into(),
        data: DataSet::Demo,
        profile: Profile::V40,
        tick_ms: 0,
        ..SimOptions::default()
    })
    .await
    .expect("the simulator starts");
    let ca_file = dir.path().join("pexip-ca.pem");
    std::fs::write(&ca_file, sim.cert_pem().expect("HTTPS")).expect("write the CA file");
    let mut setup = ServerSetup::new(&dir.path().join("data"))
        .env("PORTAL_PEXIP__URL", sim.url())
        .env("PORTAL_PEXIP__USERNAME", "admin")
        .env("PORTAL_PEXIP__PASSWORD", PEXIP_PASSWORD)
        .env("PORTAL_PEXIP__CA_FILE", ca_file.display().to_string())
        .env("RUST_LOG", "warn,server=info");
    setup = match mode {
        Mode::Poller => setup.env("PORTAL_LIVE__SOURCE", "poller"),
        Mode::EventSink => setup
            .env("PORTAL_LIVE__SOURCE", "event_sink")
            .env("PORTAL_LIVE__EVENT_SINK__PASSWORD", SINK_PASSWORD),
    };
    let server = Server::start(setup).await;
    let node = Client::with_ca_pem(
        &PexipConfig {
            url: Some(sim.url().to_owned()),
            password: Some(Secret::new(PEXIP_PASSWORD)),
            ..PexipConfig::default()
        },
        sim.cert_pem().expect("HTTPS"),
    )
    .expect("a client");
    if mode == Mode::EventSink {
        register_sink(&node, &server).await;
    }
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let cookie = admin.cookie.clone().expect("signed in");
    let http = reqwest::Client::new();

    // The timed viewer: every message it receives, with when it arrived.
    let (messages_tx, mut messages) = mpsc::unbounded_channel();
    let mut viewers = vec![open_viewer(&http, &server, &cookie, Some(messages_tx)).await];
    let mut counts = Vec::new();
    for target in VIEWER_COUNTS {
        while viewers.len() < target {
            viewers.push(open_viewer(&http, &server, &cookie, None).await);
        }
        let before = sim.traffic().requests;
        let started = Instant::now();
        tokio::time::sleep(window).await;
        let requests = sim.traffic().requests - before;
        let per_minute = requests as f64 * 60.0 / started.elapsed().as_secs_f64();
        counts.push((target, per_minute, rss_kib(server.pid())));
    }

    // Changes: each a participant dialled into the demo's helpdesk bridge, timed until the
    // timed viewer's stream carries its name.
    while messages.try_recv().is_ok() {}
    let mut latencies = Vec::with_capacity(changes);
    for i in 0..changes {
        let name = format!("bench-caller-{i}-{}", std::process::id());
        let sent = Instant::now();
        let answer = node
            .command(
                "participant",
                "dial",
                &json!({
                    "conference_alias": "helpdesk@example.com",
                    "destination": format!("sip:{name}@example.com"),
                    "remote_display_name": name,
                    "role": "guest",
                    "system_location": "London",
                }),
            )
            .await
            .expect("the simulator dials");
        let arrived = loop {
            let (at, text): (Instant, String) =
                tokio::time::timeout(Duration::from_secs(30), messages.recv())
                    .await
                    .expect("the change reaches the stream within 30 s")
                    .expect("the timed viewer's stream stays open");
            if text.contains(&name) {
                break at;
            }
        };
        latencies.push(arrived - sent);
        // Hang up again so that the state stays the demo's size.
        if let Some(id) = answer["data"]["participant_id"].as_str() {
            let _ = node
                .command(
                    "participant",
                    "disconnect",
                    &json!({ "participant_id": id }),
                )
                .await;
        }
    }
    latencies.sort();
    for viewer in viewers {
        viewer.abort();
    }
    server.stop().await;
    drop(sim);
    Figures {
        mode,
        viewers: counts,
        latencies,
    }
}

/// Registers the portal's receiver on the simulator (every node sends to a sink no location
/// lists).
async fn register_sink(node: &Client, server: &Server) {
    let body = json!({
        "name": "Pexip Portal bench",
        "url": server.url(bff::live::config::DEFAULT_SINK_PATH),
        "username": "pexip-portal",
        "password": SINK_PASSWORD,
        "version": 2,
        "bulk_support": false,
    });
    node.create(Api::Configuration, "event_sink", &body)
        .await
        .expect("the event sink is created");
}

/// Opens a viewer's stream and waits for its first message (the snapshot). With `messages`,
/// every later message is sent there with its arrival time; otherwise they are read and dropped.
async fn open_viewer(
    http: &reqwest::Client,
    server: &Server,
    cookie: &str,
    messages: Option<mpsc::UnboundedSender<(Instant, String)>>,
) -> tokio::task::JoinHandle<()> {
    let mut response = http
        .get(server.url(bff::live::model::STREAM_PATH))
        .header("cookie", cookie)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("the stream opens");
    assert_eq!(response.status(), 200, "the stream answers 200");
    let (first_tx, first) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let mut first_tx = Some(first_tx);
        let mut pending = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            let at = Instant::now();
            pending.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = pending.find("\n\n") {
                let event: String = pending.drain(..end + 2).collect();
                if !event.contains("data:") {
                    continue; // a keep-alive comment
                }
                if let Some(tx) = first_tx.take() {
                    let _ = tx.send(());
                } else if let Some(messages) = &messages {
                    let _ = messages.send((at, event));
                }
            }
        }
    });
    tokio::time::timeout(Duration::from_secs(30), first)
        .await
        .expect("the snapshot arrives within 30 s")
        .expect("the stream sends a snapshot");
    task
}

/// The process's resident memory (KiB).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
