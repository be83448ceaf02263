//! The relay between portal instances: the leader publishes every [`LiveMessage`] it applies,
//! the followers receive them in order and apply them to their own copy of the state.
//!
//! Over Redis (when the deployment has Redis) a message is one `PUBLISH` of its JSON on
//! `<prefix>live:messages`. Over PostgreSQL a message is a row of `live_relay` (so no size limit
//! applies; `NOTIFY` payloads stop at 8,000 bytes) announced by `NOTIFY portal_live, '<row id>'`;
//! followers read the rows after the last one they saw, in id order, and the leader deletes rows
//! older than [`RETENTION`].
//!
//! A follower that starts, loses its connection (messages may have been missed) or sees a
//! version gap asks for a snapshot ([`Relay::request_snapshot`], a message on
//! `<prefix>live:need-snapshot` or `NOTIFY portal_live_snapshot`); the leader answers by
//! publishing a `Snapshot` of its state. Until it arrives the follower keeps serving its last
//! state ([`FollowerSync`] decides what to apply).

use super::model::LiveMessage;
use crate::db::now_unix;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::broadcast;
use tower_sessions_redis_store::fred::prelude::{
    Client as RedisClient, ClientLike, EventInterface, PubsubInterface,
};
use tower_sessions_redis_store::fred::types::Message as RedisMessage;
use tower_sessions_redis_store::fred::types::config::Server as RedisServer;

/// The PostgreSQL channel announcing relayed rows.
const MESSAGES_CHANNEL: &str = "portal_live";
/// The PostgreSQL channel carrying snapshot requests.
const SNAPSHOT_CHANNEL: &str = "portal_live_snapshot";
/// How long relayed rows are kept in PostgreSQL (followers read them within moments).
pub const RETENTION: Duration = Duration::from_secs(60);
/// How many relayed rows a follower reads at once.
const READ_BATCH: i64 = 64;

/// One relayed message and the instance that sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The leader's instance id ([`super::lease::instance_id`]).
    pub from: String,
    pub message: LiveMessage,
}

/// The relay could not be reached or refused a command.
#[derive(Debug, thiserror::Error)]
#[error("the live relay over {store} failed to {action}: {reason}")]
pub struct RelayError {
    store: &'static str,
    action: &'static str,
    reason: String,
}

/// The channel between instances: Redis pub/sub or PostgreSQL LISTEN/NOTIFY. Cheap to clone.
#[derive(Clone)]
pub struct Relay {
    backend: Backend,
    /// When relayed rows were last deleted (Unix seconds; PostgreSQL).
    cleaned_at: Arc<AtomicI64>,
}

#[derive(Clone)]
enum Backend {
    /// A connected client (publishing); each subscription opens its own connection.
    Redis {
        client: RedisClient,
        prefix: String,
    },
    Postgres(PgPool),
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::Redis { prefix, .. } => write!(f, "Relay(Redis {prefix:?})"),
            Backend::Postgres(_) => write!(f, "Relay(PostgreSQL)"),
        }
    }
}

impl Relay {
    /// A relay over Redis: `client` is connected; channels are `<prefix>live:…`.
    pub fn redis(client: RedisClient, prefix: &str) -> Relay {
        Relay::with(Backend::Redis {
            client,
            prefix: prefix.to_string(),
        })
    }

    /// A relay over the PostgreSQL accounts database.
    pub fn postgres(pool: PgPool) -> Relay {
        Relay::with(Backend::Postgres(pool))
    }

    fn with(backend: Backend) -> Relay {
        Relay {
            backend,
            cleaned_at: Arc::new(AtomicI64::new(0)),
        }
    }

    fn label(&self) -> &'static str {
        match self.backend {
            Backend::Redis { .. } => "Redis",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }

    fn error(&self, action: &'static str, reason: impl ToString) -> RelayError {
        RelayError {
            store: self.label(),
            action,
            reason: reason.to_string(),
        }
    }

    /// Sends one message to every follower (the leader's side).
    pub async fn publish(&self, envelope: &Envelope) -> Result<(), RelayError> {
        let body = serde_json::to_string(envelope).map_err(|error| self.error("publish", error))?;
        match &self.backend {
            Backend::Redis { client, prefix } => {
                let _: i64 = client
                    .publish(messages_channel(prefix), body)
                    .await
                    .map_err(|error| self.error("publish", error))?;
            }
            Backend::Postgres(pool) => {
                sqlx::query(
                    "WITH row AS (INSERT INTO live_relay (body, created_at) VALUES ($1, $2) \
                     RETURNING id) SELECT pg_notify('portal_live', id::text) FROM row",
                )
                .bind(body)
                .bind(now_ms())
                .execute(pool)
                .await
                .map_err(|error| self.error("publish", error))?;
                self.delete_old_rows(pool).await?;
            }
        }
        Ok(())
    }

