//! Runs the real `server` binary for integration tests: against a simulator started in this
//! process (real HTTPS, its certificate given as `pexip.ca_file`), on an ephemeral port, with
//! its stdout and stderr captured line by line. A small HTTP client signs in through the login
//! server function and keeps the session cookie, as a browser would.

#![allow(dead_code)] // Each test file uses a different part of this support module.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bff::db::testing::TestDataDir;
use reqwest::StatusCode;
use serde_json::Value;
use simulator::{DataSet, RunningSim, SimOptions};
use tokio::sync::watch;

/// The portal's first admin.
pub const ADMIN_PASSWORD: &str = "portal-admin-password-for-server-tests";
/// How long the server may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the server may take to stop after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// A simulator with demo data, HTTPS, the given Management Node password; its certificate is
/// written to `<dir>/pexip-ca.pem`.
pub struct Upstream {
    pub sim: RunningSim,
    pub password: String,
    pub ca_file: PathBuf,
}

impl Upstream {
    pub async fn start(dir: &Path, password: &str) -> Upstream {
        let sim = simulator::start(SimOptions {
            admin_user: "admin".into(),
            admin_password: password.into(),
            data: DataSet::Demo,
            tick_ms: 0,
            ..SimOptions::default()
        })
        .await
        .expect("the simulator starts");
        let ca_file = dir.join("pexip-ca.pem");
        std::fs::write(&ca_file, sim.cert_pem().expect("HTTPS")).expect("write the CA file");
        Upstream {
            sim,
            password: password.into(),
            ca_file,
        }
    }

    /// The environment pointing the portal at this simulator.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("PORTAL_PEXIP__URL".into(), self.sim.url().into()),
            ("PORTAL_PEXIP__USERNAME".into(), "admin".into()),
            ("PORTAL_PEXIP__PASSWORD".into(), self.password.clone()),
            (
                "PORTAL_PEXIP__CA_FILE".into(),
                self.ca_file.display().to_string(),
            ),
        ]
    }
}

/// Lines the server printed (stdout and stderr, interleaved as they arrived).
#[derive(Clone, Default)]
pub struct Log {
    lines: Arc<Mutex<Vec<String>>>,
}

impl Log {
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

/// A running `server` process.
pub struct Server {
    child: Option<Child>,
    pub addr: String,
    pub log: Log,
    /// Counts lines seen and pipes closed (2 when the process has gone).
    events: watch::Receiver<(usize, usize)>,
}

/// What a server is started with.
pub struct ServerSetup {
    pub data_dir: PathBuf,
    pub env: Vec<(String, String)>,
}

impl ServerSetup {
    /// A fresh data dir is up to the caller (sessions survive restarts on the same one).
    pub fn new(data_dir: &Path) -> ServerSetup {
        ServerSetup {
            data_dir: data_dir.to_path_buf(),
            env: Vec::new(),
        }
    }

    pub fn env(mut self, key: &str, value: impl Into<String>) -> ServerSetup {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn envs(mut self, pairs: Vec<(String, String)>) -> ServerSetup {
        self.env.extend(pairs);
        self
    }
}

/// The workspace's built site (`cargo leptos build` output), for `/pkg/*`.
pub fn site_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("site")
}

/// A free loopback port (bound, read and released; the server binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Server {
    /// Starts the server and returns once it says it is listening.
    pub async fn start(setup: ServerSetup) -> Server {
        let addr = format!("127.0.0.1:{}", free_port());
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .current_dir(&setup.data_dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LEPTOS_SITE_ADDR", &addr)
            .env("LEPTOS_SITE_ROOT", site_root())
            .env("LEPTOS_OUTPUT_NAME", "pexip-portal")
            .env("RUST_LOG", "info")
            .env("PORTAL_DATA_DIR", &setup.data_dir)
            .env("PORTAL_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &setup.env {
            command.env(key, value);
        }
        std::fs::create_dir_all(&setup.data_dir).expect("create the data dir");
        let mut child = command.spawn().expect("the server binary starts");
        let log = Log::default();
        let (events_tx, events) = watch::channel((0usize, 0usize));
        let events_tx = Arc::new(events_tx);
        spawn_reader(child.stdout.take().expect("stdout"), &log, &events_tx);
        spawn_reader(child.stderr.take().expect("stderr"), &log, &events_tx);
        let mut server = Server {
            child: Some(child),
            addr,
            log,
            events,
        };
        let listening = format!("listening on http://{}", server.addr);
        let log = server.log.clone();
        let _ = tokio::time::timeout(
            START_TIMEOUT,
            server
                .events
                .wait_for(|&(_, closed)| closed == 2 || log.text().contains(&listening)),
        )
        .await;
        assert!(
            server.log.text().contains(&listening),
            "the server did not start listening on {} within {START_TIMEOUT:?}; its output:\n{}",
            server.addr,
            server.log.text()
        );
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops the server with SIGTERM and waits until it has exited; returns its exit status.
    pub async fn stop(mut self) -> std::process::ExitStatus {
        self.terminate().await
    }

    async fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let signalled = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(signalled.success(), "SIGTERM could not be sent");
        let closed = tokio::time::timeout(
            STOP_TIMEOUT,
            self.events.wait_for(|&(_, closed)| closed == 2),
        )
        .await;
        if closed.is_err() {
            let _ = child.kill();
            panic!(
                "the server did not stop within {STOP_TIMEOUT:?} of SIGTERM:\n{}",
                self.log.text()
            );
        }
        child.wait().expect("the server's exit status")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn spawn_reader(
    pipe: impl Read + Send + 'static,
    log: &Log,
    events: &Arc<watch::Sender<(usize, usize)>>,
) {
    let log = log.clone();
    let events = events.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            log.push(line);
            events.send_modify(|(lines, _)| *lines += 1);
        }
        events.send_modify(|(_, closed)| *closed += 1);
    });
}

