//! Which instance runs the live feed: every instance runs [`spawn`], which loops on taking the
//! `live-feed` [`Lease`]. The holder runs the upstream source and publishes every message its
//! hub applies on the [`Relay`]; the others apply what the relay brings them, and take the lease
//! over as soon as it expires (within the TTL of the leader's last renewal).
//!
//! Coordination goes through Redis when the sessions are in Redis (`sessions.store = "redis"`),
//! else through the accounts database: PostgreSQL leases and LISTEN/NOTIFY, or, for SQLite (one
//! instance), a lease that instance always wins and no relay.

use super::hub::LiveHub;
use super::lease::{Holding, Lease, LeaseStore, Lost};
use super::model::{LiveMessage, ViewerRights};
use super::relay::{
    Envelope, FollowerSync, Relay, RelaySubscription, Relayed, SnapshotRequests, Step,
};
use crate::db::{Db, redact_url};
use crate::sessions::{SessionConfig, SessionStoreKind};
use std::future::Future;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tower_sessions_redis_store::fred::prelude::{
    Builder as RedisBuilder, Client as RedisClient, ClientLike, Config as RedisConfig,
};
use tower_sessions_redis_store::fred::types::config::ReconnectPolicy;

/// The lease that decides who runs the live feed.
pub const LEASE_NAME: &str = "live-feed";
/// The prefix of the portal's Redis keys and channels for the live feed.
pub const REDIS_PREFIX: &str = "portal:";
/// How long to wait before trying an unreachable relay again.
const RETRY: Duration = Duration::from_secs(1);
/// How often a follower out of step asks again for a snapshot.
const ASK_AGAIN: Duration = Duration::from_secs(2);
/// How many relayed messages a Redis subscription holds for a follower at most.
const RELAY_BUFFER: usize = 1024;
/// Taken after a lease's announced expiry before trying to take it, so that the attempt does
/// not land a moment before it.
const EXPIRY_MARGIN: Duration = Duration::from_millis(20);

/// Where the instances of this deployment meet: the lease store and the relay.
#[derive(Debug, Clone)]
pub struct Coordination {
    leases: LeaseStore,
    relay: Option<Relay>,
}

impl Coordination {
    /// Redis when the sessions are kept there, else the accounts database.
    pub async fn open(sessions: &SessionConfig, db: &Db) -> Result<Coordination, String> {
        if sessions.store == Some(SessionStoreKind::Redis) {
            Coordination::redis(&sessions.redis_url, REDIS_PREFIX).await
        } else {
            Ok(Coordination::database(db))
        }
    }

    /// Leases and relay in the Redis server at `url`, keys and channels starting with `prefix`.
    pub async fn redis(url: &str, prefix: &str) -> Result<Coordination, String> {
        let client = connect_redis(url).await?;
        Ok(Coordination {
            leases: LeaseStore::Redis {
                client: client.clone(),
                prefix: prefix.to_string(),
            },
            relay: Some(Relay::redis(client, prefix)),
        })
    }

    /// Leases in the accounts database; the relay too when it is PostgreSQL.
    pub fn database(db: &Db) -> Coordination {
        Coordination {
            leases: LeaseStore::Db(db.clone()),
            relay: match db {
                Db::Postgres(pool) => Some(Relay::postgres(pool.clone())),
                Db::Sqlite(_) => None,
            },
        }
    }

    /// `holder`'s handle on the lease `name`.
    pub fn lease(&self, name: &str, holder: &str, ttl: Duration) -> Lease {
        Lease::new(self.leases.clone(), name, holder, ttl)
    }

    /// The relay between instances (none for SQLite).
    pub fn relay(&self) -> Option<&Relay> {
        self.relay.as_ref()
    }
}

/// A connected Redis client that reconnects after a lost connection (the first connection
/// still fails fast, so a server without Redis does not start).
async fn connect_redis(url: &str) -> Result<RedisClient, String> {
    let shown = redact_url(url);
    let failed = |error: &dyn std::fmt::Display| {
        format!("the live feed's Redis at {shown} does not answer: {error}")
    };
    let config = RedisConfig::from_url(url).map_err(|error| failed(&error))?;
    let mut builder = RedisBuilder::from_config(config);
    builder.with_connection_config(|connection| {
        connection.connection_timeout = Duration::from_secs(5);
        connection.internal_command_timeout = Duration::from_secs(5);
    });
    // Relayed messages wait in a broadcast channel until the follower takes them; one that
    // falls further behind than this misses some and asks for a snapshot.
    builder.with_performance_config(|performance| {
        performance.broadcast_channel_capacity = RELAY_BUFFER;
    });
    builder.set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
    let client = builder.build().map_err(|error| failed(&error))?;
    client.init().await.map_err(|error| failed(&error))?;
    Ok(client)
}

