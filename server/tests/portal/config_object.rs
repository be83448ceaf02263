//! The configuration browser's object page as the server renders it, for the one resource whose
//! page holds a panel with a resource of its own: an LDAP conference sync template. Its status is
//! loaded inside the page's boundary; the page must arrive whole, before and after a sync (its
//! render once waited forever after the page header: the panel's resource was read outside its
//! own `<Transition>`).

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, temp_dir};
use serde_json::json;
use std::time::Duration;

/// Far longer than the page takes; a render that never ends fails here, not at the client's
/// one-minute timeout.
const PAGE_LIMIT: Duration = Duration::from_secs(20);

async fn page(browser: &mut Browser, path: &str) -> String {
    let answer = tokio::time::timeout(PAGE_LIMIT, browser.get(path))
        .await
        .unwrap_or_else(|_| panic!("{path} did not finish within {PAGE_LIMIT:?}"));
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert!(answer.body.contains("</html>"), "{path}: {}", answer.body);
    answer.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_templates_page_renders_whole_with_its_sync_status() {
    let dir = temp_dir();
    let server = Server::start(ServerSetup::new(&dir.path().join("data"))).await;
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
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
    let id: u64 = uri
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
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
}
