//! No secret leaves the server: the real `server` binary runs against a simulator whose
//! Management Node password is distinctive, a directory (a slapd started here, its service
//! account's bind password set by the test) and an OpenID provider (`end2end/oidc/provider.mjs`,
//! its client secret known to the test), at `RUST_LOG=debug`. Every answer (status line, headers,
//! body) of a walk through the portal — pages, server functions with good and bad input, health
//! endpoints, unknown paths, static files, directory sign-ins with good and bad passwords and
//! with the directory stopped, single sign-ons through the provider's whole redirect flow
//! (followed by hand with a cookie jar) with replayed, stolen, forged and cancelled callbacks and
//! the provider gone, and the upstream failing in each fault mode — and every log line are
//! searched for: the Management Node password (also as HTTP Basic credentials), the LDAP bind
//! password, the OpenID client secret (also as Basic credentials), the people's passwords, and
//! each sign-in's authorization code, `state`, browser binding token, ID token and access token
//! (the provider's token answers are recorded by a hook in its node process). Allowed, and only
//! there: the binding token in its own `portal_oidc` Set-Cookie, the `state` in the start's
//! redirect to the provider, and the ID token as `id_token_hint` in the sign-out's redirect to the
//! provider (RP-initiated logout sends it through the browser by design). The built wasm/js/css
//! are searched by `end2end/tests/secrets.spec.ts` (they exist only after `cargo leptos build`).

use crate::support::ldap::{LdapServer, PEOPLE, SERVICE_DN};
use crate::support::{
    ADMIN_PASSWORD, Answer, Browser, OidcProvider, Server, ServerSetup, SsoTrace, Upstream, encode,
    free_port, query_param, temp_dir,
};
use base64::Engine;
use serde_json::json;
use simulator::{FaultConfig, RateLimit};

/// Distinctive enough that any occurrence is a leak.
const PEXIP_PASSWORD: &str = "Pexip-Mgmt-Secret-7d2c91ef";
/// The directory service account's password, set in the test's slapd.
const LDAP_BIND_PASSWORD: &str = "Ldap-Bind-Secret-3e8f0a61";
/// A person's directory password (`end2end/ldap/seed.ldif`) and a wrong one.
const HELEN_PASSWORD: &str = "helen-password";
const WRONG_DIRECTORY_PASSWORD: &str = "Wrong-Directory-Password-9c4d27";
/// The single sign-on provider's id in the portal.
const PROVIDER: &str = "test";

