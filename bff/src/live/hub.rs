//! The live state every instance holds, and the fan-out of its changes to every viewer.
//!
//! A [`LiveHub`] changes only through [`LiveHub::apply`]: the leader stamps the changes its
//! source produces with [`LiveHub::publish`] (which applies them), followers apply the stamped
//! messages they receive from the leader. Every applied message goes to the subscribers (a
//! `tokio::sync::broadcast`) and into a small ring buffer, so a browser reconnecting with
//! `Last-Event-ID` gets what it missed instead of a whole snapshot.

use super::model::{LiveConference, LiveMessage, LiveState, ViewerRights};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{Notify, broadcast};

/// How many recent messages are kept for resumes, by default.
pub const DEFAULT_RING: usize = 256;
/// How many messages a subscriber may fall behind before it is sent a fresh snapshot instead.
const CHANNEL_CAPACITY: usize = 1024;

/// The live state and its subscribers (cheap to clone: one shared hub).
#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

struct Inner {
    /// The state and the recent messages, changed together under one lock so that a new
    /// subscriber's snapshot and its first received message follow each other exactly.
    core: Mutex<Core>,
    sender: broadcast::Sender<Arc<Applied>>,
    ring: usize,
    /// Woken at every new subscription (see [`LiveHub::watched`]).
    watchers: Notify,
}

struct Core {
    state: LiveState,
    recent: VecDeque<Arc<Applied>>,
}

/// One applied message, with what the conferences it touched were before it (so that each
/// viewer's filter can tell a conference leaving its scope, or ending, from one it never saw).
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub message: LiveMessage,
    /// The conferences the message upserted or removed, as they were before (absent: new).
    pub before: BTreeMap<String, LiveConference>,
}

impl Applied {
    /// A message with nothing before it (a snapshot, or a change outside the conferences).
    fn plain(message: LiveMessage) -> Arc<Applied> {
        Arc::new(Applied {
            message,
            before: BTreeMap::new(),
        })
    }
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub")
            .field("version", &self.version())
            .field("subscribers", &self.inner.sender.receiver_count())
            .finish()
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new(DEFAULT_RING)
    }
}

impl LiveHub {
    /// An empty hub keeping the last `ring` messages for resumes.
    pub fn new(ring: usize) -> Self {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        LiveHub {
            inner: Arc::new(Inner {
                core: Mutex::new(Core {
                    state: LiveState::default(),
                    recent: VecDeque::with_capacity(ring),
                }),
                sender,
                ring,
                watchers: Notify::new(),
            }),
        }
    }

    fn core(&self) -> MutexGuard<'_, Core> {
        // A panic while holding the lock cannot leave the state half-changed (apply is plain
        // data manipulation), so a poisoned lock is still usable.
        self.inner.core.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current state (unfiltered).
    pub fn state(&self) -> LiveState {
        self.core().state.clone()
    }

    /// The current version (0 before the first message).
    pub fn version(&self) -> u64 {
        self.core().state.version
    }

    /// Reads the current state without copying it.
    pub fn with_state<T>(&self, read: impl FnOnce(&LiveState) -> T) -> T {
        read(&self.core().state)
    }

    /// How many subscribers are connected right now.
    pub fn subscriber_count(&self) -> usize {
        self.inner.sender.receiver_count()
    }

    /// Returns once the hub has a subscriber (a viewer, or the relay to other instances): the
    /// poller does not read the node for nobody.
    pub async fn watched(&self) {
        loop {
            let notified = self.inner.watchers.notified();
            if self.subscriber_count() > 0 {
                return;
            }
            notified.await;
        }
    }

