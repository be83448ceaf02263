//! Faults injected into `/api/admin/` requests, for the portal's own tests: latency, error
//! rates (500, 503), a request budget per window beyond which requests get 429 with
//! `Retry-After`, malformed JSON bodies and dropped connections.
//!
//! Switchable at run time (the control endpoint, [`Faults::set`]). Every random choice comes
//! from a generator seeded from the simulator's seed (or the configuration's own `seed`), so a
//! given sequence of requests meets the same faults every run.
//!
//! The `event_sinks` key holds the faults of event sink deliveries ([`SinkFaults`]); they are
//! handed to the publishers through [`Faults::sink_switch`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::sinks::faults::{SinkFaultSwitch, SinkFaults};

/// A request budget: at most `max_requests` per `window_ms`; beyond it, 429.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub max_requests: u32,
    pub window_ms: u64,
}

/// Which faults are active. Rates are probabilities in `[0, 1]` (1 = every request).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Delay before every request is handled.
    pub latency_ms: u64,
    /// Share of requests answered 500 with tastypie's generic error body.
    pub error_rate: f64,
    /// Share of requests answered 503.
    pub unavailable_rate: f64,
    /// Share of requests whose JSON body is cut short (status and headers unchanged).
    pub malformed_json_rate: f64,
    /// Share of requests whose connection is closed without an answer.
    pub drop_connection_rate: f64,
    /// Request budget per window; `null` for none.
    pub rate_limit: Option<RateLimit>,
    /// Seed of the fault generator; `null` uses the simulator's `--seed`.
    pub seed: Option<u64>,
    /// Faults of event sink deliveries (drops, stalls) and their retry backoff.
    pub event_sinks: SinkFaults,
}

impl FaultConfig {
    /// Checks the ranges; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("error_rate", self.error_rate),
            ("unavailable_rate", self.unavailable_rate),
            ("malformed_json_rate", self.malformed_json_rate),
            ("drop_connection_rate", self.drop_connection_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, got {rate}"));
            }
        }
        if let Some(limit) = &self.rate_limit
            && limit.window_ms == 0
        {
            return Err("rate_limit.window_ms must be at least 1".to_owned());
        }
        if self.latency_ms > 600_000 {
            return Err("latency_ms must be at most 600000".to_owned());
        }
        self.event_sinks.validate()
    }
}

/// What to do with one request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultAction {
    /// Handle it normally.
    None,
    /// Answer 500 with the generic error body.
    ServerError,
    /// Answer 503.
    Unavailable,
    /// Answer 429 with `Retry-After` (seconds).
    RateLimited { retry_after_secs: u64 },
    /// Close the connection without an answer.
    Drop,
    /// Handle it, then cut its JSON body short.
    Malformed,
}

/// The decision for one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub latency: Duration,
    pub action: FaultAction,
}

struct Inner {
    config: FaultConfig,
    rng: SplitMix64,
    window_start: Option<Instant>,
    window_count: u32,
}

/// The fault switchboard shared by every connection.
pub struct Faults {
    default_seed: u64,
    inner: Mutex<Inner>,
    sinks: Arc<SinkFaultSwitch>,
}

impl Faults {
    /// A switchboard with `config` active; `default_seed` seeds the generator unless the
    /// configuration names its own seed.
    pub fn new(config: FaultConfig, default_seed: u64) -> Self {
        let seed = config.seed.unwrap_or(default_seed);
        let rng = SplitMix64(seed);
        Faults {
            default_seed,
            sinks: Arc::new(SinkFaultSwitch::new(config.event_sinks.clone(), seed)),
            inner: Mutex::new(Inner {
                config,
                rng,
                window_start: None,
                window_count: 0,
            }),
        }
    }

    /// The active configuration.
    pub fn get(&self) -> FaultConfig {
        self.lock().config.clone()
    }

    /// Replaces the configuration; reseeds the generator and restarts the rate window.
    pub fn set(&self, config: FaultConfig) -> Result<(), String> {
        config.validate()?;
        let mut inner = self.lock();
        let seed = config.seed.unwrap_or(self.default_seed);
        self.sinks.set(config.event_sinks.clone(), seed);
        inner.rng = SplitMix64(seed);
        inner.window_start = None;
        inner.window_count = 0;
        inner.config = config;
        Ok(())
    }

