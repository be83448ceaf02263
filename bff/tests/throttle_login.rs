//! Login throttling on real databases: per account and per address, a clear message, shared
//! by every instance on the database, reset by success, a sliding window.

#![cfg(feature = "ssr")]

use bff::Role;
use bff::accounts::{LoginError, NewAccount, authenticate, create_account};
use bff::db::testing::TestDatabase;
use bff::db::{Db, now_unix};
use bff::throttle::{self, ThrottleConfig, Throttled};
use std::net::IpAddr;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn add(db: &Db, username: &str) {
    create_account(
        db,
        &NewAccount {
            username: username.into(),
            password: format!("{username} password 123"),
            role: Role::Helpdesk,
            tenant_id: None,
            email: None,
        },
    )
    .await
    .unwrap();
}

async fn attempt(
    db: &Db,
    config: &ThrottleConfig,
    username: &str,
    right: bool,
    from: &str,
) -> Result<(), LoginError> {
    let password = if right {
        format!("{username} password 123")
    } else {
        "wrong password!".to_string()
    };
    authenticate(db, config, username, &password, ip(from))
        .await
        .map(|_| ())
}

async fn blocks_after_n_failures_on_every_instance(database: TestDatabase) {
    // Two instances on the same database.
    let first = database.open().await.unwrap();
    let second = database.open().await.unwrap();
    add(&first, "alice").await;
    add(&first, "bob").await;
    let config = ThrottleConfig::default();

    for _ in 0..5 {
        assert!(matches!(
            attempt(&first, &config, "alice", false, "192.0.2.1").await,
            Err(LoginError::InvalidCredentials)
        ));
    }
    // The sixth attempt is refused on the other instance, even with the right password,
    // from another address, in another spelling of the name.
    let error = attempt(&second, &config, "ALICE", true, "198.51.100.7")
        .await
        .unwrap_err();
    let LoginError::Throttled(Throttled { retry_after_secs }) = error else {
        panic!("expected throttling, got {error:?}");
    };
    assert!(
        (890..=900).contains(&retry_after_secs),
        "{retry_after_secs}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "Too many failed sign-in attempts. Try again in {} minutes.",
            retry_after_secs.div_ceil(60)
        )
    );
    // Other accounts from the same address are not affected.
    attempt(&second, &config, "bob", true, "192.0.2.1")
        .await
        .unwrap();
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn sqlite_blocks_after_n_failures_on_every_instance() {
    blocks_after_n_failures_on_every_instance(TestDatabase::sqlite().unwrap()).await;
}

#[tokio::test]
async fn postgres_blocks_after_n_failures_on_every_instance() {
    let database = TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    blocks_after_n_failures_on_every_instance(database).await;
}

async fn addresses_are_limited_too(database: TestDatabase) {
    let db = database.open().await.unwrap();
    add(&db, "carol").await;
    let config = ThrottleConfig {
        max_failures_per_account: 5,
        max_failures_per_address: 4,
        window_secs: 600,
    };
    // Guessing across many usernames (existing or not) from one IPv6 /64.
    for (n, name) in ["u1", "u2", "u3", "u4"].into_iter().enumerate() {
        let from = format!("2001:db8:0:1::{}", n + 1);
        assert!(matches!(
            attempt(&db, &config, name, false, &from).await,
            Err(LoginError::InvalidCredentials)
        ));
    }
    let error = attempt(&db, &config, "carol", true, "2001:db8:0:1::99")
        .await
        .unwrap_err();
    assert!(matches!(error, LoginError::Throttled(_)), "{error:?}");
    // Another network is not affected.
    attempt(&db, &config, "carol", true, "2001:db8:0:2::1")
        .await
        .unwrap();
    db.close().await;
}

#[tokio::test]
async fn sqlite_addresses_are_limited_too() {
    addresses_are_limited_too(TestDatabase::sqlite().unwrap()).await;
}

#[tokio::test]
async fn postgres_addresses_are_limited_too() {
    let database = TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    addresses_are_limited_too(database).await;
}

