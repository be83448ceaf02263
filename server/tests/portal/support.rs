//! Runs the real `server` binary for integration tests: against a simulator started in this
//! process (real HTTPS, its certificate given as `pexip.ca_file`), on an ephemeral port, with
//! its stdout and stderr captured line by line. A small HTTP client signs in through the login
//! server function and keeps the session cookie, as a browser would. Identity sources for the
//! sign-in tests: a throwaway slapd ([`ldap`]) and the test OpenID provider ([`OidcProvider`]),
//! whose redirect flow a browser follows by hand ([`Browser::sso_sign_in`]).

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
    /// Command-line arguments (e.g. `--config PATH`).
    pub args: Vec<String>,
    /// The listen address (`127.0.0.1:<port>`); unset: a free port. Set it when something
    /// started before the server must know its address (an OpenID provider's redirect URI).
    pub addr: Option<String>,
}

impl ServerSetup {
    /// A fresh data dir is up to the caller (sessions survive restarts on the same one).
    pub fn new(data_dir: &Path) -> ServerSetup {
        ServerSetup {
            data_dir: data_dir.to_path_buf(),
            env: Vec::new(),
            args: Vec::new(),
            addr: None,
        }
    }

    pub fn arg(mut self, arg: impl Into<String>) -> ServerSetup {
        self.args.push(arg.into());
        self
    }

