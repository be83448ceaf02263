//! Timestamps as the Management API writes them: naive ISO-8601 in UTC, with microseconds
//! unless they are zero (Python's `isoformat`).

use chrono::{NaiveDateTime, Timelike};

pub type Instant = NaiveDateTime;

/// `2015-04-10T09:49:26.556929`, or `2015-04-10T09:39:47` on a whole second.
pub fn iso(t: Instant) -> String {
    if t.nanosecond() / 1000 == 0 {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

/// Whole seconds from `a` to `b` (0 if `b` is earlier).
pub fn seconds_between(a: Instant, b: Instant) -> i64 {
    (b - a).num_seconds().max(0)
}

/// `t` plus `ms` milliseconds (clamped to the representable range, never a panic).
pub fn add_ms(t: Instant, ms: i64) -> Instant {
    chrono::TimeDelta::try_milliseconds(ms)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(if ms < 0 { Instant::MIN } else { Instant::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn formats_like_python_isoformat() {
        let t = NaiveDate::from_ymd_opt(2015, 4, 10)
            .unwrap()
            .and_hms_micro_opt(9, 49, 26, 556_929)
            .unwrap();
        assert_eq!(iso(t), "2015-04-10T09:49:26.556929");
        let whole = NaiveDate::from_ymd_opt(2015, 4, 10)
            .unwrap()
            .and_hms_opt(9, 39, 47)
            .unwrap();
        assert_eq!(iso(whole), "2015-04-10T09:39:47");
        assert_eq!(seconds_between(whole, t), 579);
        assert_eq!(seconds_between(t, whole), 0);
        assert_eq!(
            add_ms(whole, 1500),
            whole + chrono::Duration::milliseconds(1500)
        );
        assert_eq!(add_ms(whole, i64::MAX), Instant::MAX);
        assert_eq!(add_ms(whole, i64::MIN), Instant::MIN);
    }
}
