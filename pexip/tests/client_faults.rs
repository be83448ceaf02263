//! Every simulator fault mode gives its typed error, without a panic; GETs are retried as
//! configured, mutations never.

mod client_support;

use std::time::{Duration, Instant};

use client_support::{PASSWORD, Upstream};
use pexip::Query;
use pexip::client::{Api, Client, ClientError, ObjectId, PexipConfig, Secret};
use serde_json::json;
use simulator::{FaultConfig, RateLimit};

fn all(rate: f64) -> FaultConfig {
    FaultConfig {
        error_rate: rate,
        ..FaultConfig::default()
    }
}

async fn list(client: &Client) -> Result<pexip::ListResponse<serde_json::Value>, ClientError> {
    client
        .list(Api::Configuration, "conference", &Query::new())
        .await
}

fn assert_no_password(error: &ClientError) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PASSWORD), "{text}");
    }
}

#[tokio::test]
async fn server_error_is_upstream_500_and_not_retried() {
    let up = Upstream::start().await;
    up.faults(all(1.0));
    let err = list(&up.client()).await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Upstream {
            status: 500,
            message: "Sorry, this request could not be processed. Please try again later.".into()
        }
    );
    assert_no_password(&err);
    assert_eq!(up.counts.total(), 1, "a 500 is not retried");
}

#[tokio::test]
async fn unavailable_gets_are_retried_the_configured_number_of_times() {
    let up = Upstream::start().await;
    up.faults(FaultConfig {
        unavailable_rate: 1.0,
        ..FaultConfig::default()
    });
    for retries in [0, 1, 3] {
        up.counts.reset();
        let client = up.client_with(PexipConfig {
            max_retries: retries,
            ..up.config()
        });
        let err = list(&client).await.unwrap_err();
        assert!(
            matches!(err, ClientError::Upstream { status: 503, .. }),
            "{err:?}"
        );
        assert_no_password(&err);
        assert_eq!(up.counts.total(), 1 + retries as usize, "{retries} retries");
        assert_eq!(client.stats().requests_sent, 1 + u64::from(retries));
    }
}

#[tokio::test]
async fn a_retried_get_succeeds_once_the_node_recovers() {
    let up = Upstream::start().await;
    // Seeded: with this seed the first answers are 503s and a later one succeeds.
    up.faults(FaultConfig {
        unavailable_rate: 0.5,
        seed: Some(7),
        ..FaultConfig::default()
    });
    let client = up.client_with(PexipConfig {
        max_retries: 10,
        ..up.config()
    });
    let mut retried = false;
    for _ in 0..5 {
        up.counts.reset();
        list(&client).await.unwrap();
        retried |= up.counts.total() > 1;
    }
    assert!(retried, "some GET needed a retry and then succeeded");
}

#[tokio::test]
async fn failed_mutations_are_never_retried() {
    let up = Upstream::start().await;
    let client = up.client_with(PexipConfig {
        max_retries: 5,
        ..up.config()
    });
    let cases = [
        FaultConfig {
            unavailable_rate: 1.0,
            ..FaultConfig::default()
        },
        FaultConfig {
            drop_connection_rate: 1.0,
            ..FaultConfig::default()
        },
        FaultConfig {
            rate_limit: Some(RateLimit {
                max_requests: 0,
                window_ms: 1000,
            }),
            ..FaultConfig::default()
        },
        all(1.0),
    ];
    for faults in cases {
        up.faults(faults.clone());
        up.counts.reset();
        let err = client
            .create(Api::Configuration, "conference", &json!({"name": "x"}))
            .await
            .unwrap_err();
        assert!(
            err.is_retryable() || matches!(err, ClientError::Upstream { status: 500, .. }),
            "{err:?}"
        );
        assert_eq!(up.counts.with_method("POST"), 1, "{faults:?}: {err}");
        assert_eq!(up.counts.total(), 1, "{faults:?}");
        up.counts.reset();
        let err = client
            .patch(
                Api::Configuration,
                "conference",
                &ObjectId::Int(1),
                &json!({"description": "x"}),
            )
            .await
            .unwrap_err();
        assert_eq!(up.counts.total(), 1, "{faults:?}: {err}");
        up.counts.reset();
        client
            .delete(Api::Configuration, "conference", &ObjectId::Int(1))
            .await
            .unwrap_err();
        client
            .command("platform", "backup_create", &json!({"passphrase": "x"}))
            .await
            .unwrap_err();
        assert_eq!(up.counts.total(), 2, "{faults:?}");
    }
}

