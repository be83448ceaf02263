//! Malformed input to every endpoint under `/api/` (issue #10): bad JSON, wrong types, missing
//! and unknown arguments, bodies that are not objects, invalid UTF-8, odd encodings, the wrong
//! content type and oversized bodies get a 4xx (400, 413 or 415) with a JSON error naming the
//! problem, anonymous callers get 401 before their body is looked at, and the server logs no
//! ERROR line and none of the values sent.
//!
//! The endpoints come from the server itself: `server --list-endpoints` prints server_fn's
//! registry of server functions with what each takes (encoding, argument names and kinds, read
//! by the API guard from the argument structs), so a new server function is tested as soon as it
//! exists, and one the guard does not describe fails this test. The plain routes (backup files,
//! rooms export, single sign-on) are listed here.

use crate::support::{ADMIN_PASSWORD, Browser, Log, Server, ServerSetup, Upstream, temp_dir};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PEXIP_PASSWORD: &str = "malformed-input-test-pexip-password";
/// `server.body_limit_bytes` for this server: small, so oversized bodies are quick to send.
const BODY_LIMIT: usize = 64 * 1024;
/// Sent inside values; the log must never contain it.
const MARKER: &str = "marker-5d1e-sent-by-the-malformed-input-test";
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// A server function as `server --list-endpoints` describes it.
#[derive(Debug)]
struct Endpoint {
    path: String,
    input: String,
    public: bool,
    /// Name and kind (`string`, `u64`, `option<string>`, `map`, `struct`, `any`, ...).
    args: Vec<(String, String)>,
}

impl Endpoint {
    fn is_json(&self) -> bool {
        self.input == JSON
    }

    /// The first argument that must be given.
    fn first_required(&self) -> Option<&str> {
        self.args
            .iter()
            .find(|(_, kind)| !kind.starts_with("option<"))
            .map(|(name, _)| name.as_str())
    }

    /// An argument name to put values under: the first one, or an unknown name.
    fn some_arg(&self) -> &str {
        self.args
            .first()
            .map(|(name, _)| name.as_str())
            .unwrap_or("x")
    }
}

/// The registered server functions, from the server binary.
fn listed_endpoints() -> Vec<Endpoint> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--list-endpoints")
        .env_clear()
        .output()
        .expect("server --list-endpoints runs");
    assert!(output.status.success(), "{output:?}");
    let listing: Value = serde_json::from_slice(&output.stdout).expect("the listing is JSON");
    assert_eq!(
        listing["undescribed"],
        serde_json::json!([]),
        "server functions without a line in server/src/api_guard.rs `described()`: add one each"
    );
    assert_eq!(
        listing["unregistered"],
        serde_json::json!([]),
        "lines in api_guard's `described()` for server functions that do not exist"
    );
    let endpoints: Vec<Endpoint> = listing["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .map(|e| Endpoint {
            path: e["path"].as_str().expect("path").to_string(),
            input: e["input"].as_str().expect("input").to_string(),
            public: e["public"].as_bool().expect("public"),
            args: e["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| {
                    (
                        a["name"].as_str().expect("name").to_string(),
                        a["kind"].as_str().expect("kind").to_string(),
                    )
                })
                .collect(),
        })
        .collect();
    assert!(
        endpoints.len() >= 40,
        "the registry lists only {} server functions: {endpoints:?}",
        endpoints.len()
    );
    for endpoint in &endpoints {
        assert_eq!(endpoint.path.split('/').nth(1), Some("api"), "{endpoint:?}");
        assert!(
            endpoint.input == JSON || endpoint.input == FORM,
            "{endpoint:?}"
        );
    }
    let public: Vec<&str> = endpoints
        .iter()
        .filter(|e| e.public)
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(
        public,
        [
            "/api/auth/login",
            "/api/auth/logout",
            "/api/auth/me",
            "/api/auth/options"
        ],
        "the public server functions"
    );
    endpoints
}

/// One malformed request and the answer it must get.
struct Case {
    name: String,
    content_type: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    status: StatusCode,
    /// The argument the error must name (in `fields`, as it or a path below it, and in the
    /// message).
    field: Option<String>,
}

