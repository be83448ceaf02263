//! Sessions at the server level, with the real `server` binary: a session survives a restart on
//! the same SQLite data dir, and instances sharing PostgreSQL (sessions in PostgreSQL or in
//! Redis) honour each other's sessions, including sign-out.

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};
use bff::db::testing::{TestPostgres, test_redis_url};
use serde_json::Value;

const PEXIP_PASSWORD: &str = "sessions-test-pexip-password";

/// Who `/api/auth/me` says is signed in.
fn username(me: &Value) -> Option<&str> {
    me.get("username").and_then(Value::as_str)
}

/// A signed-in page answers 200 (a signed-out visitor is redirected to the login page).
async fn page_is_served(browser: &mut Browser) -> bool {
    browser.get("/users").await.status == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_survives_a_restart_on_the_same_sqlite_data_dir() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let setup = || ServerSetup::new(&dir.path().join("data")).envs(upstream.env());

    let first = Server::start(setup()).await;
    let mut browser = Browser::new(&first);
    assert_eq!(browser.me().await, Value::Null);
    browser.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(username(&browser.me().await), Some("admin"));
    let cookie = browser.cookie.clone();
    assert!(first.stop().await.success());

    let second = Server::start(setup()).await;
    browser.rebase(&second);
    assert_eq!(
        username(&browser.me().await),
        Some("admin"),
        "the session cookie of the first run still signs in"
    );
    assert!(page_is_served(&mut browser).await);
    assert_eq!(browser.cookie, cookie);

    // A stranger's made-up cookie does not.
    let mut stranger = Browser::new(&second);
    stranger.cookie = Some("portal_session=AAAAAAAAAAAAAAAAAAAAAA".into());
    assert_eq!(stranger.me().await, Value::Null);
    second.stop().await;
}

/// Two instances on one PostgreSQL accounts database, sessions in `store`; each has its own
/// (empty) data dir.
async fn two_instances_share_sessions(store: &str, extra: Vec<(String, String)>) {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let postgres = TestPostgres::create().await.expect("PostgreSQL");
    let setup = |name: &str| {
        ServerSetup::new(&dir.path().join(name))
            .envs(upstream.env())
            .env("PORTAL_DATABASE__URL", postgres.url())
            .env("PORTAL_SESSIONS__STORE", store)
            .envs(extra.clone())
    };
    // One after the other: the first creates the admin account, the second finds it.
    let a = Server::start(setup("a")).await;
    let b = Server::start(setup("b")).await;

    let mut on_a = Browser::new(&a);
    on_a.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(username(&on_a.me().await), Some("admin"));

    let mut on_b = Browser::new(&b);
    on_b.cookie = on_a.cookie.clone();
    assert_eq!(
        username(&on_b.me().await),
        Some("admin"),
        "instance b honours the session made on a ({store})"
    );
    assert!(page_is_served(&mut on_b).await);

    // Signing out on b ends the session for a too.
    let out = on_b.post_form("/api/auth/logout", &[]).await;
    assert!(out.status.is_redirection() || out.status.is_success());
    assert_eq!(
        on_a.me().await,
        Value::Null,
        "signed out everywhere ({store})"
    );
    assert!(!page_is_served(&mut on_a).await);

    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_instance_sharing_postgresql_honours_the_session() {
    two_instances_share_sessions("postgres", Vec::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_instance_sharing_redis_sessions_honours_the_session() {
    two_instances_share_sessions(
        "redis",
        vec![("PORTAL_SESSIONS__REDIS_URL".into(), test_redis_url())],
    )
    .await;
}
