//! The pages as the server renders them: each must arrive whole, and none may read a resource
//! outside a `<Suspense>`/`<Transition>` (the debug build logs "outside a <Suspense/>" then).
//!
//! The LDAP conference sync template's page holds a panel with a resource of its own, loaded
//! inside the page's boundary: its render once waited forever after the page header (the
//! panel's resource was read outside its own `<Transition>`). A sweep renders every page of the
//! navigation and, for every resource of the configuration browser, its list, first object and
//! new-object form.

use crate::support::{ADMIN_PASSWORD, Answer, Browser, Server, ServerSetup, temp_dir};
use bff::db::testing::TestDataDir;
use serde_json::json;
use std::time::Duration;

/// Far longer than the page takes; a render that never ends fails here, not at the client's
/// one-minute timeout.
const PAGE_LIMIT: Duration = Duration::from_secs(20);

/// What leptos logs (debug builds) for a resource read outside a boundary.
const OUTSIDE_A_BOUNDARY: &str = "outside a <Suspense/>";

/// A server of its own (demo mode) and a browser signed in there as the admin.
async fn signed_in_admin() -> (TestDataDir, Server, Browser) {
    let dir = temp_dir();
    let server = Server::start(ServerSetup::new(&dir.path().join("data"))).await;
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    (dir, server, admin)
}

/// `path`'s answer, which must be a whole document within [`PAGE_LIMIT`].
async fn whole_document(browser: &mut Browser, path: &str) -> Answer {
    let answer = tokio::time::timeout(PAGE_LIMIT, browser.get(path))
        .await
        .unwrap_or_else(|_| panic!("{path} did not finish within {PAGE_LIMIT:?}"));
    assert!(answer.body.contains("</html>"), "{path}: {}", answer.body);
    answer
}

/// `path`'s page: 200 and whole.
async fn page(browser: &mut Browser, path: &str) -> String {
    let answer = whole_document(browser, path).await;
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    answer.body
}

/// No line of the server's log says a resource was read outside a boundary.
fn assert_read_inside_boundaries(server: &Server) {
    let log = server.log.text();
    let outside: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(OUTSIDE_A_BOUNDARY))
        .collect();
    assert!(outside.is_empty(), "{outside:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_templates_page_renders_whole_with_its_sync_status() {
    let (_dir, server, mut admin) = signed_in_admin().await;
    let source = admin
        .post_json(
            "/api/config/create",
            &json!({"resource": "ldap_sync_source", "fields": {"name": "Corp",
                "ldap_server": "ldap.example.com", "ldap_base_dn": "dc=example,dc=com"}}),
        )
        .await;
    assert_eq!(source.status, 200, "{}", source.body);
    let template = admin
        .post_json(
            "/api/config/create",
            &json!({"resource": "conference_sync_template", "fields": {"name": "People",
                "ldap_sync_source": source.json(), "conference_name": "Sync {{uid}}"}}),
        )
        .await;
    assert_eq!(template.status, 200, "{}", template.body);
    let uri = template.json().as_str().unwrap().to_string();
    let id: u64 = pexip::uri_id(&uri).parse().unwrap();
    let path = format!("/config/conference_sync_template/{id}");

    let before = page(&mut admin, &path).await;
    assert!(before.contains(r#"id="sync-state""#), "{before}");
    assert!(before.contains("IDLE"), "{before}");
    assert!(before.contains("Sync now"), "{before}");

    let started = admin
        .post_json("/api/sync/start", &json!({ "id": id }))
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    let after = page(&mut admin, &path).await;
    assert!(
        after.contains("RUNNING") || after.contains("COMPLETED"),
        "{after}"
    );
    assert!(after.contains(r#"id="sync-progress""#), "{after}");
    assert_read_inside_boundaries(&server);
}

/// The distinct `href="{prefix}…"` targets of a page, in order.
fn links(body: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let needle = format!(r#"href="{prefix}"#);
    for (at, _) in body.match_indices(&needle) {
        let rest = &body[at + r#"href=""#.len()..];
        let link = &rest[..rest.find('"').unwrap_or(rest.len())];
        if !found.iter().any(|f| f == link) {
            found.push(link.to_string());
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_configuration_resource_renders_whole_and_inside_its_boundaries() {
    let (_dir, server, mut admin) = signed_in_admin().await;

    let home = page(&mut admin, "/").await;
    let mut paths: Vec<String> = links(&home, "/")
        .into_iter()
        .filter(|p| !p.starts_with("//") && !p.starts_with("/pkg/") && !p.contains('.'))
        .collect();
    assert!(paths.iter().any(|p| p == "/config"), "{paths:?}");
    let index = page(&mut admin, "/config").await;
    let resources: Vec<String> = links(&index, "/config/")
        .into_iter()
        .filter(|p| p.matches('/').count() == 2)
        .collect();
    assert!(resources.len() > 20, "{resources:?}");
    for resource in &resources {
        let list = page(&mut admin, resource).await;
        paths.push(format!("{resource}/new"));
        // The first object, when the demo deployment holds one.
        if let Some(object) = links(&list, &format!("{resource}/"))
            .into_iter()
            .find(|p| p[resource.len() + 1..].bytes().all(|b| b.is_ascii_digit()))
        {
            paths.push(object);
        }
    }
    assert!(paths.len() > resources.len(), "{paths:?}");
    for path in &paths {
        // A resource without a new-object form is "not found"; every answer is a whole page.
        let answer = whole_document(&mut admin, path).await;
        assert!(
            answer.status == 200 || answer.status == 404,
            "{path}: {} {}",
            answer.status,
            answer.body
        );
    }
    assert_read_inside_boundaries(&server);
}