    pub fn addr(mut self, addr: impl Into<String>) -> ServerSetup {
        self.addr = Some(addr.into());
        self
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
        let addr = setup
            .addr
            .clone()
            .unwrap_or_else(|| format!("127.0.0.1:{}", free_port()));
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .args(&setup.args)
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

    /// The process id (to read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// Waits until the server has printed a line containing `text` (at most `limit`);
    /// returns whether it has.
    pub async fn wait_for_line(&self, text: &str, limit: Duration) -> bool {
        let mut events = self.events.clone();
        let log = self.log.clone();
        let _ = tokio::time::timeout(limit, events.wait_for(|_| log.text().contains(text))).await;
        self.log.text().contains(text)
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
    /// The portal's other cookies (the single sign-on binding `portal_oidc`): name, value and
    /// path, sent like a browser only to paths under that path.
    pub other_cookies: Vec<(String, String, String)>,
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
            other_cookies: Vec::new(),
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
        let path_only = path.split('?').next().unwrap_or_default();
        let cookies: Vec<String> = self
            .cookie
            .iter()
            .cloned()
            .chain(
                self.other_cookies
                    .iter()
                    .filter(|(_, _, under)| path_only.starts_with(under.as_str()))
                    .map(|(name, value, _)| format!("{name}={value}")),
            )
            .collect();
        let request = if cookies.is_empty() {
            request
        } else {
            request.header("cookie", cookies.join("; "))
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
                } else if let Some((name, v)) = pair.split_once('=') {
                    let attribute = |key: &str| {
                        value.split(';').skip(1).find_map(|a| {
                            let (k, v) = a.trim().split_once('=')?;
                            k.eq_ignore_ascii_case(key).then(|| v.to_string())
                        })
                    };
                    let under = attribute("path").unwrap_or_else(|| "/".into());
                    self.other_cookies
                        .retain(|(n, _, p)| !(n == name && *p == under));
                    if !v.is_empty() && attribute("max-age").as_deref() != Some("0") {
                        self.other_cookies
                            .push((name.to_string(), v.to_string(), under));
                    }
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
pub fn encode(value: &str) -> String {
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

/// A throwaway OpenLDAP (slapd) run by `scripts/ldap-test-server.sh`: the bff tests' helper.
#[path = "../../../bff/tests/support/ldap.rs"]
pub mod ldap;

/// What the OpenID test provider prints once it listens.
const PROVIDER_READY: &str = "oidc test provider ready at ";
/// What the token-recording hook prints before each token endpoint answer (base64 of the body).
const TOKEN_ANSWER: &str = "oidc-test-token-answer ";
/// Loaded into the provider's node process with `--import`: prints every answer of the token
/// endpoint (the ID and access tokens the portal receives), so that a test knows them.
const TOKEN_HOOK: &str = r#"import http from 'node:http';
const end = http.ServerResponse.prototype.end;
http.ServerResponse.prototype.end = function (chunk, ...rest) {
  try {
    if (chunk && typeof chunk !== 'function' && this.req
        && new URL(this.req.url, 'http://x').pathname === '/token') {
      process.stdout.write(`oidc-test-token-answer ${Buffer.from(chunk).toString('base64')}\n`);
    }
  } catch {}
  return end.call(this, chunk, ...rest);
};
"#;

/// The test OpenID provider (`end2end/oidc/provider.mjs`, npm `oidc-provider`) on a free
/// loopback port, with its `portal` client (secret [`OidcProvider::CLIENT_SECRET`]) allowed to
/// redirect to `redirect_uri`. Killed on drop.
pub struct OidcProvider {
    child: Option<Child>,
    pub issuer: String,
    output: Arc<Mutex<Vec<String>>>,
}

impl OidcProvider {
    pub const CLIENT_ID: &str = "portal";
    pub const CLIENT_SECRET: &str = "portal-secret";

    /// Starts it; with `record_tokens`, its token endpoint answers are kept
    /// ([`OidcProvider::token_answers`]; the hook is written into `dir`).
    pub fn start(redirect_uri: &str, record_tokens: Option<&Path>) -> OidcProvider {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(
            root.join("node_modules/oidc-provider/package.json")
                .exists(),
            "the OpenID sign-in needs the npm package oidc-provider: run `npm ci` (or `make setup`) \
             at the repository root"
        );
        let mut command = Command::new("node");
        if let Some(dir) = record_tokens {
            let hook = dir.join("oidc-token-hook.mjs");
            std::fs::write(&hook, TOKEN_HOOK).expect("write the token hook");
            command
                .arg("--import")
                .arg(format!("file://{}", hook.display()));
        }
        let mut child = command
            .arg(root.join("end2end/oidc/provider.mjs"))
            .env("OIDC_PORT", "0")
            .env("OIDC_REDIRECT_URIS", redirect_uri)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run node (Node.js 20 or later is needed): {e}"));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (ready, ready_rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let keep = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix(PROVIDER_READY) {
                    let _ = ready.send(issuer.to_owned());
                }
                keep.lock().unwrap().push(line);
            }
        });
        let keep = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                keep.lock().unwrap().push(line);
            }
        });
        let mut provider = OidcProvider {
            child: Some(child),
            issuer: String::new(),
            output,
        };
        match ready_rx.recv_timeout(START_TIMEOUT) {
            Ok(issuer) => provider.issuer = issuer,
            Err(_) => panic!(
                "the OpenID test provider did not get ready within {START_TIMEOUT:?}; its output:\n{}",
                provider.output()
            ),
        }
        provider
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    /// The token endpoint's answers so far (JSON bodies), when started with `record_tokens`.
    pub fn token_answers(&self) -> Vec<Value> {
        use base64::Engine;
        self.output
            .lock()
            .unwrap()
            .iter()
            .filter_map(|line| line.strip_prefix(TOKEN_ANSWER))
            .map(|b64| {
                let body = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("base64 from the hook");
                serde_json::from_slice(&body).expect("a JSON token answer")
            })
            .collect()
    }

    /// `[[oidc.providers]]` for the portal: id `id`, this issuer, the `portal` client.
    pub fn config_toml(&self, id: &str) -> String {
        format!(
            "[[oidc.providers]]\nid = \"{id}\"\nname = \"Test provider\"\nissuer = \"{}\"\n\
             client_id = \"{}\"\nclient_secret = \"{}\"\n",
            self.issuer,
            Self::CLIENT_ID,
            Self::CLIENT_SECRET
        )
    }

    /// Stops the provider (the portal then finds it unreachable).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A browser at the OpenID provider: its own cookies, redirects followed by hand.
