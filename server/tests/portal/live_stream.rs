//! The live stream (`/api/live/stream`) of the real server against the simulator (shared
//! poller, demo data): what each viewer's stream carries (an admin every conference and the
//! platform; a tenant admin only their tenant's conferences, no platform), 401 without a
//! session, and a `Last-Event-ID` resume that continues where the viewer left off without a
//! snapshot. [`Viewer`] reads a stream as a browser would; the event sink test uses it too.

use std::time::Duration;

use bff::live::model::{LiveMessage, LiveState, STREAM_PATH, ViewerRights};
use pexip::client::{Client, PexipConfig, Secret};
use serde_json::{Value, json};
use simulator::RunningSim;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};

/// How long a change may take to reach a stream in these tests.
pub const DEADLINE: Duration = Duration::from_secs(30);
const PEXIP_PASSWORD: &str = "live-stream-pexip-password";
const TENANT_ADMIN_PASSWORD: &str = "acme-live-admin-password-1234";

/// One open stream: every message it carried, applied to a state as the browser applies them.
pub struct Viewer {
    pub state: LiveState,
    pub rights: ViewerRights,
    /// Every message received, in order.
    pub seen: Vec<LiveMessage>,
    messages: mpsc::UnboundedReceiver<LiveMessage>,
    task: JoinHandle<()>,
}

impl Viewer {
    /// Opens the stream with `cookie` (and `Last-Event-ID` when given); the status code when it
    /// does not answer 200.
    pub async fn open(
        server: &Server,
        cookie: Option<&str>,
        last_event_id: Option<u64>,
    ) -> Result<Viewer, reqwest::StatusCode> {
        let mut request = reqwest::Client::new()
            .get(server.url(STREAM_PATH))
            .header("accept", "text/event-stream");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let mut response = request.send().await.expect("the stream answers");
        if response.status() != reqwest::StatusCode::OK {
            return Err(response.status());
        }
        let (sender, messages) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut pending = String::new();
            while let Ok(Some(chunk)) = response.chunk().await {
                pending.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = pending.find("\n\n") {
                    let event: String = pending.drain(..end + 2).collect();
                    let data: String = event
                        .lines()
                        .filter_map(|line| line.strip_prefix("data:"))
                        .map(str::trim_start)
                        .collect();
                    if data.is_empty() {
                        continue; // a keep-alive comment
                    }
                    let message: LiveMessage =
                        serde_json::from_str(&data).expect("every event is a live message");
                    if sender.send(message).is_err() {
                        return;
                    }
                }
            }
        });
        Ok(Viewer {
            state: LiveState::default(),
            rights: ViewerRights::default(),
            seen: Vec::new(),
            messages,
            task,
        })
    }

    /// Waits until the server ends the stream (reading what is left); panics after
    /// [`DEADLINE`].
    pub async fn closed(&mut self) {
        tokio::time::timeout(DEADLINE, async {
            while self.messages.recv().await.is_some() {}
        })
        .await
        .expect("the server ends the stream");
    }

    /// The next message (applied to the state); panics after [`DEADLINE`].
    pub async fn next(&mut self) -> LiveMessage {
        let message = tokio::time::timeout(DEADLINE, self.messages.recv())
            .await
            .expect("a message within the deadline")
            .expect("the stream stays open");
        if let LiveMessage::Snapshot { rights, .. } = &message {
            self.rights = rights.clone();
        }
        self.state.apply(&message);
        self.seen.push(message.clone());
        message
    }

    /// Reads messages until `done` holds for the state; panics with `what` after [`DEADLINE`].
    pub async fn until(&mut self, what: &str, done: impl Fn(&LiveState) -> bool) {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        while !done(&self.state) {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let message = tokio::time::timeout(left, self.messages.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "{what}: not within {DEADLINE:?}; state: {:?}",
                        self.state.feed
                    )
                })
                .expect("the stream stays open");
            if let LiveMessage::Snapshot { rights, .. } = &message {
                self.rights = rights.clone();
            }
            self.state.apply(&message);
            self.seen.push(message);
        }
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Whether the state has a participant called `name` (in any conference).
pub fn has_participant(state: &LiveState, name: &str) -> bool {
    state
        .conferences
        .values()
        .any(|c| c.participants.iter().any(|p| p.display_name == name))
}

/// A client of the simulator's Management API.
pub fn node_client(sim: &RunningSim, password: &str) -> Client {
    Client::with_ca_pem(
        &PexipConfig {
            url: Some(sim.url().to_owned()),
            password: Some(Secret::new(password)),
            ..PexipConfig::default()
        },
        sim.cert_pem().expect("HTTPS"),
    )
    .expect("a client")
}

/// Dials a participant called `name` into the service at `alias`; returns its id.
pub async fn dial(node: &Client, alias: &str, name: &str) -> String {
    let answer = node
        .command(
            "participant",
            "dial",
            &json!({
                "conference_alias": alias,
                "destination": format!("sip:{name}@example.com"),
                "remote_display_name": name,
                "role": "guest",
                "system_location": "London",
            }),
        )
        .await
        .expect("the simulator dials");
    answer["data"]["participant_id"]
        .as_str()
        .expect("a participant id")
        .to_owned()
}

