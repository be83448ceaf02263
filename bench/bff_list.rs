//! A proxied list request through the BFF against the same request straight to the simulator,
//! in one run on one machine: throughput and latency (p50, p99) of each and their ratio, and the
//! upstream TCP connections the portal opens per 1,000 proxied requests (counted by the
//! simulator when it accepts them).
//!
//! Direct: `pexip::client::Client` (the very client the BFF uses) → simulator over HTTPS,
//! `GET /api/admin/configuration/v1/conference/?limit=20&offset=0`.
//! Proxied: HTTP client → the real `server` binary (this build's profile: `cargo bench` builds it
//! with the release profile) → `POST /api/rooms/list` signed in as admin → the same GET.
//! Both ends run on this machine; the simulator runs in this process, the server in its own.
//! Bare proxy: the floor any proxy pays here: this binary started again as a process of its own
//! (`BFF_LIST_BARE_PROXY`), an axum route with no session, guard or server function around the
//! same `Client::list_as` the portal uses, answering the page it gets (each room unparsed) as JSON.
//!
//! Each path is measured twice: first with everything sharing the machine's cores, then with the
//! portal and the bare proxy on core 1 and this process (the simulator and the callers) on core 0
//! (`taskset`), as when the portal has a machine of its own. Each round also prints the CPU time
//! (user + system, from `/proc`) every process spent per list.
//!
//! Run: `make bench-bff` (`cargo bench -p server --bench bff_list`).

#[path = "../server/tests/portal/support.rs"]
mod support;

use std::time::{Duration, Instant};

use pexip::Query;
use pexip::client::{Api, Client, PexipConfig, Secret};
use serde_json::json;
use support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};

const PEXIP_PASSWORD: &str = "bench-bff-pexip-password";
/// Requests per sequential scenario (one in flight).
const SEQUENTIAL: usize = 2_000;
/// Callers of the concurrent scenario, and requests they send in all.
const CALLERS: usize = 50;
const CONCURRENT: usize = 2_000;
const WARM_UP: usize = 100;

/// Throughput and latency of one scenario.
struct Figures {
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Figures {
    fn from(elapsed: Duration, mut latencies: Vec<Duration>) -> Figures {
        latencies.sort();
        Figures {
            requests: latencies.len(),
            elapsed,
            latencies,
        }
    }

    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: usize) -> f64 {
        let index = (self.requests * p / 100).min(self.requests - 1);
        self.latencies[index].as_secs_f64() * 1000.0
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    if std::env::var_os(BARE_PROXY).is_some() {
        runtime.block_on(bare_proxy::serve());
    } else {
        runtime.block_on(bench());
    }
}

async fn bench() {
    let load_before = load_average();
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
            // Logging every request would measure the terminal (`server=info`: the start line).
            .env("RUST_LOG", "warn,server=info"),
    )
    .await;
    let direct = Client::with_ca_pem(
        &PexipConfig {
            url: Some(upstream.sim.url().to_owned()),
            password: Some(Secret::new(PEXIP_PASSWORD)),
            ..PexipConfig::default()
        },
        upstream.sim.cert_pem().expect("HTTPS"),
    )
    .expect("a client");
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let cookie = admin.cookie.clone().expect("signed in");
    let proxied = Proxied {
        http: reqwest::Client::new(),
        url: server.url("/api/rooms/list"),
        cookie,
    };

    let (bare_process, bare_url) = bare_proxy::start(
        upstream.sim.url(),
        upstream.sim.cert_pem().expect("HTTPS"),
        PEXIP_PASSWORD,
        dir.path(),
    );
    let bare = Proxied {
        http: reqwest::Client::new(),
        url: bare_url,
        cookie: String::new(),
    };

    for _ in 0..WARM_UP {
        direct_list(&direct).await;
        proxied.list().await;
        bare.list().await;
    }