/// The running election of one instance.
pub struct Election {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Election {
    /// Stops the source (when leading), gives the lease up so another instance takes over at
    /// once, and waits for that.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Starts taking part: `source` runs the upstream source into `hub` (with
/// [`LiveHub::publish`]) for as long as its future is not dropped; it is called each time this
/// instance becomes the leader, and its future dropped when it stops leading.
pub fn spawn<S, F>(
    coordination: Coordination,
    holder: &str,
    ttl: Duration,
    hub: LiveHub,
    source: S,
) -> Election
where
    S: FnMut() -> F + Send + 'static,
    F: Future<Output = ()> + Send,
{
    let lease = coordination.lease(LEASE_NAME, holder, ttl);
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(async move {
        tokio::select! {
            () = run(&lease, coordination.relay.as_ref(), &hub, source) => {}
            _ = stopped => {}
        }
        if let Err(error) = lease.release().await {
            tracing::warn!(%error, "could not give up the live feed's lease at shutdown");
        }
    });
    Election { stop, task }
}

/// The loop: lead while holding the lease, follow while another instance does.
async fn run<S, F>(lease: &Lease, relay: Option<&Relay>, hub: &LiveHub, mut source: S)
where
    S: FnMut() -> F,
    F: Future<Output = ()>,
{
    let mut following = Following::new(relay, hub);
    let mut leader: Option<String> = None;
    loop {
        match lease.try_acquire().await {
            Ok(Holding::Mine) => {
                tracing::info!(
                    instance = lease.holder(),
                    "this instance now runs the live feed"
                );
                leader = Some(lease.holder().to_string());
                following.stop();
                let why = tokio::select! {
                    lost = lease.hold() => lost,
                    () = source() => {
                        // The source only ends when it cannot run at all: let another try.
                        if let Err(error) = lease.release().await {
                            tracing::warn!(%error, "could not give up the live feed's lease");
                        }
                        Lost::Taken
                    }
                    () = forward(relay, hub, lease.holder()) => Lost::Taken,
                };
                match why {
                    Lost::Taken => tracing::warn!("this instance no longer runs the live feed"),
                    Lost::Failed(error) => tracing::warn!(
                        %error,
                        "this instance stopped running the live feed: the lease could not be renewed"
                    ),
                }
            }
            Ok(Holding::Theirs { holder, expires_in }) => {
                if leader.as_deref() != Some(holder.as_str()) {
                    if relay.is_some() {
                        tracing::info!(leader = %holder, "following another instance's live feed");
                    } else {
                        tracing::warn!(
                            leader = %holder,
                            "another instance runs the live feed on this SQLite database, and \
                             SQLite has no relay between instances: use PostgreSQL (or Redis \
                             sessions) for several instances"
                        );
                    }
                    leader = Some(holder);
                }
                let wait = expires_in.min(lease.renew_every()) + EXPIRY_MARGIN;
                following.follow_for(wait).await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot tell who runs the live feed");
                following.follow_for(lease.renew_every()).await;
            }
        }
    }
}

/// The leader's side of the relay: every message the hub applies (first a snapshot of the
/// state), and a snapshot whenever a follower asks. Never returns.
async fn forward(relay: Option<&Relay>, hub: &LiveHub, from: &str) {
    let Some(relay) = relay else {
        return std::future::pending().await;
    };
    let mut messages = hub.subscribe(None);
    let mut requests: Option<SnapshotRequests> = None;
    let mut retry_at = Instant::now();
    let mut failing = false;
    loop {
        if requests.is_none() && Instant::now() >= retry_at {
            match relay.snapshot_requests().await {
                Ok(listening) => requests = Some(listening),
                Err(error) => {
                    tracing::warn!(%error, "cannot receive the followers' snapshot requests");
                    retry_at = Instant::now() + RETRY;
                }
            }
        }
        let message = tokio::select! {
            applied = messages.next() => match applied {
                Some(applied) => applied.message.clone(),
                None => return std::future::pending().await,
            },
            asked = next_request(&mut requests, retry_at) => match asked {
                Ok(()) => LiveMessage::Snapshot { state: hub.state(), rights: ViewerRights::default() },
                Err(error) => {
                    tracing::warn!(%error, "lost the followers' snapshot requests");
                    requests = None;
                    retry_at = Instant::now() + RETRY;
                    continue;
                }
            },
        };
        let envelope = Envelope {
            from: from.to_string(),
            message,
        };
        match relay.publish(&envelope).await {
            Ok(()) if failing => {
                tracing::info!("the live relay works again");
                failing = false;
            }
            Ok(()) => {}
            // Followers see the version gap and ask for a snapshot once it works again.
            Err(error) if !failing => {
                tracing::warn!(%error, "the other instances miss live updates");
                failing = true;
            }
            Err(_) => {}
        }
    }
}

/// The next snapshot request; without a subscription, waits until `retry_at`, then reports
/// nothing (the caller subscribes again).
async fn next_request(
    requests: &mut Option<SnapshotRequests>,
    retry_at: Instant,
) -> Result<(), super::relay::RelayError> {
    match requests {
        Some(requests) => requests.next().await,
        None => {
            tokio::time::sleep_until(retry_at).await;
            std::future::pending().await
        }
    }
}

/// A follower's side of the relay, kept across the turns of the loop.
struct Following<'a> {
    relay: Option<&'a Relay>,
    hub: &'a LiveHub,
    subscription: Option<RelaySubscription>,
    sync: FollowerSync,
    /// When to (re)subscribe or ask for a snapshot next.
    next_try: Instant,
}

impl<'a> Following<'a> {
    fn new(relay: Option<&'a Relay>, hub: &'a LiveHub) -> Following<'a> {
        Following {
            relay,
            hub,
            subscription: None,
            sync: FollowerSync::default(),
            next_try: Instant::now(),
        }
    }

