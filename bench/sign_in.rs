//! Sign-in time of each way in, measured in one run on one machine, and whether sign-ins hold up
//! other requests.
//!
//! The real `server` binary (this build's profile: `cargo bench` builds it with the release
//! profile) runs against the simulator (demo data, HTTPS), a throwaway OpenLDAP
//! (`scripts/ldap-test-server.sh`, the people of `end2end/ldap/seed.ldif`) and the test OpenID
//! provider (`end2end/oidc/provider.mjs`, npm `oidc-provider`), all on loopback. Login
//! throttling is off in its configuration (`login_throttle` limits 0): concurrent attempts count
//! as failures while they are in flight, and a burst of 50 would otherwise be throttled.
//!
//! 1. Sign-in time, `SIGN_INS` each after `WARM_UP` unmeasured, one at a time, from a signed-out
//!    browser to the signed-in `POST /api/auth/me`:
//!    - local password: `POST /api/auth/login` as `admin` (Argon2id, the `argon2` crate's
//!      defaults: slow on purpose), then `me`;
//!    - directory: `POST /api/auth/login` as `helen` (no local account of that name, so the
//!      directory: service bind, search, bind as her, group mapping, account refresh), then `me`;
//!    - OpenID: the provider's whole round trip as a browser does it — `GET /auth/oidc/test/start`,
//!      the provider's redirects and its sign-in form (a new browser at the provider each time,
//!      so it asks who signs in), the callback (the portal redeems the code and checks the ID
//!      token), then `me`. The portal's own share (start, callback, `me`) is reported too.
//! 2. The rooms list (`POST /api/rooms/list` as admin, 20 rooms) sent `LIST_SAMPLES` times one
//!    at a time (from a thread and runtime of its own, on its own connection) while idle, then
//!    while 50 callers sign in through the directory over and over (each with its own
//!    connection): p50 and p99 of both, and their ratio. For comparison, the same while 50
//!    callers send `POST /api/auth/me` (a session read) over and over: on 2 cores any 50 busy
//!    callers slow the list down; sign-ins hold it up only if they do worse than that.
//!
//! Every phase stops at `PHASE_LIMIT` (reporting how many it did); the run is bounded by
//! `RUN_LIMIT`. Run: `make bench-sign-in` (`cargo bench -p server --bench sign_in`).

#[path = "../server/tests/portal/support.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use support::ldap::{LdapServer, PEOPLE, SERVICE_DN, SERVICE_PASSWORD};
use support::{
    ADMIN_PASSWORD, Browser, OidcProvider, Server, ServerSetup, Upstream, free_port,
    provider_browser, temp_dir,
};

const PEXIP_PASSWORD: &str = "bench-sign-in-pexip-password";
const PROVIDER: &str = "test";
/// A directory person's password (`end2end/ldap/seed.ldif`); a helpdesk person by her group.
const HELEN_PASSWORD: &str = "helen-password";
/// Measured sign-ins per path, after the unmeasured ones.
const SIGN_INS: usize = 200;
const WARM_UP: usize = 5;
/// Concurrent directory sign-ins while the rooms list is sampled.
const BURST: usize = 50;
/// Rooms list requests per scenario (idle, during the burst), after the unmeasured ones.
const LIST_SAMPLES: usize = 200;
const LIST_WARM_UP: usize = 20;
/// The longest one phase may take; the whole run.
const PHASE_LIMIT: Duration = Duration::from_secs(240);
const RUN_LIMIT: Duration = Duration::from_secs(1200);

/// Latencies of one scenario.
struct Figures {
    latencies: Vec<Duration>,
    /// Whether the phase stopped at `PHASE_LIMIT`.
    cut_short: bool,
}

impl Figures {
    fn new(mut latencies: Vec<Duration>, cut_short: bool) -> Figures {
        assert!(!latencies.is_empty(), "nothing measured");
        latencies.sort();
        Figures {
            latencies,
            cut_short,
        }
    }

    fn count(&self) -> String {
        let n = self.latencies.len();
        if self.cut_short {
            format!("{n} (time limit)")
        } else {
            n.to_string()
        }
    }