    let processes = Processes {
        bench: Cpu::of(std::process::id()),
        portal: Cpu::of(server.pid()),
        bare: Cpu::of(bare_process.id()),
    };
    let paths = Paths {
        direct: &direct,
        proxied: &proxied,
        bare: &bare,
        sim: &upstream.sim,
    };
    let shared = measure(&paths, &processes).await;
    // The portal (and the bare proxy) on a core of its own, the simulator and the callers on the
    // other: each on a machine of its own, as when deployed.
    let separate = if pin(&[
        (std::process::id(), 0),
        (server.pid(), 1),
        (bare_process.id(), 1),
    ]) {
        Some(measure(&paths, &processes).await)
    } else {
        None
    };
    drop(bare_process);
    let load_after = load_average();

    let proxied_requests = (SEQUENTIAL + CONCURRENT) as u64;
    let (upstream_gets, connections) = shared.upstream;
    server.stop().await;

    println!("### All on the same two cores\n");
    shared.print();
    match separate {
        Some(separate) => {
            println!("\n### The proxies on core 1, the simulator and the callers on core 0\n");
            separate.print();
        }
        None => {
            println!("\n(the proxies could not be given a core of their own: `taskset` failed)")
        }
    }
    println!();
    println!(
        "upstream for the {proxied_requests} proxied requests on the same cores: {upstream_gets} GETs, \
         {connections} TCP connections accepted ({:.2} per 1,000)",
        connections as f64 * 1000.0 / proxied_requests as f64
    );
    println!("load average (1, 5, 15 min) before: {load_before}; after: {load_after}");
    assert_eq!(
        upstream_gets, proxied_requests,
        "one upstream GET per proxied list (schema cached)"
    );
}

/// The three ways of asking for the rooms list.
struct Paths<'a> {
    direct: &'a Client,
    proxied: &'a Proxied,
    bare: &'a Proxied,
    /// Counts the upstream requests and connections.
    sim: &'a simulator::RunningSim,
}

/// The processes whose CPU time is counted: this one (the simulator and the callers), the portal
/// and the bare proxy.
struct Processes {
    bench: Cpu,
    portal: Cpu,
    bare: Cpu,
}

/// One measurement of the six scenarios, with the CPU each process spent on them.
struct Round {
    direct_sequential: Figures,
    direct_concurrent: Figures,
    proxied_sequential: Figures,
    proxied_concurrent: Figures,
    bare_sequential: Figures,
    bare_concurrent: Figures,
    /// Milliseconds of CPU: this process for the direct lists, for the proxied ones and for the
    /// bare proxy's; the portal and the bare proxy for theirs.
    bench_direct_ms: f64,
    bench_proxied_ms: f64,
    bench_bare_ms: f64,
    portal_ms: f64,
    bare_ms: f64,
    /// The upstream GETs and TCP connections the portal's lists made.
    upstream: (u64, u64),
}

async fn measure(paths: &Paths<'_>, cpu: &Processes) -> Round {
    let mark = cpu.bench.ms();
    let direct_sequential = sequential(|| direct_list(paths.direct)).await;
    let direct_concurrent = concurrent(paths.direct).await;
    let bench_direct_ms = cpu.bench.ms() - mark;

    let (mark, portal_mark) = (cpu.bench.ms(), cpu.portal.ms());
    let before = paths.sim.traffic();
    let proxied_sequential = sequential(|| paths.proxied.list()).await;
    let proxied_concurrent = concurrent(paths.proxied).await;
    let after = paths.sim.traffic();
    let (bench_proxied_ms, portal_ms) = (cpu.bench.ms() - mark, cpu.portal.ms() - portal_mark);

    let (mark, bare_mark) = (cpu.bench.ms(), cpu.bare.ms());
    let bare_sequential = sequential(|| paths.bare.list()).await;
    let bare_concurrent = concurrent(paths.bare).await;
    let (bench_bare_ms, bare_ms) = (cpu.bench.ms() - mark, cpu.bare.ms() - bare_mark);
    Round {
        direct_sequential,
        direct_concurrent,
        proxied_sequential,
        proxied_concurrent,
        bare_sequential,
        bare_concurrent,
        bench_direct_ms,
        bench_proxied_ms,
        bench_bare_ms,
        portal_ms,
        bare_ms,
        upstream: (
            after.with_method("GET") - before.with_method("GET"),
            after.connections_accepted - before.connections_accepted,
        ),
    }
}

