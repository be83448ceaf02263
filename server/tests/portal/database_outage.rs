//! The portal's database goes away (PostgreSQL behind a TCP relay that the test cuts): pages,
//! server functions and the plain API routes answer `503` with `Retry-After` and a readable
//! message, never `500` or a trip to the sign-in page, and everything works again once the
//! database is back, with the same session.

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream};
use crate::support::{free_port, temp_dir};
use bff::db::testing::TestPostgres;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const PEXIP_PASSWORD: &str = "outage-test-pexip-password";

/// A loopback TCP relay to PostgreSQL that can be cut (listener closed, every relayed
/// connection dropped) and opened again on the same port.
struct Relay {
    port: u16,
    target: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn open(port: u16, target: &str) -> Relay {
        let relay = Relay {
            port,
            target: target.to_owned(),
            tasks: Arc::default(),
        };
        relay.listen().await;
        relay
    }

    async fn listen(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("the relay's port");
        let target = self.target.clone();
        let tasks = self.tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let pipe = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().unwrap().push(pipe);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    /// Closes the listener and every relayed connection, as when the database host goes down.
    async fn cut(&self) {
        let tasks: Vec<JoinHandle<()>> = self.tasks.lock().unwrap().drain(..).collect();
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_is_503_and_the_session_survives_it() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let postgres = TestPostgres::create().await.expect("PostgreSQL");
    let relay = Relay::open(free_port(), "127.0.0.1:5432").await;
    let through_relay = postgres
        .url()
        .replace("127.0.0.1:5432", &format!("127.0.0.1:{}", relay.port));
    assert_ne!(
        through_relay,
        postgres.url(),
        "the URL goes through the relay"
    );
    let server = Server::start(
        ServerSetup::new(&dir.path().join("portal"))
            .envs(upstream.env())
            .env("PORTAL_DATABASE__URL", through_relay)
            .env("PORTAL_DATABASE__ACQUIRE_TIMEOUT_SECS", "2"),
    )
    .await;
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let list = json!({"query": {"name": null, "service_type": null, "order_by": null, "limit": 5, "offset": 0}});
    assert_eq!(admin.post_json("/api/rooms/list", &list).await.status, 200);
    assert_eq!(admin.get("/rooms").await.status, 200);

    relay.cut().await;

    let call = admin.post_json("/api/rooms/list", &list).await;
    assert_eq!(
        call.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        call.body
    );
    assert_eq!(call.header("retry-after"), Some("1"));
    assert_eq!(
        call.json(),
        json!({"Unavailable": "database unavailable, try again"})
    );
    let export = admin.get("/api/rooms/export.csv").await;
    assert_eq!(
        export.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        export.body
    );
    let page = admin.get("/rooms").await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Reload the page in a moment"),
        "{}",
        page.body
    );
    assert_eq!(
        page.header("location"),
        None,
        "not sent to the sign-in page"
    );

    relay.listen().await;

    let call = admin.post_json("/api/rooms/list", &list).await;
    assert_eq!(
        call.status, 200,
        "the same session works again: {}",
        call.body
    );
    assert_eq!(admin.get("/rooms").await.status, 200);

    let log = server.log.clone();
    server.stop().await;
    let text = log.text();
    assert!(!text.contains("panicked"), "a panic in the log:\n{text}");
    assert!(
        text.contains("the database is unavailable"),
        "the outage is logged:\n{text}"
    );
    assert!(
        !text.lines().any(|line| line.contains(" 500 ")
            || line.contains("status=500")
            || line.contains("ERROR") && line.contains("cannot read the session")),
        "no 500 and no ERROR for the outage:\n{text}"
    );
}
