//! The Management Node password never leaves the server: the real `server` binary runs against a
//! simulator whose password is distinctive, at `RUST_LOG=debug`, and every answer (status line,
//! headers, body) of a walk through the portal — pages, server functions with good and bad
//! input, health endpoints, unknown paths, static files, and the same with the upstream failing
//! in each fault mode — and every log line are searched for the password and for the HTTP Basic
//! credentials built from it. The built wasm/js/css are searched by `end2end/tests/secrets.spec.ts`
//! (they exist only after `cargo leptos build`).

use crate::support::{ADMIN_PASSWORD, Answer, Browser, Server, ServerSetup, Upstream, temp_dir};
use base64::Engine;
use serde_json::json;
use simulator::{FaultConfig, RateLimit};

/// Distinctive enough that any occurrence is a leak.
const PEXIP_PASSWORD: &str = "Pexip-Mgmt-Secret-7d2c91ef";

/// Every form in which the password could leak: as it is, and in an `Authorization: Basic` value.
fn needles() -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin:{PEXIP_PASSWORD}"));
    vec![PEXIP_PASSWORD.to_string(), basic]
}

/// Where a needle occurs in the answers: `METHOD path (where)`.
fn leaks_in_answers(answers: &[Answer]) -> Vec<String> {
    let mut leaks = Vec::new();
    for answer in answers {
        for needle in needles() {
            if answer.body.contains(&needle) {
                leaks.push(format!("{} {} body", answer.method, answer.path));
            }
            for (name, value) in &answer.headers {
                if value.contains(&needle) || name.contains(&needle) {
                    leaks.push(format!("{} {} header {name}", answer.method, answer.path));
                }
            }
        }
    }
    leaks
}

fn leaks_in_log(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|line| needles().iter().any(|needle| line.contains(needle)))
        .cloned()
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pexip_password_appears_in_no_answer_and_no_log_line() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
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

    let leaks = leaks_in_answers(&answers);
    assert!(leaks.is_empty(), "the Pexip password leaked in: {leaks:#?}");
    let leaks = leaks_in_log(&log);
    assert!(
        leaks.is_empty(),
        "the Pexip password leaked into the log: {leaks:#?}"
    );
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