    /// Deletes relayed rows older than [`RETENTION`], at most once per half of it.
    async fn delete_old_rows(&self, pool: &PgPool) -> Result<(), RelayError> {
        let now = now_unix();
        let half = i64::try_from(RETENTION.as_secs() / 2).unwrap_or(i64::MAX);
        let last = self.cleaned_at.load(Ordering::Relaxed);
        if now - last < half
            || self
                .cleaned_at
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return Ok(());
        }
        let before = now_ms() - i64::try_from(RETENTION.as_millis()).unwrap_or(i64::MAX);
        sqlx::query("DELETE FROM live_relay WHERE created_at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map_err(|error| self.error("delete old messages", error))?;
        Ok(())
    }

    /// Asks the leader for a snapshot (a follower's side).
    pub async fn request_snapshot(&self) -> Result<(), RelayError> {
        match &self.backend {
            Backend::Redis { client, prefix } => {
                let _: i64 = client
                    .publish(snapshot_channel(prefix), "")
                    .await
                    .map_err(|error| self.error("ask for a snapshot", error))?;
            }
            Backend::Postgres(pool) => {
                sqlx::query("SELECT pg_notify('portal_live_snapshot', '')")
                    .execute(pool)
                    .await
                    .map_err(|error| self.error("ask for a snapshot", error))?;
            }
        }
        Ok(())
    }

    /// Starts receiving the messages published from now on (a follower's side).
    pub async fn subscribe(&self) -> Result<RelaySubscription, RelayError> {
        let listener = match &self.backend {
            Backend::Redis { prefix, .. } => self.listen(&messages_channel(prefix)).await?,
            Backend::Postgres(_) => self.listen(MESSAGES_CHANNEL).await?,
        };
        // Rows already there were published before this subscription.
        let last_row = match &self.backend {
            Backend::Redis { .. } => 0,
            Backend::Postgres(pool) => {
                sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) FROM live_relay")
                    .fetch_one(pool)
                    .await
                    .map_err(|error| self.error("read messages", error))?
            }
        };
        Ok(RelaySubscription {
            relay: self.clone(),
            listener,
            last_row,
            pending: VecDeque::new(),
        })
    }

    /// Starts receiving snapshot requests (the leader's side).
    pub async fn snapshot_requests(&self) -> Result<SnapshotRequests, RelayError> {
        let listener = match &self.backend {
            Backend::Redis { prefix, .. } => self.listen(&snapshot_channel(prefix)).await?,
            Backend::Postgres(_) => self.listen(SNAPSHOT_CHANNEL).await?,
        };
        Ok(SnapshotRequests { listener })
    }

    async fn listen(&self, channel: &str) -> Result<Listener, RelayError> {
        let action = "subscribe";
        match &self.backend {
            Backend::Redis { client, .. } => {
                // A subscribed connection takes no other commands: one of its own.
                let client = client.clone_new();
                client
                    .init()
                    .await
                    .map_err(|error| self.error(action, error))?;
                // Created after the first connection, so that only later reconnections show.
                let reconnects = client.reconnect_rx();
                let messages = client.message_rx();
                client
                    .subscribe(channel)
                    .await
                    .map_err(|error| self.error(action, error))?;
                Ok(Listener::Redis {
                    client,
                    channel: channel.to_string(),
                    messages,
                    reconnects,
                })
            }
            Backend::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool)
                    .await
                    .map_err(|error| self.error(action, error))?;
                listener
                    .listen(channel)
                    .await
                    .map_err(|error| self.error(action, error))?;
                Ok(Listener::Postgres(Box::new(listener)))
            }
        }
    }

    /// The relayed rows after `after`, oldest first.
    async fn rows_after(&self, after: i64) -> Result<Vec<(i64, String)>, RelayError> {
        let Backend::Postgres(pool) = &self.backend else {
            return Ok(Vec::new());
        };
        sqlx::query_as("SELECT id, body FROM live_relay WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(READ_BATCH)
            .fetch_all(pool)
            .await
            .map_err(|error| self.error("read messages", error))
    }
}

fn messages_channel(prefix: &str) -> String {
    format!("{prefix}live:messages")
}

fn snapshot_channel(prefix: &str) -> String {
    format!("{prefix}live:need-snapshot")
}

