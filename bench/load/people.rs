//! The simulated people: who they are (role, home instance, the rooms they edit) and what they
//! do until the run ends — one request of their role at a time through the server functions,
//! as the pages send them, with a think time in between. A person whose session is gone (401)
//! signs in again; a person whose instance refuses connections moves to the other one with the
//! same cookie (the sessions live in Redis).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::consistency::{Edit, EditLog, FIRST_LIMIT};
use crate::fleet::Fleet;
use crate::record::{Outcome, Record, Recorder, excerpt};

/// A portal role, as `users/create` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Helpdesk,
    TenantAdmin,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Helpdesk => "helpdesk",
            Role::TenantAdmin => "tenant_admin",
            Role::User => "user",
        }
    }

    /// What a person of this role does, with weights: the pages they use and the requests
    /// those pages send. Only what the role may do (the policy would answer 403 otherwise).
    fn actions(self) -> &'static [(Action, u32)] {
        use Action::*;
        match self {
            Role::Admin => &[
                (ListRooms, 20),
                (SearchRooms, 10),
                (OpenRoom, 15),
                (Edit, 10),
                (Live, 10),
                (History, 10),
                (Audit, 10),
                (Users, 5),
                (Me, 5),
            ],
            Role::Helpdesk => &[
                (ListRooms, 25),
                (SearchRooms, 15),
                (OpenRoom, 20),
                (Live, 15),
                (History, 15),
                (Me, 5),
            ],
            Role::TenantAdmin => &[
                (ListRooms, 25),
                (SearchRooms, 10),
                (OpenRoom, 15),
                (Edit, 15),
                (Live, 10),
                (Audit, 10),
                (Me, 5),
            ],
            Role::User => &[
                (Cards, 25),
                (ListRooms, 10),
                (OpenRoom, 20),
                (Edit, 15),
                (Live, 15),
                (Me, 5),
            ],
        }
    }
}

/// One thing a person does (one request).
#[derive(Debug, Clone, Copy)]
enum Action {
    /// `rooms/list`, a page at some offset.
    ListRooms,
    /// `rooms/list` with part of a name.
    SearchRooms,
    /// `rooms/get` of a room seen in a list (or one of their own).
    OpenRoom,
    /// `rooms/update` of one of the rooms this person edits.
    Edit,
    /// `rooms/cards` (end users' home page).
    Cards,
    /// `live/snapshot`.
    Live,
    /// `history/list`.
    History,
    /// `audit/list`.
    Audit,
    /// `users/list`.
    Users,
    /// `auth/me` (every page asks who is signed in).
    Me,
}

/// Who a simulated person is.
#[derive(Debug, Clone)]
pub struct Person {
    pub username: String,
    pub role: Role,
    /// The instance their requests go to while it is up (0 or 1).
    pub home: usize,
    /// The rooms this person edits, and the field they change there.
    pub edits: Vec<u64>,
    pub field: &'static str,
}

/// What every person shares.
pub struct Shared {
    pub http: reqwest::Client,
    pub fleet: Arc<Fleet>,
    pub recorder: Recorder,
    pub edit_log: EditLog,
    pub password: String,
    pub started: Instant,
    pub deadline: Instant,
    /// Think time between two requests of one person, milliseconds, inclusive range.
    pub think_ms: (u64, u64),
    /// Requests sent again to the other instance after a refused connection.
    pub failovers: AtomicUsize,
}