#[tokio::test]
async fn rate_limit_honours_retry_after() {
    let up = Upstream::start().await;
    let client = up.client();
    up.faults(FaultConfig {
        rate_limit: Some(RateLimit {
            max_requests: 1,
            window_ms: 1000,
        }),
        ..FaultConfig::default()
    });
    list(&client).await.unwrap();
    let started = Instant::now();
    list(&client).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited {waited:?} for Retry-After: 1"
    );
    assert_eq!(
        up.counts.total(),
        3,
        "one 429, then the retry in a new window"
    );

    // A Retry-After beyond what the client waits for is reported at once.
    let impatient = up.client_with(PexipConfig {
        max_retry_after_secs: 0,
        ..up.config()
    });
    up.faults(FaultConfig {
        rate_limit: Some(RateLimit {
            max_requests: 0,
            window_ms: 5000,
        }),
        ..FaultConfig::default()
    });
    up.counts.reset();
    let err = list(&impatient).await.unwrap_err();
    assert_eq!(
        err,
        ClientError::RateLimited {
            retry_after: Some(Duration::from_secs(5))
        }
    );
    assert_eq!(
        err.to_string(),
        "The Management Node is busy (rate limited). Try again in 5 s."
    );
    assert_eq!(up.counts.total(), 1);
}

#[tokio::test]
async fn malformed_json_is_an_invalid_response() {
    let up = Upstream::start().await;
    let client = up.client();
    up.faults(FaultConfig {
        malformed_json_rate: 1.0,
        ..FaultConfig::default()
    });
    let err = list(&client).await.unwrap_err();
    assert!(
        matches!(err, ClientError::InvalidResponse(ref m) if m.contains("malformed JSON")),
        "{err:?}"
    );
    assert_eq!(up.counts.total(), 1, "malformed answers are not retried");
    for outcome in [
        client
            .schema(Api::Configuration, "conference")
            .await
            .map(drop),
        client
            .get(Api::Configuration, "global", &ObjectId::Int(1))
            .await
            .map(drop),
        client.discover(Api::Status).await.map(drop),
    ] {
        assert!(
            matches!(outcome, Err(ClientError::InvalidResponse(_))),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn dropped_connections_are_unreachable_and_gets_retry() {
    let up = Upstream::start().await;
    up.faults(FaultConfig {
        drop_connection_rate: 1.0,
        ..FaultConfig::default()
    });
    let client = up.client_with(PexipConfig {
        max_retries: 2,
        ..up.config()
    });
    let err = list(&client).await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Unreachable("the connection was lost".into())
    );
    assert_no_password(&err);
    assert_eq!(up.counts.total(), 3, "the GET was retried twice");
    up.faults(FaultConfig::default());
    list(&client).await.unwrap();
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_a_timeout() {
    let up = Upstream::start().await;
    up.faults(FaultConfig {
        latency_ms: 2500,
        ..FaultConfig::default()
    });
    let client = up.client_with(PexipConfig {
        request_timeout_secs: 1,
        ..up.config()
    });
    // The answer comes after 2.5 s: a Timeout (not the list) means the 1 s timeout cut it off.
    let err = list(&client).await.unwrap_err();
    assert_eq!(err, ClientError::Timeout);
    assert_eq!(up.counts.total(), 1, "a timed-out GET is not sent again");
}

#[tokio::test]
async fn nothing_listening_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(&PexipConfig {
        url: Some(format!("https://{addr}")),
        password: Some(Secret::new(PASSWORD)),
        max_retries: 1,
        retry_base_delay_ms: 1,
        ..PexipConfig::default()
    })
    .unwrap();
    let err = list(&client).await.unwrap_err();
    assert_eq!(err, ClientError::Unreachable("connection refused".into()));
    assert_eq!(
        err.to_string(),
        "The Pexip Management Node is unreachable (connection refused). Try again later."
    );
    assert_eq!(
        client.stats().requests_sent,
        2,
        "connection errors are retried"
    );
    assert_eq!(client.stats().connections_opened, 0);
}