fn basic(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

/// Where a secret may appear in an answer (never in a log line).
#[derive(Clone, Copy, Debug, PartialEq)]
enum May {
    /// Nowhere.
    Nowhere,
    /// In its own `portal_oidc` Set-Cookie.
    BindingCookie,
    /// In the start's redirect to the provider (the authorization request's `state`).
    AuthorizationRequest,
    /// As `id_token_hint` in the sign-out's redirect to the provider.
    LogoutHint,
}

#[derive(Clone, Debug)]
struct Needle {
    what: String,
    value: String,
    may: May,
}

fn needle(what: impl Into<String>, value: impl Into<String>, may: May) -> Needle {
    let needle = Needle {
        what: what.into(),
        value: value.into(),
        may,
    };
    assert!(
        needle.value.len() >= 12,
        "{} is too short to search for: {:?}",
        needle.what,
        needle.value
    );
    needle
}

/// The configured secrets and the people's passwords: in no answer, no log line.
fn configured_secrets() -> Vec<Needle> {
    vec![
        needle("the Pexip password", PEXIP_PASSWORD, May::Nowhere),
        needle(
            "the Pexip Basic credentials",
            basic("admin", PEXIP_PASSWORD),
            May::Nowhere,
        ),
        needle("the LDAP bind password", LDAP_BIND_PASSWORD, May::Nowhere),
        needle(
            "the OpenID client secret",
            OidcProvider::CLIENT_SECRET,
            May::Nowhere,
        ),
        needle(
            "the OpenID client's Basic credentials",
            basic(OidcProvider::CLIENT_ID, OidcProvider::CLIENT_SECRET),
            May::Nowhere,
        ),
        needle("a directory password", HELEN_PASSWORD, May::Nowhere),
        needle(
            "a wrong directory password",
            WRONG_DIRECTORY_PASSWORD,
            May::Nowhere,
        ),
    ]
}

/// What the single sign-ons carried: codes, states, binding tokens, and the tokens the
/// provider's token endpoint gave the portal.
fn sign_in_secrets(traces: &[SsoTrace], token_answers: &[serde_json::Value]) -> Vec<Needle> {
    let mut needles = Vec::new();
    for (i, trace) in traces.iter().enumerate() {
        needles.push(needle(
            format!("sign-in {i}'s state"),
            &trace.state,
            May::AuthorizationRequest,
        ));
        needles.push(needle(
            format!("sign-in {i}'s binding token"),
            &trace.binding,
            May::BindingCookie,
        ));
        if !trace.code.is_empty() {
            needles.push(needle(
                format!("sign-in {i}'s authorization code"),
                &trace.code,
                May::Nowhere,
            ));
        }
    }
    for (i, answer) in token_answers.iter().enumerate() {
        if let Some(token) = answer["id_token"].as_str() {
            needles.push(needle(format!("ID token {i}"), token, May::LogoutHint));
            // Its signature alone (a token cut into parts or re-encoded still leaks it).
            let signature = token.rsplit('.').next().unwrap_or_default();
            needles.push(needle(
                format!("ID token {i}'s signature"),
                signature,
                May::LogoutHint,
            ));
        }
        if let Some(token) = answer["access_token"].as_str() {
            needles.push(needle(format!("access token {i}"), token, May::Nowhere));
        }
    }
    needles
}

/// Whether a header of an answer is the one place where `needle` may appear.
fn allowed(needle: &Needle, answer: &Answer, name: &str, value: &str, issuer: &str) -> bool {
    match needle.may {
        May::Nowhere => false,
        May::BindingCookie => {
            name == "set-cookie" && value.starts_with(&format!("portal_oidc={};", needle.value))
        }
        May::AuthorizationRequest => {
            name == "location"
                && answer.method == "GET"
                && answer
                    .path
                    .starts_with(&format!("/auth/oidc/{PROVIDER}/start"))
                && value.starts_with(&format!("{issuer}/"))
                && query_param(value, "state").as_deref() == Some(needle.value.as_str())
        }
        May::LogoutHint => {
            name == "location"
                && answer.path == "/api/auth/logout"
                && value.starts_with(&format!("{issuer}/"))
                && query_param(value, "id_token_hint")
                    .is_some_and(|hint| hint.contains(needle.value.as_str()))
        }
    }
}

/// Where a needle occurs in the answers outside its allowed place: `what: METHOD path (where)`.
fn leaks_in_answers(answers: &[Answer], needles: &[Needle], issuer: &str) -> Vec<String> {
    let mut leaks = Vec::new();
    for answer in answers {
        for needle in needles {
            let value = needle.value.as_str();
            if answer.status.to_string().contains(value) {
                leaks.push(format!(
                    "{}: {} {} status line",
                    needle.what, answer.method, answer.path
                ));
            }
            if answer.body.contains(value) {
                leaks.push(format!(
                    "{}: {} {} body",
                    needle.what, answer.method, answer.path
                ));
            }
            for (name, header) in &answer.headers {
                if name.contains(value)
                    || (header.contains(value) && !allowed(needle, answer, name, header, issuer))
                {
                    leaks.push(format!(
                        "{}: {} {} header {name}",
                        needle.what, answer.method, answer.path
                    ));
                }
            }
        }
    }
    leaks
}

fn leaks_in_log(lines: &[String], needles: &[Needle]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| {
            needles
                .iter()
                .filter(|needle| line.contains(&needle.value))
                .map(move |needle| format!("{}: {line}", needle.what))
        })
        .collect()
}

/// Local links (`href="/..."`) of a page.
fn local_links(html: &str) -> Vec<String> {
    let mut links: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(String::from)
        .collect();
    links.sort();
    links.dedup();
    links
}