/// One HTTP answer, kept whole for the secrets scan.
#[derive(Debug, Clone)]
pub struct Answer {
    pub method: String,
    pub path: String,
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| {
            panic!(
                "{} {}: not JSON ({error}): {:?}",
                self.method, self.path, self.body
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A client of one server, keeping the session cookie like a browser, recording every answer.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    pub cookie: Option<String>,
    pub answers: Vec<Answer>,
}

impl Browser {
    pub fn new(server: &Server) -> Browser {
        Browser::for_base(&server.url(""))
    }

    pub fn for_base(base: &str) -> Browser {
        // reqwest is built without a default TLS provider (the portal speaks plain HTTP here,
        // but the builder wants one).
        let _ = rustls::crypto::ring::default_provider().install_default();
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .expect("an HTTP client"),
            base: base.to_string(),
            cookie: None,
            answers: Vec::new(),
        }
    }

    /// Talks to another server (same cookie).
    pub fn rebase(&mut self, server: &Server) {
        self.base = server.url("");
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send("GET", path, request).await
    }

    /// A server function taking JSON.
    pub async fn post_json(&mut self, path: &str, body: &Value) -> Answer {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string());
        self.send("POST", path, request).await
    }

    /// A server function taking a form (the default encoding, as a `<form>` posts it).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send("POST", path, request).await
    }

    /// Signs in through the login server function; panics unless a session cookie comes back.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Answer {
        let answer = self
            .post_form(
                "/api/auth/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        assert!(
            answer.status.is_success() || answer.status.is_redirection(),
            "sign-in as {username} failed: {} {}",
            answer.status,
            answer.body
        );
        assert!(self.cookie.is_some(), "no session cookie after sign-in");
        answer
    }

    /// Who the server thinks is signed in (`null` when nobody).
    pub async fn me(&mut self) -> Value {
        let answer = self.post_form("/api/auth/me", &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.json()
    }

    async fn send(&mut self, method: &str, path: &str, request: reqwest::RequestBuilder) -> Answer {
        let request = match &self.cookie {
            Some(cookie) => request.header("cookie", cookie),
            None => request,
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let status = response.status();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect();
        for (name, value) in &headers {
            if name == "set-cookie" {
                let pair = value.split(';').next().unwrap_or_default().trim();
                if let Some(v) = pair.strip_prefix("portal_session=") {
                    self.cookie = (!v.is_empty()).then(|| pair.to_string());
                }
            }
        }
        let bytes = response.bytes().await.unwrap_or_default();
        let answer = Answer {
            method: method.into(),
            path: path.into(),
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into(),
        };
        self.answers.push(answer.clone());
        answer
    }
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A fresh temporary folder (removed on drop).
pub fn temp_dir() -> TestDataDir {
    TestDataDir::create().expect("a temporary folder")
}

/// Counts of requests per method seen by the simulator since `before`.
pub fn delta(
    before: &simulator::TrafficStats,
    after: &simulator::TrafficStats,
) -> BTreeMap<String, u64> {
    after
        .requests_by_method
        .iter()
        .map(|(m, n)| (m.clone(), n - before.with_method(m)))
        .filter(|(_, n)| *n > 0)
        .collect()
}