impl Case {
    fn new(name: impl Into<String>, content_type: &str, body: impl Into<Vec<u8>>) -> Case {
        Case {
            name: name.into(),
            content_type: Some(content_type.to_string()),
            headers: Vec::new(),
            body: body.into(),
            status: StatusCode::BAD_REQUEST,
            field: None,
        }
    }

    fn naming(mut self, field: &str) -> Case {
        self.field = Some(field.to_string());
        self
    }

    fn status(mut self, status: StatusCode) -> Case {
        self.status = status;
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Case {
        self.headers.push((name, value.to_string()));
        self
    }

    fn without_content_type(mut self) -> Case {
        self.content_type = None;
        self
    }
}

/// Every malformed request for `endpoint`.
fn cases(endpoint: &Endpoint) -> Vec<Case> {
    let mut cases = if endpoint.is_json() {
        json_cases(endpoint)
    } else {
        form_cases(endpoint)
    };
    let own = endpoint.input.as_str();
    let other = if endpoint.is_json() { FORM } else { JSON };
    let arg = endpoint.some_arg();
    cases.extend([
        Case::new("another encoding", other, "{}").status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        Case::new("text/plain", "text/plain", "x=1").status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        Case::new("multipart", "multipart/form-data; boundary=x", "--x--")
            .status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        Case::new(
            "a charset other than UTF-8",
            &format!("{own}; charset=iso-8859-1"),
            "",
        )
        .status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        Case::new("a compressed body", own, vec![0x1f, 0x8b, 0x08, 0x00])
            .header("content-encoding", "gzip")
            .status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        Case::new("a body without a content type", own, "{}")
            .without_content_type()
            .status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        Case::new(
            "a body over the limit",
            own,
            format!("{arg}={}", "a".repeat(BODY_LIMIT)),
        )
        .status(StatusCode::PAYLOAD_TOO_LARGE),
    ]);
    cases
}

fn json_cases(endpoint: &Endpoint) -> Vec<Case> {
    let arg = endpoint.some_arg();
    let mut cases = vec![
        Case::new("bad JSON", JSON, format!("{{\"{arg}\": \"{MARKER}")),
        Case::new("trailing garbage", JSON, "{} {}"),
        Case::new("an empty body", JSON, ""),
        Case::new(
            "a string instead of an object",
            JSON,
            format!("\"{MARKER}\""),
        ),
        Case::new("a list instead of an object", JSON, "[1, 2]"),
        Case::new("null", JSON, "null"),
        Case::new(
            "invalid UTF-8",
            JSON,
            [b"{\"".as_slice(), arg.as_bytes(), b"\": \"\xff\xfe\"}"].concat(),
        ),
        Case::new(
            "an unknown argument",
            JSON,
            format!("{{\"no_such_argument\": \"{MARKER}\"}}"),
        )
        .naming("no_such_argument"),
        Case::new(
            "deeply nested JSON",
            JSON,
            format!(
                "{{\"{arg}\": {}{}}}",
                "[".repeat(20_000),
                "]".repeat(20_000)
            ),
        ),
        Case::new(
            "a number out of range",
            JSON,
            format!("{{\"{arg}\": 1e999999}}"),
        ),
    ];
    if let Some(required) = endpoint.first_required() {
        cases.push(Case::new("no arguments", JSON, "{}").naming(required));
    }
    for (name, kind) in &endpoint.args {
        cases.push(
            Case::new(
                format!("`{name}` given twice"),
                JSON,
                format!("{{\"{name}\": 1, \"{name}\": 2}}"),
            )
            .naming(name),
        );
        if kind == "any" {
            // Any JSON value has this type; its own checks come after decoding.
            continue;
        }
        cases.push(
            Case::new(
                format!("`{name}` of the wrong type"),
                JSON,
                format!("{{\"{name}\": [true, {{\"{MARKER}\": null}}]}}"),
            )
            .naming(name),
        );
        if kind != "string" && kind != "option<string>" {
            cases.push(
                Case::new(
                    format!("`{name}` as a string"),
                    JSON,
                    format!("{{\"{name}\": \"{MARKER}\"}}"),
                )
                .naming(name),
            );
        }
        if kind.starts_with('u') || kind.starts_with('i') {
            cases.push(
                Case::new(
                    format!("`{name}` too large"),
                    JSON,
                    format!("{{\"{name}\": 340282366920938463463374607431768211456}}"),
                )
                .naming(name),
            );
            cases.push(
                Case::new(
                    format!("`{name}` negative or fractional"),
                    JSON,
                    format!("{{\"{name}\": -0.5}}"),
                )
                .naming(name),
            );
        }
    }
    cases
}

fn form_cases(endpoint: &Endpoint) -> Vec<Case> {
    let arg = endpoint.some_arg();
    let mut cases = vec![
        Case::new("bad percent-encoding", FORM, format!("{arg}=%zz{MARKER}")),
        Case::new(
            "invalid UTF-8",
            FORM,
            [arg.as_bytes(), b"=\xff\xfe"].concat(),
        ),
        Case::new(
            "invalid UTF-8, percent-encoded",
            FORM,
            format!("{arg}=%ff%fe"),
        ),
        Case::new(
            "an unknown argument",
            FORM,
            format!("no_such_argument={MARKER}"),
        )
        .naming("no_such_argument"),
        Case::new("JSON in a form", FORM, format!("{{\"{arg}\": 1}}")),
    ];
    if let Some(required) = endpoint.first_required() {
        cases.push(Case::new("no arguments", FORM, "").naming(required));
    }
    for (name, kind) in &endpoint.args {
        cases.push(
            Case::new(
                format!("`{name}` given twice"),
                FORM,
                format!("{name}=1&{name}=2"),
            )
            .naming(name),
        );
        cases.push(
            Case::new(
                format!("`{name}` as a map"),
                FORM,
                format!("{name}[{MARKER}]=1"),
            )
            .naming(name),
        );
        cases.push(
            Case::new(
                format!("`{name}` as a list"),
                FORM,
                format!("{name}[]=1&{name}[]=2"),
            )
            .naming(name),
        );
        let integer = kind.trim_start_matches("option<").starts_with(['u', 'i']);
        if integer || kind.contains("bool") {
            cases.push(
                Case::new(
                    format!("`{name}` not a {kind}"),
                    FORM,
                    format!("{name}={MARKER}"),
                )
                .naming(name),
            );
        }
        if integer {
            cases.push(
                Case::new(
                    format!("`{name}` too large"),
                    FORM,
                    format!("{name}=340282366920938463463374607431768211456"),
                )
                .naming(name),
            );
        }
    }
    cases
}

/// A client sending raw bodies, with or without the session cookie.
struct Raw {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Raw {
    fn new(server: &Server, cookie: Option<String>) -> Raw {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Raw {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                // The server may answer a bad request before reading its body and then close the
                // connection: a pooled connection could be closed under the next request.
                .pool_max_idle_per_host(0)
                .build()
                .expect("an HTTP client"),
            base: server.url(""),
            cookie,
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, case: &Case) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .body(case.body.clone());
        if let Some(content_type) = &case.content_type {
            request = request.header("content-type", content_type);
        }
        for (name, value) in &case.headers {
            request = request.header(*name, value);
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("{path} ({}): {error}", case.name));
        Answer {
            status: response.status(),
            location: response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: response.text().await.unwrap_or_default(),
        }
    }

