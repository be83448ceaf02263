//! The live feed shared by several instances, on the real stores (a throwaway PostgreSQL
//! database, a unique Redis key prefix, a fresh SQLite file): two instances compete for the
//! lease and exactly one wins; when the holder stops renewing, the other takes over within the
//! TTL; the relay delivers messages in order (large ones too over PostgreSQL) and snapshot
//! requests; and two elections over each backend keep a follower's hub in step with the leader
//! through a change of leader.

#![cfg(feature = "ssr")]

use bff::db::testing::{TestDatabase, test_redis_url, unique_name};
use bff::live::LiveHub;
use bff::live::election::{self, Coordination, LEASE_NAME};
use bff::live::lease::{Holding, Lease};
use bff::live::model::{FeedHealth, LiveConference, LiveMessage, LiveState, ViewerRights};
use bff::live::relay::{Envelope, Relay, Relayed};
use std::time::Duration;
use tokio::time::{Instant, timeout};

/// The TTL of the tests' leases.
const TTL: Duration = Duration::from_millis(900);
/// How long anything expected may take at most.
const DEADLINE: Duration = Duration::from_secs(10);

/// The stores under test; the database handles must live as long as the coordination.
struct Store {
    name: &'static str,
    coordination: Coordination,
    _db: Option<TestDatabase>,
}

async fn postgres() -> Store {
    let db = TestDatabase::postgres().await.expect("PostgreSQL");
    let pool = db.open().await.expect("open PostgreSQL");
    Store {
        name: "PostgreSQL",
        coordination: Coordination::database(&pool),
        _db: Some(db),
    }
}

async fn redis() -> Store {
    let prefix = format!("{}:", unique_name("portal_test"));
    Store {
        name: "Redis",
        coordination: Coordination::redis(&test_redis_url(), &prefix)
            .await
            .expect("Redis"),
        _db: None,
    }
}

async fn sqlite() -> Store {
    let db = TestDatabase::sqlite().expect("SQLite");
    let pool = db.open().await.expect("open SQLite");
    Store {
        name: "SQLite",
        coordination: Coordination::database(&pool),
        _db: Some(db),
    }
}

fn leases(store: &Store, ttl: Duration) -> (Lease, Lease) {
    let name = unique_name("lease");
    (
        store.coordination.lease(&name, "instance-a", ttl),
        store.coordination.lease(&name, "instance-b", ttl),
    )
}

async fn two_leases_compete(store: Store) {
    let (a, b) = leases(&store, TTL);
    let (first, second) = tokio::join!(a.try_acquire(), b.try_acquire());
    let (first, second) = (first.expect("a tries"), second.expect("b tries"));
    let (winner, loser) = match (&first, &second) {
        (Holding::Mine, Holding::Theirs { .. }) => ("instance-a", &second),
        (Holding::Theirs { .. }, Holding::Mine) => ("instance-b", &first),
        _ => panic!("{}: exactly one wins: {first:?} / {second:?}", store.name),
    };
    let Holding::Theirs { holder, expires_in } = loser else {
        unreachable!()
    };
    assert_eq!(holder, winner, "{}", store.name);
    assert!(*expires_in <= TTL, "{}: {expires_in:?}", store.name);
    // Trying again changes nothing: the winner renews, the loser still loses.
    let (again_a, again_b) = (
        a.try_acquire().await.unwrap(),
        b.try_acquire().await.unwrap(),
    );
    assert_eq!(
        [again_a == Holding::Mine, again_b == Holding::Mine],
        [winner == "instance-a", winner == "instance-b"],
        "{}",
        store.name
    );
}

#[tokio::test]
async fn two_leases_compete_and_exactly_one_wins_on_postgresql() {
    two_leases_compete(postgres().await).await;
}

#[tokio::test]
async fn two_leases_compete_and_exactly_one_wins_on_redis() {
    two_leases_compete(redis().await).await;
}

#[tokio::test]
async fn two_leases_compete_and_exactly_one_wins_on_sqlite() {
    two_leases_compete(sqlite().await).await;
}

/// `lease` tries as the protocol does (again when the holder's lease is due to expire) until
/// it wins; returns how long the store said the holder's lease still ran at each try it lost.
async fn take_over(lease: &Lease) -> Vec<Duration> {
    timeout(DEADLINE, async {
        let mut expiries = Vec::new();
        loop {
            match lease.try_acquire().await.expect("try") {
                Holding::Mine => return expiries,
                Holding::Theirs { expires_in, .. } => {
                    expiries.push(expires_in);
                    tokio::time::sleep(
                        expires_in.min(lease.renew_every()) + Duration::from_millis(10),
                    )
                    .await
                }
            }
        }
    })
    .await
    .expect("taken over in time")
}