pub fn provider_browser() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// Follows `url` at the provider, submitting its sign-in form as `login` (or cancelling when
/// `None`), until it redirects to an address starting with `back_to`; returns that address.
pub async fn at_provider(
    browser: &reqwest::Client,
    url: &str,
    login: Option<&str>,
    back_to: &str,
) -> String {
    let mut url = reqwest::Url::parse(url).expect("an absolute URL");
    for _ in 0..12 {
        let response = browser
            .get(url.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status();
        let next = if status.is_redirection() {
            let location = response.headers()["location"].to_str().expect("ASCII");
            url.join(location).expect("a redirect address")
        } else {
            let body = response.text().await.unwrap_or_default();
            assert!(
                status.is_success() && body.contains("name=\"login\""),
                "{url}: {status}: {body}"
            );
            let Some(login) = login else {
                url = reqwest::Url::parse(&format!("{url}/abort")).expect("URL");
                continue;
            };
            let response = browser
                .post(format!("{url}/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("login={}", encode(login)))
                .send()
                .await
                .unwrap_or_else(|e| panic!("POST {url}/login: {e}"));
            assert!(response.status().is_redirection(), "{}", response.status());
            let location = response.headers()["location"].to_str().expect("ASCII");
            url.join(location).expect("a redirect address")
        };
        if next.as_str().starts_with(back_to) {
            return next.into();
        }
        url = next;
    }
    panic!("the provider never redirected to {back_to}");
}

/// A query parameter of an absolute URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// What one single sign-on carried through the browser.
#[derive(Debug, Clone)]
pub struct SsoTrace {
    /// `state` of the authorization request.
    pub state: String,
    /// The `portal_oidc` cookie's value.
    pub binding: String,
    /// The authorization code the provider sent back (empty when it sent an error).
    pub code: String,
    /// The callback's path and query, as the provider redirected to it.
    pub callback: String,
}

impl Browser {
    /// `GET /auth/oidc/<provider>/start?next=…`: the authorization URL (the `303`'s
    /// `Location`) and the binding cookie's value.
    pub async fn sso_start(&mut self, provider: &str, next: &str) -> (String, String) {
        let answer = self
            .get(&format!(
                "/auth/oidc/{provider}/start?next={}",
                encode(next)
            ))
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let location = answer.header("location").expect("a Location").to_string();
        let binding = answer
            .headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .find_map(|(_, v)| v.strip_prefix("portal_oidc="))
            .and_then(|v| v.split(';').next())
            .expect("the binding cookie")
            .to_string();
        (location, binding)
    }

    /// The provider's part of a sign-in that [`Browser::sso_start`] began: a new browser at
    /// the provider signs in as `login` (or cancels) and is sent back to the portal's callback.
    pub async fn sso_at_provider(
        &self,
        provider: &str,
        authorization_url: &str,
        binding: &str,
        login: Option<&str>,
    ) -> SsoTrace {
        self.sso_at_provider_in(
            &provider_browser(),
            provider,
            authorization_url,
            binding,
            login,
        )
        .await
    }

    /// [`Browser::sso_at_provider`] with a given browser at the provider (its cookies decide
    /// whether the provider asks who signs in again).
    pub async fn sso_at_provider_in(
        &self,
        idp_browser: &reqwest::Client,
        provider: &str,
        authorization_url: &str,
        binding: &str,
        login: Option<&str>,
    ) -> SsoTrace {
        let back_to = format!("{}/auth/oidc/{provider}/callback", self.base);
        let callback = at_provider(idp_browser, authorization_url, login, &back_to).await;
        SsoTrace {
            state: query_param(authorization_url, "state").expect("a state"),
            binding: binding.to_string(),
            code: query_param(&callback, "code").unwrap_or_default(),
            callback: callback[self.base.len()..].to_string(),
        }
    }

    /// A whole single sign-on through `provider` as `login`, as a browser does it: start, the
    /// provider's redirects and sign-in form, the callback (a `200` page moving on to `next`).
    /// Panics unless a session cookie comes back.
    pub async fn sso_sign_in(&mut self, provider: &str, login: &str, next: &str) -> SsoTrace {
        let (authorization_url, binding) = self.sso_start(provider, next).await;
        let trace = self
            .sso_at_provider(provider, &authorization_url, &binding, Some(login))
            .await;
        let answer = self.get(&trace.callback).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "single sign-on as {login}: {:?} {}",
            answer.header("location"),
            answer.body
        );
        assert!(
            answer.body.contains("http-equiv=\"refresh\""),
            "{}",
            answer.body
        );
        assert!(
            self.cookie.is_some(),
            "no session cookie after single sign-on"
        );
        trace
    }
}