    /// Decides the fate of one request arriving at `now`.
    pub fn decide(&self, now: Instant) -> Decision {
        let mut inner = self.lock();
        let latency = Duration::from_millis(inner.config.latency_ms);
        let action = inner.next_action(now);
        Decision { latency, action }
    }

    /// The event sink faults, shared with the publishers.
    pub fn sink_switch(&self) -> Arc<SinkFaultSwitch> {
        self.sinks.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the data inconsistent: recover it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn next_action(&mut self, now: Instant) -> FaultAction {
        if let Some(limit) = self.config.rate_limit.clone() {
            let window = Duration::from_millis(limit.window_ms);
            let start = match self.window_start {
                Some(start) if now.duration_since(start) < window => start,
                _ => {
                    self.window_count = 0;
                    self.window_start = Some(now);
                    now
                }
            };
            self.window_count = self.window_count.saturating_add(1);
            if self.window_count > limit.max_requests {
                let left = window.saturating_sub(now.duration_since(start));
                let retry_after_secs = left.as_millis().div_ceil(1000).max(1) as u64;
                return FaultAction::RateLimited { retry_after_secs };
            }
        }
        let c = self.config.clone();
        let rng = &mut self.rng;
        if rng.roll(c.drop_connection_rate) {
            FaultAction::Drop
        } else if rng.roll(c.error_rate) {
            FaultAction::ServerError
        } else if rng.roll(c.unavailable_rate) {
            FaultAction::Unavailable
        } else if rng.roll(c.malformed_json_rate) {
            FaultAction::Malformed
        } else {
            FaultAction::None
        }
    }
}

/// A small, well-known deterministic generator (SplitMix64).
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    /// True with probability `rate`; draws from the generator only for rates strictly between
    /// 0 and 1, so certain faults do not disturb the sequence of the others.
    pub(crate) fn roll(&mut self, rate: f64) -> bool {
        if rate <= 0.0 {
            false
        } else if rate >= 1.0 {
            true
        } else {
            self.next_f64() < rate
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(faults: &Faults, n: usize) -> Vec<FaultAction> {
        let now = Instant::now();
        (0..n).map(|_| faults.decide(now).action).collect()
    }

    #[test]
    fn no_faults_by_default() {
        let f = Faults::new(FaultConfig::default(), 1);
        assert!(actions(&f, 50).iter().all(|a| *a == FaultAction::None));
    }

    #[test]
    fn same_seed_same_sequence_and_rate_is_respected() {
        let config = FaultConfig {
            error_rate: 0.3,
            ..FaultConfig::default()
        };
        let a = actions(&Faults::new(config.clone(), 42), 1000);
        let b = actions(&Faults::new(config.clone(), 42), 1000);
        let c = actions(&Faults::new(config, 43), 1000);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let errors = a.iter().filter(|x| **x == FaultAction::ServerError).count();
        assert!((230..370).contains(&errors), "{errors} errors in 1000");
    }

    #[test]
    fn budget_is_enforced_per_window() {
        let f = Faults::new(
            FaultConfig {
                rate_limit: Some(RateLimit {
                    max_requests: 2,
                    window_ms: 10_000,
                }),
                ..FaultConfig::default()
            },
            1,
        );
        let t0 = Instant::now();
        assert_eq!(f.decide(t0).action, FaultAction::None);
        assert_eq!(f.decide(t0).action, FaultAction::None);
        assert_eq!(
            f.decide(t0 + Duration::from_millis(2500)).action,
            FaultAction::RateLimited {
                retry_after_secs: 8
            }
        );
        assert_eq!(
            f.decide(t0 + Duration::from_millis(10_000)).action,
            FaultAction::None
        );
    }

    #[test]
    fn out_of_range_rates_are_refused() {
        let f = Faults::new(FaultConfig::default(), 1);
        let err = f
            .set(FaultConfig {
                unavailable_rate: 1.5,
                ..FaultConfig::default()
            })
            .unwrap_err();
        assert!(err.contains("unavailable_rate"), "{err}");
        assert_eq!(f.get(), FaultConfig::default());
    }
}