async fn the_other_takes_over(store: Store) {
    let (a, b) = leases(&store, TTL);
    assert_eq!(a.try_acquire().await.unwrap(), Holding::Mine);

    // While a renews, b never gets the lease, well past the TTL.
    let holding = a.clone();
    let held = tokio::spawn(async move { holding.hold().await });
    let until = Instant::now() + TTL * 3;
    while Instant::now() < until {
        assert!(
            matches!(b.try_acquire().await.unwrap(), Holding::Theirs { ref holder, .. } if holder == "instance-a"),
            "{}: b took a lease that a renews",
            store.name
        );
        tokio::time::sleep(TTL / 4).await;
    }

    // a stops renewing: b takes over within the TTL, told by the store's clock, not this
    // machine's timing: the lease a left ends within the TTL, is not extended any more (each
    // later try sees less of it left), and b wins once it has run out.
    held.abort();
    let _ = held.await;
    let expiries = take_over(&b).await;
    assert!(
        expiries.iter().all(|left| *left <= TTL),
        "{}: {expiries:?}",
        store.name
    );
    assert!(
        expiries.windows(2).all(|pair| pair[1] < pair[0]),
        "{}: a's lease was extended after it stopped: {expiries:?}",
        store.name
    );
    // a has lost it: its renewal says so, and it cannot take it back.
    assert!(!a.renew().await.unwrap(), "{}", store.name);
    assert!(
        matches!(a.try_acquire().await.unwrap(), Holding::Theirs { ref holder, .. } if holder == "instance-b")
    );

    // A release hands the lease over at once.
    b.release().await.unwrap();
    assert_eq!(
        a.try_acquire().await.unwrap(),
        Holding::Mine,
        "{}",
        store.name
    );
    // Releasing a lease another instance holds does nothing.
    b.release().await.unwrap();
    assert!(a.renew().await.unwrap(), "{}", store.name);
}

#[tokio::test]
async fn the_other_takes_over_within_the_ttl_on_postgresql() {
    the_other_takes_over(postgres().await).await;
}

#[tokio::test]
async fn the_other_takes_over_within_the_ttl_on_redis() {
    the_other_takes_over(redis().await).await;
}

#[tokio::test]
async fn the_other_takes_over_within_the_ttl_on_sqlite() {
    the_other_takes_over(sqlite().await).await;
}

fn feed(version: u64) -> LiveMessage {
    LiveMessage::Feed {
        version,
        feed: FeedHealth {
            lag_ms: version,
            ..Default::default()
        },
    }
}

fn conference(name: &str) -> LiveConference {
    LiveConference {
        name: name.into(),
        service_type: "conference".into(),
        start_time: "2026-12-01T10:00:00Z".into(),
        ..Default::default()
    }
}

/// A snapshot of `count` conferences.
fn snapshot(version: u64, count: usize) -> LiveMessage {
    LiveMessage::Snapshot {
        state: LiveState {
            version,
            conferences: (0..count)
                .map(|i| {
                    let name = format!("Conference room number {i}");
                    (name.clone(), conference(&name))
                })
                .collect(),
            ..Default::default()
        },
        rights: ViewerRights::default(),
    }
}

async fn next_message(subscription: &mut bff::live::relay::RelaySubscription) -> Envelope {
    match timeout(DEADLINE, subscription.next())
        .await
        .expect("a message in time")
        .expect("the relay works")
    {
        Relayed::Message(envelope) => *envelope,
        Relayed::Lost => panic!("nothing was lost"),
    }
}

async fn the_relay_delivers_in_order(store: Store) {
    let relay: &Relay = store.coordination.relay().expect("a relay");
    let mut first = relay.subscribe().await.expect("subscribe");
    let mut second = relay.subscribe().await.expect("subscribe");
    let large = snapshot(1, 300);
    let size = serde_json::to_string(&large).unwrap().len();
    assert!(size > 8_000, "the large message has {size} bytes");
    let mut sent = vec![large];
    sent.extend((2..=60).map(feed));
    for message in &sent {
        relay
            .publish(&Envelope {
                from: "leader".into(),
                message: message.clone(),
            })
            .await
            .expect("publish");
    }
    for subscription in [&mut first, &mut second] {
        for expected in &sent {
            let envelope = next_message(subscription).await;
            assert_eq!(envelope.from, "leader");
            assert_eq!(&envelope.message, expected, "{}", store.name);
        }
    }

    // A follower's snapshot request reaches the leader.
    let mut requests = relay
        .snapshot_requests()
        .await
        .expect("listen for requests");
    relay.request_snapshot().await.expect("ask");
    timeout(DEADLINE, requests.next())
        .await
        .expect("the request in time")
        .expect("the relay works");
}