    /// Applies a message as it is (its version included): the follower's entry point, and the
    /// only way the state changes. A change older than the state (a duplicate from the relay)
    /// is ignored; a snapshot always replaces the state. Returns whether it was applied.
    pub fn apply(&self, message: LiveMessage) -> bool {
        let mut core = self.core();
        let fresh = matches!(message, LiveMessage::Snapshot { .. })
            || message.version() > core.state.version;
        if !fresh {
            return false;
        }
        let before = match &message {
            LiveMessage::Conferences {
                upserted, removed, ..
            } => upserted
                .iter()
                .map(|c| &c.name)
                .chain(removed)
                .filter_map(|name| core.state.conferences.get(name))
                .map(|c| (c.name.clone(), c.clone()))
                .collect(),
            _ => BTreeMap::new(),
        };
        core.state.apply(&message);
        let applied = Arc::new(Applied { message, before });
        if self.inner.ring > 0 {
            if core.recent.len() == self.inner.ring {
                core.recent.pop_front();
            }
            core.recent.push_back(applied.clone());
        }
        // No subscriber is not an error.
        let _ = self.inner.sender.send(applied);
        true
    }

    /// Stamps a change with the next version and applies it: the leader's entry point. Returns
    /// the stamped message (what the relay sends to the other instances).
    pub fn publish(&self, change: LiveMessage) -> LiveMessage {
        // The lock is taken twice (here and in apply); only the leader's one source task
        // publishes, so no other stamp can come in between.
        let next = self.version() + 1;
        let message = stamp(change, next);
        self.apply(message.clone());
        message
    }

    /// Subscribes to the changes. With `last_event_id` (the version the subscriber last saw)
    /// still in the ring buffer, the subscription starts with the messages after it; otherwise
    /// with a snapshot of the whole state.
    pub fn subscribe(&self, last_event_id: Option<u64>) -> HubSubscription {
        let core = self.core();
        let receiver = self.inner.sender.subscribe();
        let pending = match last_event_id.and_then(|seen| resume(&core, seen)) {
            Some(missed) => missed,
            None => VecDeque::from([Applied::plain(snapshot(&core.state))]),
        };
        drop(core);
        self.inner.watchers.notify_waiters();
        HubSubscription {
            hub: self.clone(),
            receiver,
            pending,
        }
    }
}

/// The messages after `seen`, when the ring buffer still holds all of them.
fn resume(core: &Core, seen: u64) -> Option<VecDeque<Arc<Applied>>> {
    if seen == core.state.version {
        return Some(VecDeque::new());
    }
    if seen > core.state.version {
        // From another leader's numbering (or another instance): start over.
        return None;
    }
    let first = core.recent.front()?.message.version();
    // The message right after `seen` must still be there, and none of the kept messages may
    // be a snapshot (a reset the subscriber would miss the start of).
    if first > seen + 1 {
        return None;
    }
    let missed: VecDeque<Arc<Applied>> = core
        .recent
        .iter()
        .filter(|a| a.message.version() > seen)
        .cloned()
        .collect();
    if missed
        .iter()
        .any(|a| matches!(a.message, LiveMessage::Snapshot { .. }))
    {
        return None;
    }
    Some(missed)
}

fn snapshot(state: &LiveState) -> LiveMessage {
    LiveMessage::Snapshot {
        state: state.clone(),
        rights: ViewerRights::default(),
    }
}

/// `change` carrying `version`.
fn stamp(change: LiveMessage, version: u64) -> LiveMessage {
    match change {
        LiveMessage::Snapshot { mut state, rights } => {
            state.version = version;
            LiveMessage::Snapshot { state, rights }
        }
        LiveMessage::Conferences {
            upserted, removed, ..
        } => LiveMessage::Conferences {
            version,
            upserted,
            removed,
        },
        LiveMessage::Platform {
            platform, sample, ..
        } => LiveMessage::Platform {
            version,
            platform,
            sample,
        },
        LiveMessage::Locations { locations, .. } => LiveMessage::Locations { version, locations },
        LiveMessage::Feed { feed, .. } => LiveMessage::Feed { version, feed },
    }
}

/// One subscriber's unfiltered messages (see [`LiveHub::subscribe`]).
pub struct HubSubscription {
    hub: LiveHub,
    receiver: broadcast::Receiver<Arc<Applied>>,
    pending: VecDeque<Arc<Applied>>,
}

