//! How long the feed waits before reading again: the normal interval, growing exponentially
//! while the node fails or rate-limits (up to a cap), and never less than its `Retry-After`.

use std::time::Duration;

/// The longest wait between reads while the node misbehaves.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    interval: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    pub(crate) fn new(interval: Duration, cap: Duration) -> Self {
        Backoff {
            interval,
            cap: cap.max(interval),
            failures: 0,
        }
    }

    /// After a successful read: the normal interval.
    pub(crate) fn success(&mut self) -> Duration {
        self.failures = 0;
        self.interval
    }

    /// After a failed read: twice the previous wait (from twice the interval), capped, and at
    /// least the node's `Retry-After` (itself capped).
    pub(crate) fn failure(&mut self, retry_after: Option<Duration>) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let factor = 2u32.saturating_pow(self.failures.min(16));
        let exponential = self.interval.saturating_mul(factor).min(self.cap);
        retry_after
            .map(|after| after.min(self.cap))
            .map_or(exponential, |after| after.max(exponential))
    }

    /// Whether the last read failed.
    pub(crate) fn degraded(&self) -> bool {
        self.failures > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_and_reset_on_success() {
        let mut backoff = Backoff::new(Duration::from_secs(2), Duration::from_secs(30));
        let waits: Vec<u64> = (0..6).map(|_| backoff.failure(None).as_secs()).collect();
        assert_eq!(waits, [4, 8, 16, 30, 30, 30]);
        assert!(backoff.degraded());
        assert_eq!(backoff.success(), Duration::from_secs(2));
        assert!(!backoff.degraded());
        assert_eq!(backoff.failure(None), Duration::from_secs(4));
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap() {
        let mut backoff = Backoff::new(Duration::from_secs(2), Duration::from_secs(30));
        assert_eq!(
            backoff.failure(Some(Duration::from_secs(10))),
            Duration::from_secs(10)
        );
        assert_eq!(
            backoff.failure(Some(Duration::from_secs(3600))),
            Duration::from_secs(30)
        );
        assert_eq!(
            backoff.failure(Some(Duration::from_secs(1))),
            Duration::from_secs(16),
            "never shorter than the exponential wait"
        );
    }
}