/// Server functions with good and bad input, as an admin would call them.
async fn call_server_functions(browser: &mut Browser) {
    let list = browser
        .post_json(
            "/api/rooms/list",
            &json!({"query": {"name": null, "service_type": null, "order_by": "name", "limit": 5, "offset": 0}}),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let first_id = list.json()["objects"][0]["id"]
        .as_u64()
        .expect("the demo data has rooms");
    browser
        .post_json("/api/rooms/get", &json!({"id": first_id}))
        .await;
    let missing = browser
        .post_json("/api/rooms/get", &json!({"id": 987_654_321u64}))
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    // Refused values: the simulator's validation messages come back per field.
    let invalid = browser
        .post_json(
            "/api/rooms/create",
            &json!({"fields": {"name": "", "service_type": "conference", "pin": "12"}}),
        )
        .await;
    assert_eq!(invalid.status, 400, "{}", invalid.body);
    let created = browser
        .post_json(
            "/api/rooms/create",
            &json!({"fields": {"name": "Secrets test room", "service_type": "conference"}}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let duplicate = browser
        .post_json(
            "/api/rooms/create",
            &json!({"fields": {"name": "Secrets test room", "service_type": "conference"}}),
        )
        .await;
    assert_eq!(duplicate.status, 400, "{}", duplicate.body);
    let id = created.json().as_u64().expect("the new room's id");
    browser
        .post_json(
            "/api/rooms/update",
            &json!({"id": id, "changes": {"description": "changed by the secrets test"}}),
        )
        .await;
    browser
        .post_json(
            "/api/rooms/update",
            &json!({"id": id, "changes": {"pin": "x"}}),
        )
        .await;
    browser
        .post_json("/api/rooms/delete", &json!({"id": id}))
        .await;
    // Odd input: not JSON, wrong shapes, unknown resources.
    browser
        .post_json("/api/rooms/list", &json!("nonsense"))
        .await;
    browser
        .post_json("/api/rooms/get", &json!({"id": "../../status/v1/"}))
        .await;
    for path in ["/api/users/list", "/api/tenants/list", "/api/auth/me"] {
        browser.post_form(path, &[]).await;
    }
    browser
        .post_form(
            "/api/audit/list",
            &[
                ("username", ""),
                ("action", ""),
                ("limit", "20"),
                ("offset", "0"),
            ],
        )
        .await;
}

/// Directory sign-ins: a good password (a helpdesk person, through the group mapping), wrong
/// passwords, an unknown person, a filter injection, then the directory stopped.
async fn directory_sign_ins(server: &Server, directory: &LdapServer) -> Vec<Answer> {
    let mut helen = Browser::new(server);
    helen.sign_in("helen", HELEN_PASSWORD).await;
    let me = helen.me().await;
    assert_eq!(me["username"], "ldap:helen", "{me}");
    assert_eq!(me["role"], "helpdesk", "{me}");
    let home = helen.get("/").await;
    assert_eq!(home.status, 200);
    for page in local_links(&home.body) {
        helen.get(&page).await;
    }
    let list = helen
        .post_json(
            "/api/rooms/list",
            &json!({"query": {"limit": 5, "offset": 0}}),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    helen.post_form("/api/auth/logout", &[]).await;

    let mut visitor = Browser::new(server);
    for (username, password) in [
        ("helen", WRONG_DIRECTORY_PASSWORD),
        ("nobody-in-the-directory", WRONG_DIRECTORY_PASSWORD),
        ("*)(uid=*", WRONG_DIRECTORY_PASSWORD),
        ("bob", HELEN_PASSWORD),
    ] {
        let refused = visitor
            .post_form(
                "/api/auth/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(refused.status, 400, "{username}: {}", refused.body);
    }

    directory.stop();
    let down = visitor
        .post_form(
            "/api/auth/login",
            &[
                ("username", "helen"),
                ("password", HELEN_PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(down.status, 502, "{}", down.body);
    assert!(down.body.contains("directory"), "{}", down.body);
    // Local accounts keep working.
    let mut admin = Browser::new(server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;

    let mut answers = helen.answers;
    answers.extend(visitor.answers);
    answers.extend(admin.answers);
    answers
}

/// Where a refused callback sends the browser.
fn sso_error(answer: &Answer) -> String {
    assert_eq!(answer.status, 303, "{} {}", answer.path, answer.body);
    let location = answer.header("location").unwrap_or_default();
    location
        .strip_prefix("/login?sso_error=")
        .unwrap_or_else(|| panic!("{}: {location}", answer.path))
        .to_string()
}

/// Single sign-ons through the provider: two people signed in (pages visited), a replayed
/// callback, a stolen one (another browser), a used code with a new state, a cancelled sign-in,
/// RP-initiated sign-out, and a sign-in whose provider is gone before the callback.
async fn single_sign_ons(server: &Server, idp: &mut OidcProvider) -> (Vec<Answer>, Vec<SsoTrace>) {
    let mut traces = Vec::new();

    let mut olivia = Browser::new(server);
    let signed_in = olivia.sso_sign_in(PROVIDER, "olivia", "/rooms").await;
    traces.push(signed_in.clone());
    let me = olivia.me().await;
    assert_eq!(me["username"], format!("{PROVIDER}:olivia"), "{me}");
    assert_eq!(me["role"], "helpdesk", "{me}");
    let rooms = olivia.get("/rooms").await;
    assert_eq!(rooms.status, 200);
    for page in local_links(&rooms.body) {
        olivia.get(&page).await;
    }
    olivia.post_json("/api/rooms/cards", &json!({})).await;

    let mut alice = Browser::new(server);
    traces.push(alice.sso_sign_in(PROVIDER, "alice", "/").await);
    alice.get("/").await;
    let cards = alice.post_json("/api/rooms/cards", &json!({})).await;
    assert_eq!(cards.status, 200, "{}", cards.body);

    // The same callback again, and in another browser: refused.
    let replayed = olivia.get(&signed_in.callback).await;
    assert_eq!(sso_error(&replayed), "expired");
    let mut thief = Browser::new(server);
    let stolen = thief.get(&signed_in.callback).await;
    assert_eq!(sso_error(&stolen), "expired");

    // A sign-in finished in another browser than the one that started it.
    let mut starter = Browser::new(server);
    let (url, binding) = starter.sso_start(PROVIDER, "/").await;
    let elsewhere = starter
        .sso_at_provider(PROVIDER, &url, &binding, Some("oscar"))
        .await;
    traces.push(elsewhere.clone());
    let mut other = Browser::new(server);
    let answer = other.get(&elsewhere.callback).await;
    assert_eq!(sso_error(&answer), "expired");

    // A used code with a new sign-in's state: the provider refuses to redeem it.
    let (url, binding) = starter.sso_start(PROVIDER, "/").await;
    let fresh = starter
        .sso_at_provider(PROVIDER, &url, &binding, Some("oscar"))
        .await;
    traces.push(fresh.clone());
    let forged = starter
        .get(&format!(
            "/auth/oidc/{PROVIDER}/callback?code={}&state={}",
            encode(&signed_in.code),
            encode(&fresh.state)
        ))
        .await;
    assert_eq!(sso_error(&forged), "provider");

    // Cancelled at the provider.
    let (url, binding) = starter.sso_start(PROVIDER, "/").await;
    let cancelled = starter
        .sso_at_provider(PROVIDER, &url, &binding, None)
        .await;
    assert!(cancelled.code.is_empty(), "{cancelled:?}");
    traces.push(cancelled.clone());
    let answer = starter.get(&cancelled.callback).await;
    assert_eq!(sso_error(&answer), "provider");

    // Signing out of a single sign-on session signs out at the provider too.
    let out = olivia.post_form("/api/auth/logout", &[]).await;
    // A server function's redirect: a Location (with a 200 when called as the wasm does).
    assert!(
        out.status.is_redirection() || out.status.is_success(),
        "{}",
        out.status
    );
    let location = out.header("location").unwrap_or_default().to_string();
    assert!(
        location.starts_with(&idp.issuer) && query_param(&location, "id_token_hint").is_some(),
        "RP-initiated logout: {location}"
    );
    assert_eq!(olivia.me().await, serde_json::Value::Null);

    // The provider gone between its redirect and the callback: the code cannot be redeemed.
    let (url, binding) = starter.sso_start(PROVIDER, "/").await;
    let stranded = starter
        .sso_at_provider(PROVIDER, &url, &binding, Some("alice"))
        .await;
    traces.push(stranded.clone());
    idp.stop();
    let answer = starter.get(&stranded.callback).await;
    assert_eq!(sso_error(&answer), "unavailable");
    starter
        .get(&format!("/auth/oidc/{PROVIDER}/start?next=/"))
        .await;

    let mut answers = olivia.answers;
    for browser in [alice, thief, starter, other] {
        answers.extend(browser.answers);
    }
    (answers, traces)
}

/// The portal's configuration file: the directory (bind password from the environment), the
/// provider, and helpdesk for the directory's `video-helpdesk` group.
fn identity_config(directory: &LdapServer, idp: &OidcProvider) -> String {
    format!(
        "[ldap]\nurl = \"{}\"\nname = \"Example directory\"\nbind_dn = \"{SERVICE_DN}\"\n\
         user_base = \"{PEOPLE}\"\nuser_filter = \"(uid={{username}})\"\n\
         connect_timeout_secs = 2\ntimeout_secs = 5\n\n\
         [[roles.rules]]\ngroup = \"video-helpdesk\"\nrole = \"helpdesk\"\n\n{}",
        directory.ldap_url(),
        idp.config_toml(PROVIDER)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pexip_password_appears_in_no_answer_and_no_log_line() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    // The directory, with a bind password only this test knows.
    let directory = LdapServer::start();
    directory.modify(&format!(
        "dn: {SERVICE_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: {LDAP_BIND_PASSWORD}\n"
    ));
    // The provider must know the portal's callback, so the portal's address comes first.
    let addr = format!("127.0.0.1:{}", free_port());
    let mut idp = OidcProvider::start(
        &format!("http://{addr}/auth/oidc/{PROVIDER}/callback"),
        Some(dir.path()),
    );
    let config = dir.path().join("portal.toml");
    std::fs::write(&config, identity_config(&directory, &idp)).expect("write the config");
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .addr(&addr)
            .arg("--config")
            .arg(config.display().to_string())
            .envs(upstream.env())
            .env("PORTAL_LDAP__BIND_PASSWORD", LDAP_BIND_PASSWORD)
            .env("RUST_LOG", "debug"),
    )
    .await;

    // Signed out.
    let mut visitor = Browser::new(&server);
    assert_eq!(visitor.get("/healthz").await.status, 200);
    let ready = visitor.get("/readyz").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.json()["checks"]["pexip"], "ok");
    assert_eq!(visitor.get("/login").await.status, 200);
    assert!(visitor.get("/rooms").await.status.is_redirection());
    for path in [
        "/no-such-page",
        "/pkg/pexip-portal.js",
        "/pkg/pexip-portal.wasm",
        "/pkg/pexip-portal.css",
        "/pkg/../Cargo.toml",
        "/api/no-such-function",
    ] {
        visitor.get(path).await;
    }
    let anonymous = visitor
        .post_json(
            "/api/rooms/list",
            &json!({"query": {"limit": 5, "offset": 0}}),
        )
        .await;
    assert_eq!(anonymous.status, 401);
    let wrong = visitor
        .post_form(
            "/api/auth/login",
            &[("username", "admin"), ("password", PEXIP_PASSWORD)],
        )
        .await;
    assert_eq!(
        wrong.status, 400,
        "the Management Node's password is not a portal password"
    );
    // That attempt put the password into the request on purpose; it must not be echoed.

    // Signed in as admin: every page the navigation links to, then the server functions.
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let home = admin.get("/").await;
    assert_eq!(home.status, 200);
    let pages = local_links(&home.body);
    assert!(
        pages.iter().any(|p| p == "/rooms"),
        "the navigation links to the pages: {pages:?}"
    );
    for page in &pages {
        let answer = admin.get(page).await;
        assert!(
            answer.status.is_success() || answer.status == 404,
            "{page}: {}",
            answer.status
        );
    }
    call_server_functions(&mut admin).await;

    // Signing in with the directory and with the provider.
    let directory_answers = directory_sign_ins(&server, &directory).await;
    let (sso_answers, traces) = single_sign_ons(&server, &mut idp).await;
    // The hook's lines are read from the provider's stdout by a thread: give it a moment.
    let id_tokens = |answers: &[serde_json::Value]| {
        answers
            .iter()
            .filter(|answer| answer["id_token"].is_string())
            .count()
    };
    let mut token_answers = idp.token_answers();
    for _ in 0..50 {
        if id_tokens(&token_answers) >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        token_answers = idp.token_answers();
    }
    assert_eq!(
        id_tokens(&token_answers),
        2,
        "the provider issued ID tokens to olivia and alice: {token_answers:?}"
    );

    // The Management Node failing in every way the simulator can fail.
    let faults = [
        FaultConfig {
            error_rate: 1.0,
            ..FaultConfig::default()
        },
        FaultConfig {
            unavailable_rate: 1.0,
            ..FaultConfig::default()
        },
        FaultConfig {
            malformed_json_rate: 1.0,
            ..FaultConfig::default()
        },
        FaultConfig {
            drop_connection_rate: 1.0,
            ..FaultConfig::default()
        },
        FaultConfig {
            rate_limit: Some(RateLimit {
                max_requests: 0,
                window_ms: 60_000,
            }),
            ..FaultConfig::default()
        },
    ];
    for fault in faults {
        upstream.sim.faults().set(fault).expect("valid faults");
        let failed = admin
            .post_json(
                "/api/rooms/list",
                &json!({"query": {"name": null, "service_type": null, "order_by": null, "limit": 5, "offset": 0}}),
            )
            .await;
        assert_eq!(failed.status, 502, "{}", failed.body);
        admin
            .post_json(
                "/api/rooms/create",
                &json!({"fields": {"name": "During a fault", "service_type": "conference"}}),
            )
            .await;
        admin.get("/rooms").await;
        admin.get("/readyz").await;
    }
    upstream
        .sim
        .faults()
        .set(FaultConfig::default())
        .expect("no faults");

    // The Management Node gone entirely.
    upstream.sim.shutdown_handle().shutdown().await;
    let unreachable = admin.get("/readyz").await;
    assert_eq!(unreachable.status, 503, "{}", unreachable.body);
    admin.get("/rooms").await;
    let logout = admin.post_form("/api/auth/logout", &[]).await;
    assert!(logout.status.is_redirection() || logout.status.is_success());

    let log_handle = server.log.clone();
    let exit = server.stop().await;
    assert!(exit.success(), "the server stopped cleanly: {exit:?}");

    let mut answers = visitor.answers.clone();
    answers.extend(admin.answers.iter().cloned());
    answers.extend(directory_answers);
    answers.extend(sso_answers);
    let log = log_handle.lines();
    // Not vacuous: the walk produced answers with bodies, and the log is the debug log of a
    // server that talked to the simulator.
    assert!(answers.len() > 40, "only {} answers", answers.len());
    assert!(
        log.iter().any(|l| l.contains("DEBUG")),
        "RUST_LOG=debug gave no debug lines"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("Pexip Management API client ready")),
        "the log does not show the client"
    );

    for expected in [
        "signed in through the directory",
        "the directory cannot be reached",
        "signed in with single sign-on",
        "OpenID sign-in refused",
    ] {
        assert!(
            log.iter().any(|l| l.contains(expected)),
            "the log does not show the sign-ins: no {expected:?}"
        );
    }

    let mut needles = configured_secrets();
    needles.extend(sign_in_secrets(&traces, &token_answers));
    let mut leaks = leaks_in_answers(&answers, &needles, &idp.issuer);
    leaks.extend(
        leaks_in_log(&log, &needles)
            .into_iter()
            .map(|leak| format!("log line: {leak}")),
    );
    assert!(leaks.is_empty(), "secrets leaked: {leaks:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_file_and_a_rejected_password_leak_neither() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    // The portal is configured with a wrong (but equally secret) password, from a file.
    let wrong = "Wrong-Pexip-Secret-55ab03";
    let file = dir.path().join("pexip-password");
    std::fs::write(&file, format!("{wrong}\n")).expect("write the password file");
    let mut env = upstream.env();
    env.retain(|(key, _)| key != "PORTAL_PEXIP__PASSWORD");
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(env)
            .env("PORTAL_PEXIP__PASSWORD_FILE", file.display().to_string())
            .env("RUST_LOG", "debug"),
    )
    .await;
    let mut admin = Browser::new(&server);
    let ready = admin.get("/readyz").await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let refused = admin
        .post_json(
            "/api/rooms/list",
            &json!({"query": {"name": null, "service_type": null, "order_by": null, "limit": 5, "offset": 0}}),
        )
        .await;
    assert_eq!(refused.status, 502, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("The Management Node rejected the portal's credentials."),
        "{}",
        refused.body
    );
    admin.get("/rooms").await;
    let log = server.log.clone();
    server.stop().await;

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin:{wrong}"));
    for needle in [wrong, basic.as_str()] {
        for answer in &admin.answers {
            assert!(
                !answer.body.contains(needle)
                    && answer.headers.iter().all(|(_, v)| !v.contains(needle)),
                "leaked in {} {}",
                answer.method,
                answer.path
            );
        }
        assert!(
            log.lines().iter().all(|line| !line.contains(needle)),
            "leaked into the log"
        );
    }
}