impl Round {
    fn print(&self) {
        println!("| scenario | path | requests/s | p50 | p99 |");
        println!("|---|---|---:|---:|---:|");
        for (scenario, path, figures) in [
            ("sequential", "direct", &self.direct_sequential),
            ("sequential", "through the BFF", &self.proxied_sequential),
            ("sequential", "through a bare proxy", &self.bare_sequential),
            (
                "50 concurrent callers",
                "direct (max_in_flight 4)",
                &self.direct_concurrent,
            ),
            (
                "50 concurrent callers",
                "through the BFF",
                &self.proxied_concurrent,
            ),
            (
                "50 concurrent callers",
                "through a bare proxy",
                &self.bare_concurrent,
            ),
        ] {
            println!(
                "| {scenario} | {path} | {:.0} | {:.2} ms | {:.2} ms |",
                figures.per_second(),
                figures.percentile(50),
                figures.percentile(99)
            );
        }
        println!();
        for (path, note, scenario, direct, through) in [
            (
                "BFF",
                "",
                "sequential",
                &self.direct_sequential,
                &self.proxied_sequential,
            ),
            (
                "BFF",
                "",
                "concurrent",
                &self.direct_concurrent,
                &self.proxied_concurrent,
            ),
            (
                "bare proxy",
                " (the floor here)",
                "sequential",
                &self.direct_sequential,
                &self.bare_sequential,
            ),
            (
                "bare proxy",
                " (the floor here)",
                "concurrent",
                &self.direct_concurrent,
                &self.bare_concurrent,
            ),
        ] {
            println!(
                "{scenario}: {path}/direct throughput {:.2}{note}; added by the {path}: p50 {:+.2} ms, p99 {:+.2} ms",
                through.per_second() / direct.per_second(),
                through.percentile(50) - direct.percentile(50),
                through.percentile(99) - direct.percentile(99)
            );
        }
        let lists = (SEQUENTIAL + CONCURRENT) as f64;
        println!(
            "CPU per list (user + system over {lists} lists): direct: {:.3} ms in this process (the simulator \
             and the callers); through the BFF: {:.3} ms in the portal + {:.3} ms here; through the bare \
             proxy: {:.3} ms in the proxy + {:.3} ms here",
            self.bench_direct_ms / lists,
            self.portal_ms / lists,
            self.bench_proxied_ms / lists,
            self.bare_ms / lists,
            self.bench_bare_ms / lists,
        );
    }
}