    /// Nearest-rank percentile, in milliseconds.
    fn ms(&self, p: usize) -> f64 {
        let n = self.latencies.len();
        let rank = (n * p).div_ceil(100).clamp(1, n);
        self.latencies[rank - 1].as_secs_f64() * 1000.0
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let finished = runtime.block_on(async { tokio::time::timeout(RUN_LIMIT, run()).await });
    if finished.is_err() {
        eprintln!("the bench did not finish within {RUN_LIMIT:?}");
        std::process::exit(1);
    }
    // The simulator's and the clients' tasks end with the runtime.
    runtime.shutdown_timeout(Duration::from_secs(5));
}

async fn run() {
    let load_before = load_average();
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let directory = LdapServer::start();
    let addr = format!("127.0.0.1:{}", free_port());
    let idp = OidcProvider::start(
        &format!("http://{addr}/auth/oidc/{PROVIDER}/callback"),
        None,
    );
    let config = dir.path().join("portal.toml");
    std::fs::write(
        &config,
        format!(
            "[login_throttle]\nmax_failures_per_account = 0\nmax_failures_per_address = 0\n\n\
             [ldap]\nurl = \"{}\"\nbind_dn = \"{SERVICE_DN}\"\nbind_password = \"{SERVICE_PASSWORD}\"\n\
             user_base = \"{PEOPLE}\"\nuser_filter = \"(uid={{username}})\"\n\n\
             [[roles.rules]]\ngroup = \"video-helpdesk\"\nrole = \"helpdesk\"\n\n{}",
            directory.ldap_url(),
            idp.config_toml(PROVIDER)
        ),
    )
    .expect("write the configuration");
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .addr(&addr)
            .arg("--config")
            .arg(config.display().to_string())
            .envs(upstream.env())
            // Logging every request would measure the terminal (`server=info`: the start line).
            .env("RUST_LOG", "warn,server=info"),
    )
    .await;

    let local = password_sign_ins(&server, "admin", ADMIN_PASSWORD, "admin").await;
    let ldap = password_sign_ins(&server, "helen", HELEN_PASSWORD, "ldap:helen").await;
    let (oidc, oidc_portal) = sso_sign_ins(&server).await;

    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let rooms = RoomsList {
        http: reqwest::Client::new(),
        url: server.url("/api/rooms/list"),
        cookie: admin.cookie.clone().expect("signed in"),
    };
    let idle = rooms.sample_apart().await;
    let (busy, burst) = under_load(&server, &rooms, Load::DirectorySignIns).await;
    let (control, checks) = under_load(&server, &rooms, Load::SessionChecks).await;
    let load_after = load_average();
    let exit = server.stop().await;
    assert!(exit.success(), "the server stopped cleanly: {exit:?}");
    drop(idp);
    drop(directory);

    println!("| sign-in path | sign-ins | p50 | p99 |");
    println!("|---|---:|---:|---:|");
    for (path, figures) in [
        ("local password (Argon2id)", &local),
        ("directory (LDAP)", &ldap),
        ("OpenID Connect, whole browser round trip", &oidc),
        ("… of which the portal's requests", &oidc_portal),
        (
            "directory, 50 concurrent callers (during the rooms list)",
            &burst,
        ),
    ] {
        println!(
            "| {path} | {} | {:.1} ms | {:.1} ms |",
            figures.count(),
            figures.ms(50),
            figures.ms(99)
        );
    }
    println!();
    println!("| rooms list (admin, 20 rooms) | requests | p50 | p99 |");
    println!("|---|---:|---:|---:|");
    for (scenario, figures) in [
        ("idle", &idle),
        ("during 50 concurrent directory sign-ins", &busy),
        ("during 50 concurrent `auth/me` callers (control)", &control),
    ] {
        println!(
            "| {scenario} | {} | {:.1} ms | {:.1} ms |",
            figures.count(),
            figures.ms(50),
            figures.ms(99)
        );
    }
    println!();
    println!(
        "rooms list during the sign-ins / idle: p50 {:.2}, p99 {:.2}",
        busy.ms(50) / idle.ms(50),
        busy.ms(99) / idle.ms(99)
    );
    println!(
        "rooms list during the `auth/me` callers / idle: p50 {:.2}, p99 {:.2}",
        control.ms(50) / idle.ms(50),
        control.ms(99) / idle.ms(99)
    );
    println!(
        "done by the 50 callers while the rooms list was sampled: {} directory sign-ins, {} `auth/me`",
        burst.latencies.len(),
        checks.latencies.len()
    );
    println!("load average (1, 5, 15 min) before: {load_before}; after: {load_after}");
}

/// `SIGN_INS` password sign-ins as `username`, one at a time, each from a signed-out browser
/// (one connection, reused).
async fn password_sign_ins(
    server: &Server,
    username: &str,
    password: &str,
    expected: &str,
) -> Figures {
    let mut browser = Browser::new(server);
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(SIGN_INS);
    for i in 0..WARM_UP + SIGN_INS {
        let latency = password_sign_in(&mut browser, username, password, expected).await;
        if i >= WARM_UP {
            latencies.push(latency);
        }
        if started.elapsed() > PHASE_LIMIT {
            return Figures::new(latencies, true);
        }
    }
    Figures::new(latencies, false)
}

/// One sign-in through the login server function, from signed out to a `me` naming `expected`.
async fn password_sign_in(
    browser: &mut Browser,
    username: &str,
    password: &str,
    expected: &str,
) -> Duration {
    browser.cookie = None;
    browser.answers.clear();
    let started = Instant::now();
    browser.sign_in(username, password).await;
    let me = browser.me().await;
    let elapsed = started.elapsed();
    assert_eq!(me["username"], expected, "{me}");
    elapsed
}

