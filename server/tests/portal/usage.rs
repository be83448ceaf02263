//! Usage reports through the real server: the history the simulator serves is read in at start
//! (HTTPS, its demo deployment's past hours), and the report and history CSV downloads answer by
//! role: admins every tenant, a tenant admin only theirs (another tenant: 403), nobody signed out.

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};
use serde_json::Value;
use std::time::Duration;

const PEXIP_PASSWORD: &str = "usage-test-pexip-password";
const TENANT_ADMIN_PASSWORD: &str = "acme-usage-password";

/// Days (UTC) covering every conference of the node's history: `(first, last)`.
fn history_days(upstream: &Upstream) -> (String, String) {
    let starts: Vec<String> = upstream.sim.state().live.read_state(|s| {
        s.history
            .conferences()
            .map(|c| c["start_time"].as_str().unwrap()[..10].to_string())
            .collect()
    });
    (
        starts.iter().min().unwrap().clone(),
        starts.iter().max().unwrap().clone(),
    )
}

fn csv_lines(body: &str) -> Vec<Vec<String>> {
    body.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_reports_and_exports_follow_the_roles() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server =
        Server::start(ServerSetup::new(&dir.path().join("data")).envs(upstream.env())).await;
    assert!(
        server
            .wait_for_line(
                "stored new history for the usage reports",
                Duration::from_secs(60)
            )
            .await,
        "the history was not read at start"
    );
    let conferences: Vec<Value> = upstream
        .sim
        .state()
        .live
        .read_state(|s| s.history.conferences().cloned().collect());
    let (first, last) = history_days(&upstream);
    let span = format!("period=day&from={first}&to={last}");

    // Signed out: nothing.
    let mut stranger = Browser::new(&server);
    let refused = stranger.get(&format!("/api/usage/report.csv?{span}")).await;
    assert_eq!(refused.status, 401, "{}", refused.body);

    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let report = admin.get(&format!("/api/usage/report.csv?{span}")).await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert_eq!(
        report.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        report
            .header("content-disposition")
            .is_some_and(|d| d.contains(&format!("usage-{first}-{last}.csv"))),
        "{:?}",
        report.headers
    );
    let lines = csv_lines(&report.body);
    assert_eq!(
        lines[0],
        [
            "section",
            "name",
            "tenant",
            "conferences",
            "participants",
            "participant_minutes",
            "peak_concurrent"
        ]
    );
    assert_eq!(lines[1][0], "total");
    assert_eq!(lines[1][3], conferences.len().to_string());
    let acme_rooms = lines
        .iter()
        .filter(|l| l[0] == "room" && l[2] == "acme")
        .count();
    assert!(acme_rooms > 0, "the demo has Acme rooms: {}", report.body);

    // The server function the page calls gives the same totals.
    let shown = admin
        .post_form(
            "/api/usage/report",
            &[
                ("tenant", ""),
                ("room", ""),
                ("period", "week"),
                ("from", &first),
                ("to", &last),
            ],
        )
        .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let shown = shown.json();
    assert_eq!(shown["totals"]["conferences"], conferences.len() as u64);
    assert!(shown["rooms"].as_array().unwrap().len() <= 10);
    assert_eq!(shown["period"], "week");

    // A period that is not one is a readable 400.
    let bad = admin.get("/api/usage/report.csv?period=year").await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains("choose day, week or month"),
        "{}",
        bad.body
    );

    // The History page's export: every ended conference the node keeps, or those the filter keeps.
    let history = admin.get("/api/history/export.csv").await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert_eq!(history.body.lines().count(), conferences.len() + 1);
    let name = conferences[0]["name"].as_str().unwrap();
    let filtered = admin
        .get(&format!(
            "/api/history/export.csv?name={}",
            crate::support::encode(name)
        ))
        .await;
    assert!(
        filtered
            .body
            .lines()
            .skip(1)
            .all(|l| l.to_lowercase().contains(&name.to_lowercase()))
    );
    let bad_time = admin.get("/api/history/export.csv?from=yesterday").await;
    assert_eq!(bad_time.status, 400, "{}", bad_time.body);

    // A tenant admin: Acme's rooms only, another tenant refused.
    let created = admin
        .post_form(
            "/api/tenants/create",
            &[
                ("name", "Acme Corporation"),
                ("tag", "acme"),
                ("alias_domains", "acme.example"),
            ],
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let tenants = admin.post_form("/api/tenants/list", &[]).await.json();
    let id = tenants
        .as_array()
        .and_then(|all| all.iter().find(|t| t["tag"] == "acme"))
        .and_then(|t| t["id"].as_i64())
        .expect("the tenant is listed");
    let created = admin
        .post_form(
            "/api/users/create",
            &[
                ("username", "acme-usage"),
                ("password", TENANT_ADMIN_PASSWORD),
                ("role", "tenant_admin"),
                ("tenant_id", &id.to_string()),
                ("email", ""),
            ],
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let mut tenant = Browser::new(&server);
    tenant.sign_in("acme-usage", TENANT_ADMIN_PASSWORD).await;
    let own = tenant.get(&format!("/api/usage/report.csv?{span}")).await;
    assert_eq!(own.status, 200, "{}", own.body);
    let lines = csv_lines(&own.body);
    let of_acme = conferences.iter().filter(|c| c["tag"] == "acme").count();
    assert_eq!(lines[1][2], "acme");
    assert_eq!(lines[1][3], of_acme.to_string());
    let rooms: Vec<&Vec<String>> = lines.iter().filter(|l| l[0] == "room").collect();
    assert_eq!(rooms.len(), acme_rooms);
    assert!(rooms.iter().all(|l| l[2] == "acme"), "{}", own.body);
    let other = tenant
        .get(&format!("/api/usage/report.csv?tenant=globex&{span}"))
        .await;
    assert_eq!(other.status, 403, "{}", other.body);
    // Tenant admins do not see the node's whole history list.
    assert_eq!(tenant.get("/api/history/export.csv").await.status, 403);

    let log = server.log.text();
    assert!(!log.contains("ERROR"), "{log}");
    server.stop().await;
}