/// The current time in Unix milliseconds.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What a listener heard.
enum Heard {
    /// A notification's payload.
    Payload(String),
    /// The connection was lost and is back: notifications may have been missed.
    Lost,
}

/// One channel subscription on its own connection.
enum Listener {
    Redis {
        client: RedisClient,
        channel: String,
        messages: broadcast::Receiver<RedisMessage>,
        reconnects: broadcast::Receiver<RedisServer>,
    },
    Postgres(Box<PgListener>),
}

impl Listener {
    async fn next(&mut self) -> Result<Heard, String> {
        match self {
            Listener::Redis {
                client,
                channel,
                messages,
                reconnects,
            } => loop {
                tokio::select! {
                    message = messages.recv() => match message {
                        Ok(message) if message.channel == channel.as_str() => {
                            return Ok(Heard::Payload(
                                message.value.as_string().unwrap_or_default(),
                            ));
                        }
                        Ok(_) => {}
                        Err(broadcast::error::RecvError::Lagged(_)) => return Ok(Heard::Lost),
                        Err(broadcast::error::RecvError::Closed) => {
                            return Err("the connection was closed".into());
                        }
                    },
                    reconnected = reconnects.recv() => match reconnected {
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                            // A new connection has no subscriptions.
                            client
                                .subscribe(channel.as_str())
                                .await
                                .map_err(|error| error.to_string())?;
                            return Ok(Heard::Lost);
                        }
                        Err(broadcast::error::RecvError::Closed) => {
                            return Err("the connection was closed".into());
                        }
                    },
                }
            },
            Listener::Postgres(listener) => match listener.try_recv().await {
                Ok(Some(notification)) => Ok(Heard::Payload(notification.payload().to_string())),
                Ok(None) => Ok(Heard::Lost),
                Err(error) => Err(error.to_string()),
            },
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Listener::Redis { client, .. } = self {
            let client = client.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = client.quit().await;
                });
            }
        }
    }
}

/// What a follower receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relayed {
    Message(Box<Envelope>),
    /// Messages may have been missed (a lost connection, or one that could not be read): the
    /// follower needs a snapshot.
    Lost,
}

/// The messages published since [`Relay::subscribe`], in order.
pub struct RelaySubscription {
    relay: Relay,
    listener: Listener,
    /// The last relayed row read (PostgreSQL).
    last_row: i64,
    pending: VecDeque<Envelope>,
}