    /// Leaves the relay (this instance leads now; it starts out of step when it follows again).
    fn stop(&mut self) {
        self.subscription = None;
        self.sync.lost();
    }

    /// Applies what the relay brings for `period`; the hub keeps its state meanwhile, whatever
    /// happens to the relay.
    async fn follow_for(&mut self, period: Duration) {
        let Some(relay) = self.relay else {
            return tokio::time::sleep(period).await;
        };
        let until = Instant::now() + period;
        while Instant::now() < until {
            let now = Instant::now();
            if self.subscription.is_none() && now >= self.next_try {
                match relay.subscribe().await {
                    Ok(subscription) => {
                        self.subscription = Some(subscription);
                        self.sync.lost();
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot receive the live feed from the leader");
                        self.next_try = now + RETRY;
                    }
                }
            }
            if self.subscription.is_some() && !self.sync.in_step() && now >= self.next_try {
                if let Err(error) = relay.request_snapshot().await {
                    tracing::warn!(%error, "cannot ask the leader for the live state");
                }
                self.next_try = now + ASK_AGAIN;
            }
            // Wake up at the end of the period, or for the next attempt when one is due.
            let wake = if self.subscription.is_some() && self.sync.in_step() {
                until
            } else {
                until.min(self.next_try.max(now + Duration::from_millis(1)))
            };
            let Some(subscription) = self.subscription.as_mut() else {
                tokio::time::sleep_until(wake).await;
                continue;
            };
            let received = tokio::select! {
                received = subscription.next() => received,
                () = tokio::time::sleep_until(wake) => continue,
            };
            match received {
                Ok(Relayed::Message(envelope)) => {
                    match self.sync.step(self.hub.version(), &envelope) {
                        Step::Apply => {
                            self.hub.apply(envelope.message);
                        }
                        Step::Skip => {}
                        Step::Resync => {
                            tracing::info!(
                                version = self.hub.version(),
                                "missed a live update: asking the leader for the whole state"
                            );
                            self.next_try = Instant::now();
                        }
                    }
                }
                Ok(Relayed::Lost) => {
                    self.sync.lost();
                    self.next_try = Instant::now();
                }
                Err(error) => {
                    tracing::warn!(%error, "lost the live feed from the leader");
                    self.subscription = None;
                    self.sync.lost();
                    self.next_try = Instant::now() + RETRY;
                }
            }
        }
    }
}