/// `SIGN_INS` single sign-ons as olivia, one at a time: the whole round trip, and the portal's
/// requests in it (start, callback, `me`).
async fn sso_sign_ins(server: &Server) -> (Figures, Figures) {
    let mut browser = Browser::new(server);
    let started = Instant::now();
    let mut whole = Vec::with_capacity(SIGN_INS);
    let mut portal = Vec::with_capacity(SIGN_INS);
    let mut cut_short = false;
    for i in 0..WARM_UP + SIGN_INS {
        browser.cookie = None;
        browser.other_cookies.clear();
        browser.answers.clear();
        // A new browser at the provider: it asks who signs in.
        let at_provider = provider_browser();
        let t0 = Instant::now();
        let (url, binding) = browser.sso_start(PROVIDER, "/").await;
        let t1 = Instant::now();
        let trace = browser
            .sso_at_provider_in(&at_provider, PROVIDER, &url, &binding, Some("olivia"))
            .await;
        let t2 = Instant::now();
        let callback = browser.get(&trace.callback).await;
        assert_eq!(callback.status, 200, "{}", callback.body);
        let me = browser.me().await;
        let t3 = Instant::now();
        assert_eq!(me["username"], format!("{PROVIDER}:olivia"), "{me}");
        if i >= WARM_UP {
            whole.push(t3 - t0);
            portal.push((t1 - t0) + (t3 - t2));
        }
        if started.elapsed() > PHASE_LIMIT {
            cut_short = true;
            break;
        }
    }
    (
        Figures::new(whole, cut_short),
        Figures::new(portal, cut_short),
    )
}

/// What the 50 concurrent callers do while the rooms list is sampled.
#[derive(Clone, Copy)]
enum Load {
    /// Sign in through the directory, over and over (each from signed out).
    DirectorySignIns,
    /// `POST /api/auth/me` with a session, over and over: a cheap request, for comparison.
    SessionChecks,
}

/// The rooms list sampled (on its own thread) while `BURST` callers, each with its own
/// connection, do `load` without pause; and the callers' latencies meanwhile.
async fn under_load(server: &Server, rooms: &RoomsList, load: Load) -> (Figures, Figures) {
    let stop = Arc::new(AtomicBool::new(false));
    let mut callers = Vec::with_capacity(BURST);
    for _ in 0..BURST {
        let stop = stop.clone();
        let mut browser = Browser::new(server);
        if let Load::SessionChecks = load {
            browser.sign_in("helen", HELEN_PASSWORD).await;
        }
        callers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let latency = match load {
                    Load::DirectorySignIns => {
                        password_sign_in(&mut browser, "helen", HELEN_PASSWORD, "ldap:helen").await
                    }
                    Load::SessionChecks => {
                        browser.answers.clear();
                        let started = Instant::now();
                        let me = browser.me().await;
                        let elapsed = started.elapsed();
                        assert_eq!(me["username"], "ldap:helen", "{me}");
                        elapsed
                    }
                };
                latencies.push(latency);
            }
            latencies
        }));
    }
    // Every caller has its first request in flight.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sampled = rooms.sample_apart().await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for caller in callers {
        latencies.extend(caller.await.expect("a caller"));
    }
    (sampled, Figures::new(latencies, false))
}

/// The rooms list server function, signed in as admin.
struct RoomsList {
    http: reqwest::Client,
    url: String,
    cookie: String,
}

impl RoomsList {
    async fn list(&self) -> Duration {
        let started = Instant::now();
        let response = self
            .http
            .post(&self.url)
            .header("cookie", &self.cookie)
            .header("content-type", "application/json")
            .body(json!({"query": {"limit": 20, "offset": 0}}).to_string())
            .send()
            .await
            .expect("the portal answers");
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.expect("JSON");
        let elapsed = started.elapsed();
        assert_eq!(body["objects"].as_array().map(Vec::len), Some(20));
        elapsed
    }

    /// `LIST_WARM_UP` then `LIST_SAMPLES` lists, one at a time, from a thread and runtime of
    /// their own (so that the load's callers in this process do not delay the sampler's own
    /// client), on a connection of their own.
    async fn sample_apart(&self) -> Figures {
        let (url, cookie) = (self.url.clone(), self.cookie.clone());
        let (done, figures) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let figures = runtime.block_on(async {
                let rooms = RoomsList {
                    http: reqwest::Client::new(),
                    url,
                    cookie,
                };
                for _ in 0..LIST_WARM_UP {
                    rooms.list().await;
                }
                rooms.samples().await
            });
            let _ = done.send(figures);
        });
        figures.await.expect("the sampler thread")
    }

    /// `LIST_SAMPLES` lists, one at a time.
    async fn samples(&self) -> Figures {
        let started = Instant::now();
        let mut latencies = Vec::with_capacity(LIST_SAMPLES);
        for _ in 0..LIST_SAMPLES {
            latencies.push(self.list().await);
            if started.elapsed() > PHASE_LIMIT {
                return Figures::new(latencies, true);
            }
        }
        Figures::new(latencies, false)
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