impl RelaySubscription {
    /// The next message, or [`Relayed::Lost`]. An error means the relay is unreachable now (the
    /// caller retries with a new subscription later).
    pub async fn next(&mut self) -> Result<Relayed, RelayError> {
        loop {
            if let Some(envelope) = self.pending.pop_front() {
                return Ok(Relayed::Message(Box::new(envelope)));
            }
            let heard = self
                .listener
                .next()
                .await
                .map_err(|reason| self.relay.error("receive", reason))?;
            match (&self.relay.backend, heard) {
                (_, Heard::Lost) => {
                    // What was missed is not worth reading back: a snapshot replaces it.
                    self.skip_to_end().await?;
                    return Ok(Relayed::Lost);
                }
                (Backend::Redis { .. }, Heard::Payload(body)) => match decode(&body) {
                    Some(envelope) => return Ok(Relayed::Message(Box::new(envelope))),
                    None => return Ok(Relayed::Lost),
                },
                (Backend::Postgres(_), Heard::Payload(_)) => {
                    // The payload names a row; read every row after the last seen (several
                    // notifications may be answered by one read, later ones then read none).
                    loop {
                        let rows = self.relay.rows_after(self.last_row).await?;
                        let full = rows.len() == usize::try_from(READ_BATCH).unwrap_or(0);
                        for (id, body) in rows {
                            self.last_row = id;
                            match decode(&body) {
                                Some(envelope) => self.pending.push_back(envelope),
                                None => {
                                    self.pending.clear();
                                    return Ok(Relayed::Lost);
                                }
                            }
                        }
                        if !full {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// After a loss, continues with the messages published from now on.
    async fn skip_to_end(&mut self) -> Result<(), RelayError> {
        self.pending.clear();
        if let Backend::Postgres(pool) = &self.relay.backend {
            self.last_row =
                sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) FROM live_relay")
                    .fetch_one(pool)
                    .await
                    .map_err(|error| self.relay.error("read messages", error))?;
        }
        Ok(())
    }
}

/// A relayed body, or `None` (logged) when it is not an envelope.
fn decode(body: &str) -> Option<Envelope> {
    match serde_json::from_str(body) {
        Ok(envelope) => Some(envelope),
        Err(error) => {
            tracing::warn!(%error, bytes = body.len(), "ignored a relayed live message that is not valid");
            None
        }
    }
}

/// Snapshot requests from followers.
pub struct SnapshotRequests {
    listener: Listener,
}

impl SnapshotRequests {
    /// Waits for the next request (a lost connection counts as one: requests may have been
    /// missed). An error means the relay is unreachable now.
    pub async fn next(&mut self) -> Result<(), RelayError> {
        self.listener
            .next()
            .await
            .map(|_| ())
            .map_err(|reason| RelayError {
                store: match self.listener {
                    Listener::Redis { .. } => "Redis",
                    Listener::Postgres(_) => "PostgreSQL",
                },
                action: "receive snapshot requests",
                reason,
            })
    }
}

/// What a follower does with a relayed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Apply it.
    Apply,
    /// Ignore it: already applied, or waiting for a snapshot.
    Skip,
    /// A message is missing: ignore this one and ask for a snapshot.
    Resync,
}

/// A follower's position in the leader's stream: a `Snapshot` puts it in step; after that each
/// change must carry the next version from the same leader, else it waits for a new snapshot
/// (keeping its state meanwhile).
#[derive(Debug, Clone, Default)]
pub struct FollowerSync {
    /// The leader whose snapshot the state comes from; `None` until the first snapshot, and
    /// after a gap or a loss.
    leader: Option<String>,
}

impl FollowerSync {
    /// Whether the state follows the leader's stream (a snapshot arrived and nothing was
    /// missed since).
    pub fn in_step(&self) -> bool {
        self.leader.is_some()
    }

    /// Messages may have been missed.
    pub fn lost(&mut self) {
        self.leader = None;
    }

    /// What to do with `envelope` when the state is at `version`.
    pub fn step(&mut self, version: u64, envelope: &Envelope) -> Step {
        if matches!(envelope.message, LiveMessage::Snapshot { .. }) {
            self.leader = Some(envelope.from.clone());
            return Step::Apply;
        }
        match &self.leader {
            None => Step::Skip,
            Some(leader) if *leader != envelope.from => {
                self.leader = None;
                Step::Resync
            }
            Some(_) => {
                let next = envelope.message.version();
                if next <= version {
                    Step::Skip
                } else if next == version + 1 {
                    Step::Apply
                } else {
                    self.leader = None;
                    Step::Resync
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::model::{FeedHealth, LiveState, ViewerRights};

    fn envelope(from: &str, message: LiveMessage) -> Envelope {
        Envelope {
            from: from.into(),
            message,
        }
    }

    fn feed(version: u64) -> LiveMessage {
        LiveMessage::Feed {
            version,
            feed: FeedHealth::default(),
        }
    }

    fn snapshot(version: u64) -> LiveMessage {
        LiveMessage::Snapshot {
            state: LiveState {
                version,
                ..Default::default()
            },
            rights: ViewerRights::default(),
        }
    }

    #[test]
    fn a_follower_waits_for_a_snapshot_then_takes_each_next_version() {
        let mut sync = FollowerSync::default();
        assert_eq!(sync.step(0, &envelope("a", feed(1))), Step::Skip);
        assert_eq!(sync.step(0, &envelope("a", snapshot(5))), Step::Apply);
        assert!(sync.in_step());
        assert_eq!(sync.step(5, &envelope("a", feed(5))), Step::Skip);
        assert_eq!(sync.step(5, &envelope("a", feed(6))), Step::Apply);
        // Version 8 after 6: 7 is missing.
        assert_eq!(sync.step(6, &envelope("a", feed(8))), Step::Resync);
        assert!(!sync.in_step());
        assert_eq!(sync.step(6, &envelope("a", feed(9))), Step::Skip);
        assert_eq!(sync.step(6, &envelope("a", snapshot(9))), Step::Apply);
        assert_eq!(sync.step(9, &envelope("a", feed(10))), Step::Apply);
    }

    #[test]
    fn a_new_leader_must_start_with_a_snapshot() {
        let mut sync = FollowerSync::default();
        sync.step(0, &envelope("a", snapshot(3)));
        assert_eq!(sync.step(3, &envelope("b", feed(4))), Step::Resync);
        assert_eq!(sync.step(3, &envelope("b", snapshot(4))), Step::Apply);
        assert_eq!(sync.step(4, &envelope("b", feed(5))), Step::Apply);
        sync.lost();
        assert_eq!(sync.step(5, &envelope("b", feed(6))), Step::Skip);
    }
}
