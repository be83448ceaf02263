//! When to send a GET again, and after how long: exponential backoff with jitter, or the
//! server's `Retry-After` when it gives one (up to a cap).

use std::time::Duration;

use super::error::ClientError;

/// The longest backoff between two attempts, whatever the attempt number.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1-based) after `error`, or `None` to give up.
    pub(crate) fn delay(&self, retry: u32, error: &ClientError) -> Option<Duration> {
        if retry > self.max_retries || !error.is_retryable() {
            return None;
        }
        let backoff = self.backoff(retry);
        match error {
            ClientError::RateLimited {
                retry_after: Some(after),
            } => (*after <= self.max_retry_after).then_some((*after).max(backoff)),
            _ => Some(backoff),
        }
    }

    /// `base * 2^(retry-1)`, capped, with "equal jitter": a random point in its upper half.
    fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (retry - 1).min(16))
            .min(MAX_BACKOFF);
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Reads a `Retry-After` of whole seconds (the HTTP-date form is not used by Pexip).
pub(crate) fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    value?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(10),
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_after_max() {
        let p = policy();
        let e = ClientError::Unreachable("x".into());
        for (retry, lo, hi) in [(1, 50, 100), (2, 100, 200), (3, 200, 400)] {
            for _ in 0..50 {
                let d = p.delay(retry, &e).unwrap();
                assert!(
                    d >= Duration::from_millis(lo) && d <= Duration::from_millis(hi),
                    "{retry}: {d:?}"
                );
            }
        }
        assert_eq!(p.delay(4, &e), None);
        assert_eq!(p.delay(1, &ClientError::Timeout), None);
        assert_eq!(p.delay(1, &ClientError::NotFound), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = policy();
        let limited = |s| ClientError::RateLimited {
            retry_after: Some(Duration::from_secs(s)),
        };
        assert_eq!(p.delay(1, &limited(2)), Some(Duration::from_secs(2)));
        assert_eq!(p.delay(1, &limited(11)), None);
        assert!(
            p.delay(1, &ClientError::RateLimited { retry_after: None })
                .is_some()
        );
    }

    #[test]
    fn parses_seconds_only() {
        assert_eq!(parse_retry_after(Some(" 3 ")), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(None), None);
    }
}