/// Guesses sent all at once cannot slip past the limit between the check and the record.
async fn concurrent_guesses_are_counted(database: TestDatabase) {
    let db = database.open().await.unwrap();
    add(&db, "frank").await;
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let db = db.clone();
        guesses.spawn(async move {
            attempt(
                &db,
                &ThrottleConfig::default(),
                "frank",
                false,
                "192.0.2.77",
            )
            .await
        });
    }
    let results = guesses.join_all().await;
    let wrong = results
        .iter()
        .filter(|r| matches!(r, Err(LoginError::InvalidCredentials)))
        .count();
    let throttled = results
        .iter()
        .filter(|r| matches!(r, Err(LoginError::Throttled(_))))
        .count();
    assert!(wrong <= 5, "{wrong} guesses were checked: {results:?}");
    assert_eq!(wrong + throttled, 12, "{results:?}");
    // Exactly the checked guesses were recorded: the account has the rest of its five left.
    // (Refused guesses are not recorded, so a burst may even be refused entirely.)
    for _ in wrong..5 {
        let result = attempt(
            &db,
            &ThrottleConfig::default(),
            "frank",
            false,
            "192.0.2.78",
        )
        .await;
        assert!(
            matches!(result, Err(LoginError::InvalidCredentials)),
            "{result:?}"
        );
    }
    let result = attempt(&db, &ThrottleConfig::default(), "frank", true, "192.0.2.78").await;
    assert!(
        matches!(result, Err(LoginError::Throttled(_))),
        "{result:?}"
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_concurrent_guesses_are_counted() {
    concurrent_guesses_are_counted(TestDatabase::sqlite().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_guesses_are_counted() {
    let database = TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    concurrent_guesses_are_counted(database).await;
}

#[tokio::test]
async fn success_resets_the_account_count() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.open().await.unwrap();
    add(&db, "dave").await;
    let config = ThrottleConfig::default();
    for _ in 0..4 {
        attempt(&db, &config, "dave", false, "192.0.2.5")
            .await
            .unwrap_err();
    }
    attempt(&db, &config, "dave", true, "192.0.2.5")
        .await
        .unwrap();
    for _ in 0..4 {
        assert!(matches!(
            attempt(&db, &config, "dave", false, "192.0.2.5").await,
            Err(LoginError::InvalidCredentials)
        ));
    }
    attempt(&db, &config, "dave", true, "192.0.2.5")
        .await
        .unwrap();
}

#[tokio::test]
async fn the_window_slides() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.open().await.unwrap();
    let config = ThrottleConfig {
        max_failures_per_account: 3,
        max_failures_per_address: 0,
        window_secs: 100,
    };
    let from = ip("203.0.113.9");
    let t0 = now_unix();
    for offset in [0, 10, 20] {
        throttle::record_failure(&db, &config, "erin", from, t0 + offset)
            .await
            .unwrap();
    }
    // Three failures in the window: locked until the oldest leaves it.
    let wait = throttle::check(&db, &config, "erin", from, t0 + 30)
        .await
        .unwrap();
    assert_eq!(
        wait,
        Some(Throttled {
            retry_after_secs: 70
        })
    );
    let wait = throttle::check(&db, &config, "erin", from, t0 + 99)
        .await
        .unwrap();
    assert_eq!(
        wait,
        Some(Throttled {
            retry_after_secs: 1
        })
    );
    assert_eq!(
        throttle::check(&db, &config, "erin", from, t0 + 100)
            .await
            .unwrap(),
        None
    );
    // One more failure fills the window again, now counted from the second.
    throttle::record_failure(&db, &config, "erin", from, t0 + 100)
        .await
        .unwrap();
    let wait = throttle::check(&db, &config, "erin", from, t0 + 100)
        .await
        .unwrap();
    assert_eq!(
        wait,
        Some(Throttled {
            retry_after_secs: 10
        })
    );
    throttle::reset_account(&db, "erin").await.unwrap();
    assert_eq!(
        throttle::check(&db, &config, "erin", from, t0 + 100)
            .await
            .unwrap(),
        None
    );
}
