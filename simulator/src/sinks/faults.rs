//! Faults of event sink deliveries, part of `/_sim/faults` (key `event_sinks`): events dropped
//! before delivery (their `seq` is used all the same, so receivers see a gap) and deliveries
//! stalled for a while or until cleared; and the retry backoff, shortened for tests.
//!
//! [`SinkFaultSwitch`] is shared by the fault switchboard (which replaces the settings) and the
//! publishers (which read them); the stall is a [`watch`] channel so stalled publishers resume
//! as soon as it is cleared.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::faults::SplitMix64;

/// The event sink part of the fault configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SinkFaults {
    /// Share of events dropped instead of delivered (`eventsink_started` excepted); each still
    /// uses its `seq`, so the receiver sees a gap.
    pub drop_rate: f64,
    /// Deliveries pause until this is set back to `false`.
    pub stall: bool,
    /// Deliveries pause for this many milliseconds from the moment the faults are set.
    pub stall_ms: u64,
    /// The first delay before retrying a failed delivery; it doubles with every retry.
    pub retry_backoff_ms: u64,
    /// The longest delay between retries (Pexip's `es_maximum_retry_backoff`, 1800 s there).
    pub max_retry_backoff_ms: u64,
}

/// Pexip's first retry delay (`es_initial_retry_backoff`).
const RETRY_BACKOFF_MS: u64 = 1000;
/// The simulator's longest retry delay by default (Pexip's is 30 minutes).
const MAX_RETRY_BACKOFF_MS: u64 = 30_000;
/// The longest stall or retry delay accepted (an hour).
const MAX_DELAY_MS: u64 = 3_600_000;

impl Default for SinkFaults {
    fn default() -> Self {
        SinkFaults {
            drop_rate: 0.0,
            stall: false,
            stall_ms: 0,
            retry_backoff_ms: RETRY_BACKOFF_MS,
            max_retry_backoff_ms: MAX_RETRY_BACKOFF_MS,
        }
    }
}

impl SinkFaults {
    /// Checks the ranges; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.drop_rate) {
            return Err(format!(
                "event_sinks.drop_rate must be between 0 and 1, got {}",
                self.drop_rate
            ));
        }
        for (name, value) in [
            ("stall_ms", self.stall_ms),
            ("retry_backoff_ms", self.retry_backoff_ms),
            ("max_retry_backoff_ms", self.max_retry_backoff_ms),
        ] {
            if value > MAX_DELAY_MS {
                return Err(format!(
                    "event_sinks.{name} must be at most {MAX_DELAY_MS}, got {value}"
                ));
            }
        }
        if self.retry_backoff_ms == 0 {
            return Err("event_sinks.retry_backoff_ms must be at least 1".to_owned());
        }
        if self.max_retry_backoff_ms < self.retry_backoff_ms {
            return Err(
                "event_sinks.max_retry_backoff_ms must be at least retry_backoff_ms".to_owned(),
            );
        }
        Ok(())
    }
}

/// The active sink faults and when they were set.
#[derive(Debug, Clone)]
pub struct Active {
    pub faults: SinkFaults,
    pub set_at: tokio::time::Instant,
}

impl Active {
    /// When a timed stall ends (`None` without one).
    fn stalled_until(&self) -> Option<tokio::time::Instant> {
        (self.faults.stall_ms > 0)
            .then(|| self.set_at + Duration::from_millis(self.faults.stall_ms))
    }
}

/// The sink faults shared by the switchboard and the publishers.
pub struct SinkFaultSwitch {
    active: watch::Sender<Active>,
    rng: Mutex<SplitMix64>,
}

impl SinkFaultSwitch {
    /// A switch with `faults` active; `seed` seeds the drop decisions.
    pub fn new(faults: SinkFaults, seed: u64) -> Self {
        let (active, _) = watch::channel(Active {
            faults,
            set_at: tokio::time::Instant::now(),
        });
        SinkFaultSwitch {
            active,
            rng: Mutex::new(SplitMix64(seed)),
        }
    }

    /// Replaces the faults (already validated) and reseeds the drop decisions.
    pub fn set(&self, faults: SinkFaults, seed: u64) {
        *self.rng.lock().unwrap_or_else(|e| e.into_inner()) = SplitMix64(seed);
        self.active.send_replace(Active {
            faults,
            set_at: tokio::time::Instant::now(),
        });
    }

    /// The active faults.
    pub fn get(&self) -> SinkFaults {
        self.active.borrow().faults.clone()
    }

    /// Whether the next event is dropped.
    pub fn drop_next(&self) -> bool {
        let rate = self.active.borrow().faults.drop_rate;
        self.rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .roll(rate)
    }

    /// The retry delays: the first one and the longest one.
    pub fn backoff(&self) -> (Duration, Duration) {
        let f = &self.active.borrow().faults;
        (
            Duration::from_millis(f.retry_backoff_ms),
            Duration::from_millis(f.max_retry_backoff_ms),
        )
    }

    /// Returns once deliveries are not stalled (at once when they are not).
    pub async fn wait_unstalled(&self) {
        let mut changes = self.active.subscribe();
        loop {
            let (stall, until) = {
                let active = changes.borrow_and_update();
                (active.faults.stall, active.stalled_until())
            };
            if stall {
                if changes.changed().await.is_err() {
                    return;
                }
                continue;
            }
            match until {
                Some(until) if until > tokio::time::Instant::now() => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(until) => {}
                        changed = changes.changed() => if changed.is_err() { return },
                    }
                }
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked_and_named() {
        assert!(SinkFaults::default().validate().is_ok());
        let bad = SinkFaults {
            drop_rate: 1.5,
            ..SinkFaults::default()
        };
        assert!(bad.validate().unwrap_err().contains("drop_rate"));
        let bad = SinkFaults {
            max_retry_backoff_ms: 10,
            retry_backoff_ms: 20,
            ..SinkFaults::default()
        };
        assert!(bad.validate().unwrap_err().contains("max_retry_backoff_ms"));
        let bad = SinkFaults {
            stall_ms: MAX_DELAY_MS + 1,
            ..SinkFaults::default()
        };
        assert!(bad.validate().unwrap_err().contains("stall_ms"));
    }

    #[test]
    fn drops_follow_the_rate() {
        let switch = SinkFaultSwitch::new(SinkFaults::default(), 1);
        assert!(!(0..100).any(|_| switch.drop_next()));
        switch.set(
            SinkFaults {
                drop_rate: 1.0,
                ..SinkFaults::default()
            },
            1,
        );
        assert!((0..100).all(|_| switch.drop_next()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_timed_stall_ends_by_itself_and_a_stall_ends_when_cleared() {
        let switch = std::sync::Arc::new(SinkFaultSwitch::new(SinkFaults::default(), 1));
        switch.wait_unstalled().await;
        switch.set(
            SinkFaults {
                stall_ms: 500,
                ..SinkFaults::default()
            },
            1,
        );
        let start = tokio::time::Instant::now();
        switch.wait_unstalled().await;
        assert!(start.elapsed() >= Duration::from_millis(500));

        switch.set(
            SinkFaults {
                stall: true,
                ..SinkFaults::default()
            },
            1,
        );
        let waiting = tokio::spawn({
            let switch = switch.clone();
            async move { switch.wait_unstalled().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        switch.set(SinkFaults::default(), 1);
        tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("resumed once cleared")
            .expect("no panic");
    }
}