impl HubSubscription {
    /// The next applied message; a subscriber that fell too far behind gets a fresh snapshot (the
    /// messages it missed are dropped). Never ends while the hub exists.
    pub async fn next(&mut self) -> Option<Arc<Applied>> {
        loop {
            if let Some(message) = self.pending.pop_front() {
                return Some(message);
            }
            match self.receiver.recv().await {
                Ok(message) => return Some(message),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "a live subscriber lagged: sending a snapshot");
                    let core = self.hub.core();
                    self.receiver = self.hub.inner.sender.subscribe();
                    self.pending
                        .push_back(Applied::plain(snapshot(&core.state)));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::model::{FeedHealth, LiveConference};

    fn conferences(names: &[&str]) -> LiveMessage {
        LiveMessage::Conferences {
            version: 0,
            upserted: names
                .iter()
                .map(|name| LiveConference {
                    name: name.to_string(),
                    ..Default::default()
                })
                .collect(),
            removed: vec![],
        }
    }

    async fn next(subscription: &mut HubSubscription) -> LiveMessage {
        tokio::time::timeout(std::time::Duration::from_secs(5), subscription.next())
            .await
            .expect("a message in time")
            .expect("open")
            .message
            .clone()
    }

    #[tokio::test]
    async fn a_subscriber_gets_a_snapshot_then_every_change_in_order() {
        let hub = LiveHub::new(4);
        hub.publish(conferences(&["a"]));
        let mut subscription = hub.subscribe(None);
        hub.publish(conferences(&["b"]));
        let LiveMessage::Snapshot { state, .. } = next(&mut subscription).await else {
            panic!("a snapshot first");
        };
        assert_eq!(state.version, 1);
        assert_eq!(state.conferences.len(), 1);
        assert_eq!(next(&mut subscription).await.version(), 2);
        assert_eq!(hub.state().conferences.len(), 2);
    }

    #[tokio::test]
    async fn resuming_replays_the_ring_or_falls_back_to_a_snapshot() {
        let hub = LiveHub::new(3);
        for name in ["a", "b", "c", "d", "e"] {
            hub.publish(conferences(&[name]));
        }
        // Versions 3, 4 and 5 are kept: resuming after 2 replays them.
        let mut resumed = hub.subscribe(Some(2));
        for expected in 3..=5 {
            assert_eq!(next(&mut resumed).await.version(), expected);
        }
        // After 1, version 2 is gone: a snapshot.
        let mut old = hub.subscribe(Some(1));
        assert!(matches!(next(&mut old).await, LiveMessage::Snapshot { .. }));
        // Up to date: nothing until the next change.
        let mut current = hub.subscribe(Some(5));
        hub.publish(LiveMessage::Feed {
            version: 0,
            feed: FeedHealth::default(),
        });
        assert_eq!(next(&mut current).await.version(), 6);
        // A version from another numbering: a snapshot.
        let mut foreign = hub.subscribe(Some(99));
        assert!(matches!(
            next(&mut foreign).await,
            LiveMessage::Snapshot { .. }
        ));
    }

    #[tokio::test]
    async fn a_lagging_subscriber_gets_a_fresh_snapshot() {
        let hub = LiveHub::new(0);
        let mut slow = hub.subscribe(None);
        assert!(matches!(
            next(&mut slow).await,
            LiveMessage::Snapshot { .. }
        ));
        for i in 0..(CHANNEL_CAPACITY + 10) {
            hub.publish(conferences(&[&format!("c{i}")]));
        }
        let LiveMessage::Snapshot { state, .. } = next(&mut slow).await else {
            panic!("a snapshot after lagging");
        };
        assert_eq!(state.conferences.len(), CHANNEL_CAPACITY + 10);
    }

    #[tokio::test]
    async fn watched_waits_for_a_subscriber() {
        let hub = LiveHub::default();
        let waiting = tokio::spawn({
            let hub = hub.clone();
            async move { hub.watched().await }
        });
        let _viewer = hub.subscribe(None);
        tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .expect("woken by the subscription")
            .expect("no panic");
    }

    #[test]
    fn followers_ignore_stale_changes_but_take_snapshots() {
        let hub = LiveHub::default();
        let leader = LiveHub::default();
        let first = leader.publish(conferences(&["a"]));
        assert!(hub.apply(first.clone()));
        assert!(!hub.apply(first));
        assert!(hub.apply(snapshot(&LiveState::default())));
        assert_eq!(hub.version(), 0);
    }
}