/// A request body as a page sends it.
enum Body {
    Json(Value),
    Form(Vec<(&'static str, String)>),
}

/// A person while the run goes on.
pub struct Session {
    pub person: Person,
    cookie: Option<String>,
    rng: u64,
    seen_rooms: Vec<u64>,
    total_rooms: u64,
    edits_made: u64,
    /// Sign-ins after the first (the session was gone).
    pub signed_in_again: usize,
}

/// The names the searches look for (parts of the rooms' names).
const SEARCHES: [&str; 6] = ["load", "room", "sales", "acme", "team", "xyz"];
const PAGE: u64 = 20;

impl Session {
    pub fn new(person: Person, seed: u64) -> Session {
        Session {
            person,
            cookie: None,
            rng: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            seen_rooms: Vec::new(),
            total_rooms: 0,
            edits_made: 0,
            signed_in_again: 0,
        }
    }

    /// xorshift64*: enough randomness for choosing, no dependency.
    fn next(&mut self) -> u64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// Signs in through the login server function; whether a session cookie came back.
    pub async fn sign_in(&mut self, shared: &Shared) -> bool {
        let body = Body::Form(vec![
            ("username", self.person.username.clone()),
            ("password", shared.password.clone()),
            ("next", "/".into()),
        ]);
        self.cookie = None;
        let (outcome, _) = self.call(shared, "auth/login", body).await;
        outcome.is_success() && self.cookie.is_some()
    }

    /// Requests until the deadline, a think time before each.
    pub async fn browse(mut self, shared: Arc<Shared>) -> Session {
        let (low, high) = shared.think_ms;
        loop {
            let think = Duration::from_millis(low + self.below(high - low + 1));
            if Instant::now() + think >= shared.deadline {
                break;
            }
            tokio::time::sleep(think).await;
            if self.cookie.is_none() {
                self.signed_in_again += 1;
                self.sign_in(&shared).await;
                continue;
            }
            let action = self.choose();
            self.act(&shared, action).await;
        }
        self
    }

    fn choose(&mut self) -> Action {
        let actions = self.person.role.actions();
        let total: u32 = actions.iter().map(|(_, w)| w).sum();
        let mut pick = self.below(u64::from(total)) as u32;
        for (action, weight) in actions {
            if pick < *weight {
                return *action;
            }
            pick -= weight;
        }
        actions[0].0
    }

    async fn act(&mut self, shared: &Shared, action: Action) {
        match action {
            Action::ListRooms => {
                let pages = self.total_rooms.div_ceil(PAGE).max(1);
                let offset = self.below(pages) * PAGE;
                self.list(shared, json!(null), offset).await;
            }
            Action::SearchRooms => {
                let name = SEARCHES[self.below(SEARCHES.len() as u64) as usize];
                self.list(shared, json!(name), 0).await;
            }
            Action::OpenRoom => {
                let pool = if self.seen_rooms.is_empty() {
                    self.person.edits.clone()
                } else {
                    self.seen_rooms.clone()
                };
                if pool.is_empty() {
                    return self.list(shared, json!(null), 0).await;
                }
                let id = pool[self.below(pool.len() as u64) as usize];
                self.call(shared, "rooms/get", Body::Json(json!({ "id": id })))
                    .await;
            }
            Action::Edit => {
                if self.person.edits.is_empty() {
                    return self.list(shared, json!(null), 0).await;
                }
                let index = self.below(self.person.edits.len() as u64) as usize;
                let room = self.person.edits[index];
                self.edits_made += 1;
                let value = match self.person.field {
                    "participant_limit" => json!(FIRST_LIMIT + self.edits_made),
                    _ => json!(format!(
                        "load {} #{}",
                        self.person.username, self.edits_made
                    )),
                };
                let at = shared.started.elapsed();
                let mut changes = serde_json::Map::new();
                changes.insert(self.person.field.to_string(), value.clone());
                let (outcome, _) = self
                    .call(
                        shared,
                        "rooms/update",
                        Body::Json(json!({ "id": room, "changes": changes })),
                    )
                    .await;
                shared.edit_log.push(Edit {
                    person: self.person.username.clone(),
                    room,
                    field: self.person.field,
                    value,
                    at,
                    outcome,
                });
            }
            Action::Cards => {
                self.call(shared, "rooms/cards", Body::Json(json!({})))
                    .await;
            }
            Action::Live => {
                self.call(shared, "live/snapshot", Body::Form(Vec::new()))
                    .await;
            }
            Action::History => {
                let offset = self.below(3) * PAGE;
                let form = vec![
                    ("name", String::new()),
                    ("from", String::new()),
                    ("to", String::new()),
                    ("limit", PAGE.to_string()),
                    ("offset", offset.to_string()),
                ];
                self.call(shared, "history/list", Body::Form(form)).await;
            }
            Action::Audit => {
                let form = vec![
                    ("username", String::new()),
                    ("action", "room.".into()),
                    ("limit", "50".into()),
                    ("offset", "0".into()),
                ];
                self.call(shared, "audit/list", Body::Form(form)).await;
            }
            Action::Users => {
                self.call(shared, "users/list", Body::Form(Vec::new()))
                    .await;
            }
            Action::Me => {
                self.call(shared, "auth/me", Body::Form(Vec::new())).await;
            }
        }
    }

    /// `rooms/list`, remembering the ids and the total for later pages and `rooms/get`.
    async fn list(&mut self, shared: &Shared, name: Value, offset: u64) {
        let query = json!({ "query": {
            "name": name, "alias": null, "service_type": null, "order_by": "name",
            "limit": PAGE, "offset": offset,
        }});
        let (_, body) = self.call(shared, "rooms/list", Body::Json(query)).await;
        let Some(body) = body else { return };
        if let Some(total) = body.pointer("/meta/total_count").and_then(Value::as_u64) {
            self.total_rooms = total;
        }
        if let Some(objects) = body.get("objects").and_then(Value::as_array) {
            let ids: Vec<u64> = objects
                .iter()
                .filter_map(|o| o.get("id").and_then(Value::as_u64))
                .collect();
            if !ids.is_empty() {
                self.seen_rooms = ids;
            }
        }
    }

    /// Sends one request to the person's instance (the other one when it refuses the
    /// connection), records it, keeps the session cookie; the JSON body of a success.
    async fn call(
        &mut self,
        shared: &Shared,
        endpoint: &'static str,
        body: Body,
    ) -> (Outcome, Option<Value>) {
        let at = shared.started.elapsed();
        let sent = Instant::now();
        let mut instance = shared.fleet.pick(self.person.home);
        let mut result = self.send(shared, instance, endpoint, &body).await;
        if let Err(error) = &result
            && error.is_connect()
        {
            shared.fleet.mark_down(instance);
            let other = shared.fleet.pick(self.person.home);
            if other != instance {
                instance = other;
                shared.failovers.fetch_add(1, Ordering::Relaxed);
                result = self.send(shared, instance, endpoint, &body).await;
            }
        }
        let (outcome, text) = match result {
            Ok(response) => {
                let status = response.status().as_u16();
                self.keep_cookie(&response);
                let text = response.text().await.unwrap_or_default();
                (Outcome::Status(status), text)
            }
            Err(error) => {
                let kind = if error.is_connect() {
                    "connect"
                } else if error.is_timeout() {
                    "timeout"
                } else {
                    "closed"
                };
                (Outcome::NoAnswer(kind), error.to_string())
            }
        };
        if outcome == Outcome::Status(401) {
            self.cookie = None;
        }
        let success = outcome.is_success();
        shared.recorder.push(Record {
            endpoint,
            at,
            took: sent.elapsed(),
            outcome: outcome.clone(),
            body: (!success).then(|| excerpt(&text)),
        });
        let json = success.then(|| serde_json::from_str(&text).ok()).flatten();
        (outcome, json)
    }

    async fn send(
        &self,
        shared: &Shared,
        instance: usize,
        endpoint: &str,
        body: &Body,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let url = format!(
            "http://{}/api/{endpoint}",
            shared.fleet.instances[instance].addr
        );
        let mut request = shared.http.post(url);
        request = match body {
            Body::Json(value) => request
                .header("content-type", "application/json")
                .body(value.to_string()),
            Body::Form(fields) => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(
                    fields
                        .iter()
                        .map(|(k, v)| format!("{k}={}", crate::support::encode(v)))
                        .collect::<Vec<_>>()
                        .join("&"),
                ),
        };
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await
    }

    /// Takes a new or cleared `portal_session` cookie from an answer.
    fn keep_cookie(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let Ok(value) = value.to_str() else { continue };
            let pair = value.split(';').next().unwrap_or_default().trim();
            if let Some(v) = pair.strip_prefix("portal_session=") {
                self.cookie = (!v.is_empty()).then(|| pair.to_string());
            }
        }
    }
}