    async fn post(&self, path: &str, case: &Case) -> Answer {
        self.send(reqwest::Method::POST, path, case).await
    }

    async fn get(&self, path: &str) -> Answer {
        let case = Case::new("GET", "text/plain", "").without_content_type();
        self.send(reqwest::Method::GET, path, &case).await
    }
}

/// What is wrong with `answer` to `case` (an error in the server functions' JSON shape, `Invalid`
/// with a message, naming the expected field in `fields` and, for server functions, in the
/// message), if anything.
fn check_invalid(answer: &Answer, case: &Case) -> Option<String> {
    check_invalid_naming(answer, case, true)
}

fn check_invalid_naming(answer: &Answer, case: &Case, in_message: bool) -> Option<String> {
    if answer.status != case.status {
        return Some(format!(
            "answered {} instead of {}",
            answer.status, case.status
        ));
    }
    let Ok(error) = serde_json::from_str::<Value>(&answer.body) else {
        return Some("the answer is not JSON".into());
    };
    let message = error["Invalid"]["message"].as_str().unwrap_or_default();
    if message.is_empty() {
        return Some("no `Invalid` message".into());
    }
    if let Some(field) = &case.field {
        let fields = error["Invalid"]["fields"].as_object();
        let named = fields.is_some_and(|fields| {
            fields.keys().any(|key| {
                key == field
                    || key.starts_with(&format!("{field}."))
                    || key.starts_with(&format!("{field}["))
            })
        });
        if !named || (in_message && !message.contains(&format!("`{field}"))) {
            return Some(format!("`{field}` is not named"));
        }
    }
    None
}

fn describe(answer: &Answer) -> String {
    let body: String = answer.body.chars().take(300).collect();
    format!("{} {body}", answer.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_gets_a_clear_4xx_and_anonymous_callers_a_401_first() {
    let endpoints = listed_endpoints();
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
            .env("PORTAL_SERVER__BODY_LIMIT_BYTES", BODY_LIMIT.to_string()),
    )
    .await;
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let signed_in = Raw::new(&server, admin.cookie.clone());
    let anonymous = Raw::new(&server, None);

    let mut failures = Vec::new();
    let mut requests = 0usize;
    for endpoint in &endpoints {
        for case in cases(endpoint) {
            requests += 2;
            let answer = signed_in.post(&endpoint.path, &case).await;
            if let Some(problem) = check_invalid(&answer, &case) {
                failures.push(format!(
                    "{} as admin, {}: {problem}: {}",
                    endpoint.path,
                    case.name,
                    describe(&answer)
                ));
            }
            let answer = anonymous.post(&endpoint.path, &case).await;
            let problem = if endpoint.public {
                check_invalid(&answer, &case)
            } else if answer.status != StatusCode::UNAUTHORIZED || answer.body != "\"NotSignedIn\""
            {
                Some("not 401 \"NotSignedIn\"".into())
            } else {
                None
            };
            if let Some(problem) = problem {
                failures.push(format!(
                    "{} signed out, {}: {problem}: {}",
                    endpoint.path,
                    case.name,
                    describe(&answer)
                ));
            }
        }
    }

    // A streamed (chunked) body over the limit, without Content-Length.
    let rooms_list = endpoints
        .iter()
        .find(|e| e.path == "/api/rooms/list")
        .expect("rooms/list is listed");
    let status = chunked_post(&server, &rooms_list.path, admin.cookie.as_deref()).await;
    requests += 1;
    if status != 413 {
        failures.push(format!(
            "{} as admin, a chunked body over the limit: answered {status}",
            rooms_list.path
        ));
    }

    requests += plain_routes(&signed_in, &anonymous, &mut failures).await;

    // The session still works: nothing above signed the admin out or ran a function.
    let me = admin.me().await;
    assert_eq!(me["username"], "admin", "{me}");

    check_log(&server.log, requests, &mut failures);
    assert!(
        failures.is_empty(),
        "{} of {requests} malformed requests were answered wrongly:\n{}",
        failures.len(),
        failures.join("\n")
    );
    server.stop().await;
}

/// `POST path` with a chunked body larger than the limit; the answer's status code.
async fn chunked_post(server: &Server, path: &str, cookie: Option<&str>) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(&server.addr)
        .await
        .expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {JSON}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n{}\r\n",
        server.addr,
        cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let chunk = format!("{:x}\r\n{}\r\n", 4096, "a".repeat(4096));
    // The server may answer and close before the whole body is sent.
    for _ in 0..(BODY_LIMIT / 4096 + 4) {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer to the chunked request: {answer:?}"))
}

/// The plain routes under `/api/` and the single sign-on routes, with garbage; the number of
/// requests sent.
async fn plain_routes(signed_in: &Raw, anonymous: &Raw, failures: &mut Vec<String>) -> usize {
    let mut sent = 0;
    let boundary = "----malformed-input-boundary";
    let restores = [
        Case::new("text/plain", "text/plain", MARKER),
        Case::new(
            "multipart without a boundary",
            "multipart/form-data",
            "--x\r\n",
        ),
        Case::new(
            "garbage multipart",
            &format!("multipart/form-data; boundary={boundary}"),
            format!("--{boundary}\r\nContent-Disposition: form-data\r\n\r\n{MARKER}"),
        ),
        Case::new(
            "no file",
            &format!("multipart/form-data; boundary={boundary}"),
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\n\
                 {MARKER}\r\n--{boundary}--\r\n"
            ),
        )
        .naming("package"),
        Case::new("JSON", JSON, "{\"package\": 1}"),
    ];
    for case in &restores {
        sent += 2;
        let answer = signed_in.post("/api/backups/restore", case).await;
        if let Some(problem) = check_invalid_naming(&answer, case, false) {
            failures.push(format!(
                "/api/backups/restore as admin, {}: {problem}: {}",
                case.name,
                describe(&answer)
            ));
        }
        let answer = anonymous.post("/api/backups/restore", case).await;
        if answer.status != StatusCode::UNAUTHORIZED {
            failures.push(format!(
                "/api/backups/restore signed out, {}: {}",
                case.name,
                describe(&answer)
            ));
        }
    }
    let long = "a".repeat(300);
    let gets = [
        "/api/backups/download/..%2F..%2Fetc%2Fpasswd".to_string(),
        "/api/backups/download/%00".to_string(),
        "/api/backups/download/%ff%fe".to_string(),
        "/api/backups/download/.hidden".to_string(),
        format!("/api/backups/download/{long}"),
        format!("/api/backups/download/a%22%0d%0aX-Injected:%20{MARKER}"),
        "/api/rooms/export.csv?name=a&name=b".to_string(),
        "/api/rooms/export.csv?type=a&type=b&order=c&order=d".to_string(),
        format!("/api/rooms/export.csv?name[{MARKER}]=1&alias=%zz"),
        "/api/rooms/export.csv?name=%ff%fe".to_string(),
        format!("/api/rooms/list?x=%zz{MARKER}"),
    ];
    for path in &gets {
        sent += 2;
        let answer = signed_in.get(path).await;
        let json = serde_json::from_str::<Value>(&answer.body).is_ok();
        if !answer.status.is_client_error() || !json {
            failures.push(format!("{path} as admin: {}", describe(&answer)));
        }
        let answer = anonymous.get(path).await;
        if answer.status != StatusCode::UNAUTHORIZED {
            failures.push(format!("{path} signed out: {}", describe(&answer)));
        }
    }
    // Single sign-on: a query that does not decode is a 400; any other garbage goes back to the
    // login page with an error code (a browser navigation); never a 5xx.
    let sso = [
        ("/auth/oidc/x/start?next=a&next=b", true),
        ("/auth/oidc/x/callback?code=a&code=b", true),
        ("/auth/oidc/x/callback?state=a&state=b&code=%ff", true),
        ("/auth/oidc/x/start?next=%ff%fe%00", false),
        ("/auth/oidc/%ff/callback?code=&state=&error=%0d%0a", false),
        ("/auth/oidc/x/callback?code[]=1&state[a]=2", false),
    ];
    for (path, must_be_400) in sso {
        for (who, client) in [("as admin", signed_in), ("signed out", anonymous)] {
            sent += 1;
            let answer = client.get(path).await;
            let to_login = answer.status.is_redirection()
                && answer
                    .location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/login"));
            let ok = if must_be_400 {
                answer.status == StatusCode::BAD_REQUEST
            } else {
                answer.status.is_client_error() || to_login
            };
            if !ok {
                failures.push(format!("{path} {who}: {}", describe(&answer)));
            }
        }
    }
    sent
}

/// No ERROR line, nothing that was sent, and at most one WARN line per request.
fn check_log(log: &Log, requests: usize, failures: &mut Vec<String>) {
    let lines = log.lines();
    for line in &lines {
        if line.contains("ERROR") {
            failures.push(format!("an ERROR line in the server's log: {line}"));
        }
        if line.contains(MARKER) {
            failures.push(format!(
                "a value from a request in the server's log: {line}"
            ));
        }
    }
    let warnings = lines.iter().filter(|l| l.contains("WARN")).count();
    if warnings > requests {
        failures.push(format!(
            "{warnings} WARN lines for {requests} requests: more than one per request"
        ));
    }
    let refusals = lines
        .iter()
        .filter(|l| l.contains("WARN") && l.contains("refused"))
        .count();
    if refusals == 0 {
        failures.push("no WARN line for the refused requests".into());
    }
}