/// Creates the demo's Acme tenant and its tenant admin `acme-live`.
async fn acme_tenant_admin(admin: &mut Browser) {
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
                ("username", "acme-live"),
                ("password", TENANT_ADMIN_PASSWORD),
                ("role", "tenant_admin"),
                ("tenant_id", &id.to_string()),
                ("email", ""),
            ],
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_stream_filters_per_viewer_refuses_strangers_and_resumes() {
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data"))
            .envs(upstream.env())
            .env("PORTAL_LIVE__SOURCE", "poller")
            .env("PORTAL_LIVE__POLL_INTERVAL_SECS", "1")
            .env("PORTAL_LIVE__PLATFORM_INTERVAL_SECS", "1"),
    )
    .await;
    let node = node_client(&upstream.sim, PEXIP_PASSWORD);

    // Nobody signed in: 401, no stream.
    let stranger = Viewer::open(&server, None, None).await;
    assert_eq!(stranger.err(), Some(reqwest::StatusCode::UNAUTHORIZED));

    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    acme_tenant_admin(&mut admin).await;
    let mut tenant = Browser::new(&server);
    tenant.sign_in("acme-live", TENANT_ADMIN_PASSWORD).await;

    let mut admin_view = Viewer::open(&server, admin.cookie.as_deref(), None)
        .await
        .expect("the admin's stream opens");
    let first = admin_view.next().await;
    let LiveMessage::Snapshot { state, .. } = &first else {
        panic!("a stream starts with a snapshot, got {first:?}");
    };
    let snapshot_version = state.version;
    assert!(admin_view.rights.platform, "admins see the platform");

    let mut tenant_view = Viewer::open(&server, tenant.cookie.as_deref(), None)
        .await
        .expect("the tenant admin's stream opens");
    assert!(
        matches!(tenant_view.next().await, LiveMessage::Snapshot { .. }),
        "a stream starts with a snapshot"
    );
    assert!(
        !tenant_view.rights.platform,
        "tenant admins see no platform"
    );

    let acme_caller = format!("acme-caller-{}", std::process::id());
    let globex_caller = format!("globex-caller-{}", std::process::id());
    dial(&node, "phoenix@acme.example", &acme_caller).await;
    dial(&node, "ops@globex.example", &globex_caller).await;

    admin_view
        .until(
            "the admin sees both tenants' callers and the platform",
            |s| {
                has_participant(s, &acme_caller)
                    && has_participant(s, &globex_caller)
                    && s.platform.is_some()
            },
        )
        .await;
    tenant_view
        .until("the tenant admin sees Acme's caller", |s| {
            has_participant(s, &acme_caller)
        })
        .await;
    // The admin's stream has carried the Globex call by now; the tenant's one is read up to a
    // later change (a third call, Acme's) so that a Globex message would have come before it.
    let last_caller = format!("acme-last-{}", std::process::id());
    dial(&node, "board@acme.example", &last_caller).await;
    tenant_view
        .until("the tenant admin sees Acme's second caller", |s| {
            has_participant(s, &last_caller)
        })
        .await;
    for message in &tenant_view.seen {
        match message {
            LiveMessage::Snapshot { state, .. } => {
                assert!(
                    state.platform.is_none(),
                    "no platform in a tenant's snapshot"
                );
                assert!(
                    state.conferences.values().all(|c| c.tag == "acme"),
                    "only Acme's conferences in a tenant's snapshot"
                );
            }
            LiveMessage::Conferences { upserted, .. } => assert!(
                upserted.iter().all(|c| c.tag == "acme"),
                "only Acme's conferences on a tenant's stream: {upserted:?}"
            ),
            LiveMessage::Platform { .. } => panic!("a platform message on a tenant's stream"),
            LiveMessage::Locations { .. } | LiveMessage::Feed { .. } => {}
        }
    }
    assert!(!has_participant(&tenant_view.state, &globex_caller));
    assert!(
        tenant_view
            .state
            .conferences
            .values()
            .all(|c| c.tag == "acme")
    );

    // A browser reconnecting with the id of the snapshot it had gets the messages after it
    // (the same ones the admin's stream carried), not a new snapshot.
    let after_snapshot = admin_view.seen[1].clone();
    let mut resumed = Viewer::open(&server, admin.cookie.as_deref(), Some(snapshot_version))
        .await
        .expect("the resumed stream opens");
    let first = resumed.next().await;
    assert!(
        !matches!(first, LiveMessage::Snapshot { .. }),
        "a resume within the ring buffer starts without a snapshot"
    );
    assert_eq!(
        first, after_snapshot,
        "the resume continues where the viewer left off"
    );
    // A version the server never gave: a snapshot.
    let mut unknown = Viewer::open(&server, admin.cookie.as_deref(), Some(u64::MAX / 2))
        .await
        .expect("the stream opens");
    assert!(matches!(unknown.next().await, LiveMessage::Snapshot { .. }));
    // A Last-Event-ID that is not a version: a readable 400, not a stream.
    let bad = reqwest::Client::new()
        .get(server.url(STREAM_PATH))
        .header("cookie", admin.cookie.clone().unwrap_or_default())
        .header("last-event-id", "yesterday")
        .send()
        .await
        .expect("an answer");
    assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.expect("a JSON error");
    assert!(body.to_string().contains("Last-Event-ID"), "{body}");
    // Streams still open do not hold the graceful shutdown: the server ends them and exits.
    drop((tenant_view, resumed, unknown));
    let status = server.stop().await;
    assert!(status.success(), "{status:?}");
    admin_view.closed().await;
}
