//! The shared poller: one reader of the status API for the whole deployment. Every
//! `poll_interval_secs` it reads every page of conferences and participants (and the system
//! locations) and publishes only what changed; every `platform_interval_secs` it reads the
//! platform's picture. It backs off while the node rate-limits or fails, saying so in the
//! feed's health. With nobody watching (no subscriber to the hub) it reads nothing.

use super::backoff::{Backoff, MAX_BACKOFF};
use super::fields::now_ms;
use super::hub::LiveHub;
use super::model::{FeedHealth, FeedSource, LiveMessage};
use super::owners::OwnerCache;
use super::platform::{read_platform, sample};
use super::status::{diff, location_names, read_all, read_conferences};
use crate::metrics::Metrics;
use pexip::client::{Client, ClientError};
use std::time::{Duration, Instant};

/// The feed's health is re-published at least this often while nothing else changes (so that
/// viewers see `updated_at` move).
const HEALTH_REFRESH: Duration = Duration::from_secs(15);

/// Reads conferences in progress into the hub: the poller's read, and the event-sink feed's
/// repair.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    pub client: Client,
    pub hub: LiveHub,
    pub owners: OwnerCache,
    pub metrics: Metrics,
}

impl Reader {
    /// Reads conferences, participants and locations, and publishes what changed.
    pub(crate) async fn refresh_conferences(&self) -> Result<(), ClientError> {
        let mut fresh = read_conferences(&self.client).await?;
        let locations = location_names(&read_all(&self.client, "system_location").await?);
        self.owners.fill(&self.client, fresh.values_mut()).await;
        let (change, locations_changed) = self.hub.with_state(|state| {
            (
                diff(&state.conferences, &fresh),
                state.locations != locations,
            )
        });
        if let Some(change) = change {
            self.hub.publish(change);
        }
        if locations_changed {
            self.hub.publish(LiveMessage::Locations {
                version: 0,
                locations,
            });
        }
        Ok(())
    }

    /// Reads the platform's picture and publishes it with its chart point.
    pub(crate) async fn refresh_platform(&self) -> Result<(), ClientError> {
        let platform = read_platform(&self.client, now_ms()).await?;
        let (conferences, participants) = self.hub.with_state(|state| {
            (
                state.conferences.len() as u64,
                state.participant_count() as u64,
            )
        });
        let sample = sample(&platform, conferences, participants);
        self.hub.publish(LiveMessage::Platform {
            version: 0,
            platform,
            sample,
        });
        Ok(())
    }

    /// Publishes the feed's health when it differs from the state's (beyond `updated_at` and
    /// `lag_ms`), or when the last one is older than [`HEALTH_REFRESH`].
    pub(crate) fn report(&self, feed: FeedHealth) {
        let stale = self.hub.with_state(|state| {
            let current = &state.feed;
            current.source != feed.source
                || current.problem != feed.problem
                || current.gaps != feed.gaps
                || feed.updated_at - current.updated_at >= HEALTH_REFRESH.as_millis() as i64
        });
        if stale {
            self.hub.publish(LiveMessage::Feed { version: 0, feed });
        }
    }
}

/// The readable sentence for a failed read, with when the next one happens.
pub(crate) fn problem(error: &ClientError, retry_in: Duration) -> String {
    format!(
        "The live view cannot read the Management Node: {error} Retrying in {} s.",
        retry_in.as_secs().max(1)
    )
}

/// The `Retry-After` a failure carries.
fn retry_after(error: &ClientError) -> Option<Duration> {
    match error {
        ClientError::RateLimited { retry_after } => *retry_after,
        _ => None,
    }
}

/// Runs the poller until the task is dropped (the leader's source).
pub(crate) async fn run(reader: Reader, poll_interval: Duration, platform_interval: Duration) {
    let mut backoff = Backoff::new(poll_interval, MAX_BACKOFF);
    let mut platform_due = Instant::now();
    loop {
        reader.hub.watched().await;
        let started = Instant::now();
        let mut outcome = reader.refresh_conferences().await;
        if outcome.is_ok() && Instant::now() >= platform_due {
            outcome = reader.refresh_platform().await;
            if outcome.is_ok() {
                platform_due = Instant::now() + platform_interval;
            }
        }
        let lag_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (wait, problem) = match &outcome {
            Ok(()) => {
                if backoff.degraded() {
                    tracing::info!("live feed: the Management Node answers again");
                }
                (backoff.success(), None)
            }
            Err(error) => {
                let wait = backoff.failure(retry_after(error));
                tracing::warn!(%error, retry_in_secs = wait.as_secs(), "live feed: a status read failed");
                (wait, Some(problem(error, wait)))
            }
        };
        reader.metrics.set_feed_lag_ms(lag_ms);
        let gaps = reader.hub.with_state(|state| state.feed.gaps);
        reader.report(FeedHealth {
            source: FeedSource::Poller,
            updated_at: if problem.is_none() {
                now_ms()
            } else {
                reader.hub.with_state(|state| state.feed.updated_at)
            },
            lag_ms,
            gaps,
            problem,
        });
        tokio::time::sleep(wait.saturating_sub(started.elapsed().min(wait / 2))).await;
    }
}