#[tokio::test]
async fn the_relay_delivers_messages_in_order_large_ones_too_on_postgresql() {
    the_relay_delivers_in_order(postgres().await).await;
}

#[tokio::test]
async fn the_relay_delivers_messages_in_order_on_redis() {
    the_relay_delivers_in_order(redis().await).await;
}

#[tokio::test]
async fn sqlite_has_no_relay() {
    assert!(sqlite().await.coordination.relay().is_none());
}

/// Waits until `hub`'s state satisfies `done`.
async fn until(hub: &LiveHub, what: &str, done: impl Fn(&LiveState) -> bool) {
    let mut changes = hub.subscribe(None);
    let reached = timeout(DEADLINE, async {
        loop {
            if hub.with_state(&done) {
                return;
            }
            changes.next().await;
        }
    })
    .await;
    assert!(reached.is_ok(), "{what}: state is {:?}", hub.state());
}

/// A source that adds `name` to the hub, then runs until dropped.
fn source(
    hub: &LiveHub,
    name: &'static str,
) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send + 'static {
    let hub = hub.clone();
    move || {
        let hub = hub.clone();
        Box::pin(async move {
            hub.publish(LiveMessage::Conferences {
                version: 0,
                upserted: vec![conference(name)],
                removed: vec![],
            });
            std::future::pending::<()>().await
        })
    }
}

async fn a_follower_keeps_in_step_through_a_change_of_leader(make: fn() -> StoreFuture) {
    let store_a = make().await;
    let name = store_a.name;
    // Both instances use the same store (a second connection of the same kind).
    let store_b = Store {
        name,
        coordination: store_a.coordination.clone(),
        _db: None,
    };
    let (hub_a, hub_b) = (LiveHub::default(), LiveHub::default());
    let a = election::spawn(
        store_a.coordination.clone(),
        "instance-a",
        TTL,
        hub_a.clone(),
        source(&hub_a, "from-a"),
    );
    until(&hub_a, "a leads", |s| s.conferences.contains_key("from-a")).await;
    let b = election::spawn(
        store_b.coordination.clone(),
        "instance-b",
        TTL,
        hub_b.clone(),
        source(&hub_b, "from-b"),
    );
    // b follows: it gets a's state (by snapshot) and then a's changes.
    until(&hub_b, "b has a's state", |s| {
        s.conferences.contains_key("from-a")
    })
    .await;
    hub_a.publish(LiveMessage::Conferences {
        version: 0,
        upserted: vec![conference("later")],
        removed: vec!["from-a".into()],
    });
    until(&hub_b, "b has a's change", |s| {
        s.conferences.contains_key("later") && !s.conferences.contains_key("from-a")
    })
    .await;
    assert_eq!(hub_b.state(), hub_a.state(), "{name}");
    assert!(
        !hub_b.state().conferences.contains_key("from-b"),
        "{name}: b does not lead"
    );

    // a stops: b leads (when its lease ends is the lease test's to check, by the store's clock,
    // not this machine's timing), its source runs on the state it had.
    a.stop().await;
    until(&hub_b, "b leads", |s| s.conferences.contains_key("from-b")).await;
    assert!(
        hub_b.state().conferences.contains_key("later"),
        "{name}: b kept its state"
    );
    b.stop().await;
    drop(store_a);
}

type StoreFuture = std::pin::Pin<Box<dyn Future<Output = Store>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_keeps_in_step_through_a_change_of_leader_on_postgresql() {
    a_follower_keeps_in_step_through_a_change_of_leader(|| Box::pin(postgres())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_keeps_in_step_through_a_change_of_leader_on_redis() {
    a_follower_keeps_in_step_through_a_change_of_leader(|| Box::pin(redis())).await;
}

#[tokio::test]
async fn the_only_sqlite_instance_leads() {
    let store = sqlite().await;
    let hub = LiveHub::default();
    let instance = election::spawn(
        store.coordination.clone(),
        "only",
        TTL,
        hub.clone(),
        source(&hub, "mine"),
    );
    until(&hub, "the instance leads", |s| {
        s.conferences.contains_key("mine")
    })
    .await;
    instance.stop().await;
    // Stopping gave the lease up.
    let other = store.coordination.lease(LEASE_NAME, "next", TTL);
    assert_eq!(other.try_acquire().await.unwrap(), Holding::Mine);
}