/// Gives each process (all its threads) one CPU; false when that fails (one core, no `taskset`).
fn pin(processes: &[(u32, usize)]) -> bool {
    processes.iter().all(|(pid, cpu)| {
        std::process::Command::new("taskset")
            .args(["-a", "-p", "-c", &cpu.to_string(), &pid.to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

async fn sequential<F, Fut>(mut send: F) -> Figures
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut latencies = Vec::with_capacity(SEQUENTIAL);
    let started = Instant::now();
    for _ in 0..SEQUENTIAL {
        let t = Instant::now();
        send().await;
        latencies.push(t.elapsed());
    }
    Figures::from(started.elapsed(), latencies)
}

async fn direct_list(client: &Client) {
    let page = client
        .list(
            Api::Configuration,
            "conference",
            &Query::new().limit(20).offset(0),
        )
        .await
        .expect("a list straight from the simulator");
    assert_eq!(page.objects.len(), 20);
}

/// The rooms list server function, signed in.
#[derive(Clone)]
struct Proxied {
    http: reqwest::Client,
    url: String,
    cookie: String,
}

impl Lists for Proxied {
    async fn list(&self) {
        let response = self
            .http
            .post(&self.url)
            .header("cookie", &self.cookie)
            .header("content-type", "application/json")
            .body(
                json!({"query": {"name": null, "service_type": null, "order_by": null, "limit": 20, "offset": 0}})
                    .to_string(),
            )
            .send()
            .await
            .expect("the BFF answers");
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["objects"].as_array().map(Vec::len), Some(20));
    }
}

/// One way of asking for the rooms list: straight from the simulator, through the BFF, or
/// through the bare proxy.
trait Lists: Clone + Send + Sync + 'static {
    fn list(&self) -> impl Future<Output = ()> + Send;
}

impl Lists for Client {
    fn list(&self) -> impl Future<Output = ()> + Send {
        direct_list(self)
    }
}

/// 50 callers sending `CONCURRENT` lists in all the way `lists` asks.
async fn concurrent(lists: &impl Lists) -> Figures {
    let started = Instant::now();
    let callers: Vec<_> = (0..CALLERS)
        .map(|_| {
            let lists = lists.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(CONCURRENT / CALLERS);
                for _ in 0..CONCURRENT / CALLERS {
                    let t = Instant::now();
                    lists.list().await;
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(CONCURRENT);
    for caller in callers {
        latencies.extend(caller.await.expect("caller"));
    }
    Figures::from(started.elapsed(), latencies)
}

const BARE_PROXY: &str = "BFF_LIST_BARE_PROXY";

/// The bare proxy: its process and its one route.
mod bare_proxy {
    use super::BARE_PROXY;
    use axum::{Router, http::header, response::IntoResponse, routing::post};
    use pexip::client::{Api, Client, PexipConfig, Secret};
    use pexip::{ListResponse, Query};
    use serde_json::value::RawValue;
    use std::io::{BufRead, BufReader};
    use std::path::Path;
    use std::process::{Child, Command, Stdio};

    /// The proxy process (killed when dropped).
    pub struct Process(Child);

    impl Process {
        pub fn id(&self) -> u32 {
            self.0.id()
        }
    }

    impl Drop for Process {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// Starts this binary again as the bare proxy in front of `url`; answers it and its
    /// `/api/rooms/list` URL once it listens.
    pub fn start(url: &str, cert_pem: &str, password: &str, dir: &Path) -> (Process, String) {
        let ca_file = dir.join("bare-proxy-ca.pem");
        std::fs::write(&ca_file, cert_pem).expect("the CA file");
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .env(BARE_PROXY, "1")
            .env("BARE_PROXY_UPSTREAM", url)
            .env("BARE_PROXY_CA_FILE", &ca_file)
            .env("BARE_PROXY_PASSWORD", password)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the bare proxy starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its output"))
            .read_line(&mut line)
            .expect("its address");
        let url = format!("http://{}/api/rooms/list", line.trim());
        (Process(child), url)
    }

    /// The proxy's side: listens on a free loopback port, writes it on the first line.
    pub async fn serve() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let setting = |name: &str| std::env::var(name).expect(name);
        let client = Client::with_ca_pem(
            &PexipConfig {
                url: Some(setting("BARE_PROXY_UPSTREAM")),
                password: Some(Secret::new(setting("BARE_PROXY_PASSWORD"))),
                ..PexipConfig::default()
            },
            &std::fs::read_to_string(setting("BARE_PROXY_CA_FILE")).expect("the CA file"),
        )
        .expect("a client");
        let app = Router::new().route(
            "/api/rooms/list",
            post(move || {
                let client = client.clone();
                async move {
                    let page: ListResponse<Box<RawValue>> = client
                        .list_as(
                            Api::Configuration,
                            "conference",
                            &Query::new().limit(20).offset(0),
                        )
                        .await
                        .expect("a page");
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        serde_json::to_string(&page).expect("JSON"),
                    )
                        .into_response()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        println!("{}", listener.local_addr().expect("its address"));
        axum::serve(listener, app).await.expect("serving");
    }
}

/// The CPU time a process has used, from `/proc/<pid>/stat`.
struct Cpu(u32);

impl Cpu {
    fn of(pid: u32) -> Cpu {
        Cpu(pid)
    }

    /// User and system time of all its threads so far, in milliseconds (Linux counts them in
    /// ticks of 1/100 s, `USER_HZ`).
    fn ms(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.0)).expect("its /proc stat");
        // The fields after the command name (which is in parentheses and may hold spaces):
        // state is the 3rd field, utime the 14th and stime the 15th.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks = |n: usize| fields[n - 3].parse::<u64>().expect("ticks");
        (ticks(14) + ticks(15)) as f64 * 10.0
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
