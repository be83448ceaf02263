//! UTC days and times for the usage reports: the history API's timestamps as Unix seconds, the
//! report's days, and the first day of each day, week (ISO, from Monday) or month.

use super::model::Period;
use time::{Date, Month};

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
const DAY_SECONDS: i64 = 86_400;

/// A history API timestamp (`2015-04-10T09:49:26.556929`; naive times are UTC, a `Z` or
/// `±HH:MM` offset is honoured) as Unix seconds.
pub fn api_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = parse_date(text.get(..10)?)?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix(['T', ' '])?;
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = rest.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (hour, minute, second) = (number(0..2)?, number(3..5)?, number(6..8)?);
    if rest.get(2..3) != Some(":") || rest.get(5..6) != Some(":") || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut tail = &rest[8..];
    if let Some(fraction) = tail.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        tail = &fraction[digits..];
    }
    let offset = match tail {
        "" | "Z" => 0,
        _ => {
            let sign = match tail.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = tail.get(1..3)?.parse().ok()?;
            let minutes: i64 = match tail.get(3..) {
                Some("") => 0,
                Some(more) => more.trim_start_matches(':').parse().ok()?,
                None => return None,
            };
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(unix_of(date) + hour * 3600 + minute * 60 + second - offset)
}

/// A day given as `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse::<u16>().ok())
            .flatten()
    };
    let year = i32::from(digits(0..4)?);
    let month = Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
    let day = u8::try_from(digits(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `YYYY-MM-DD HH:MM` of Unix seconds (UTC).
pub fn format_minute(unix: i64) -> String {
    let day = date_of(unix);
    let seconds = unix.rem_euclid(DAY_SECONDS);
    format!(
        "{} {:02}:{:02}",
        format_date(day),
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// Unix seconds as the history API writes times (`2015-04-10T09:49:26`, UTC), for filters.
pub fn api_timestamp(unix: i64) -> String {
    let seconds = unix.rem_euclid(DAY_SECONDS);
    format!(
        "{}T{:02}:{:02}:{:02}",
        format_date(date_of(unix)),
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// The Unix seconds of a day's midnight (UTC).
pub fn unix_of(date: Date) -> i64 {
    (i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY) * DAY_SECONDS
}

/// The day (UTC) Unix seconds fall on.
pub fn date_of(unix: i64) -> Date {
    let julian = unix.div_euclid(DAY_SECONDS) + UNIX_EPOCH_JULIAN_DAY;
    i32::try_from(julian)
        .ok()
        .and_then(|day| Date::from_julian_day(day).ok())
        .unwrap_or(Date::MIN)
}

/// The first day of the bucket `date` falls in.
pub fn bucket_start(date: Date, period: Period) -> Date {
    match period {
        Period::Day => date,
        Period::Week => {
            let back = i64::from(date.weekday().number_days_from_monday());
            date.checked_sub(time::Duration::days(back)).unwrap_or(date)
        }
        Period::Month => date.replace_day(1).unwrap_or(date),
    }
}

/// The first day of the bucket after the one starting at `start` (`None` past the calendar's
/// end).
pub fn next_bucket(start: Date, period: Period) -> Option<Date> {
    match period {
        Period::Day => start.next_day(),
        Period::Week => start.checked_add(time::Duration::days(7)),
        Period::Month => {
            let (year, month) = match start.month() {
                Month::December => (start.year() + 1, Month::January),
                month => (start.year(), month.next()),
            };
            Date::from_calendar_date(year, month, 1).ok()
        }
    }
}

/// The first day of the month `date` is in, and the last.
pub fn month_of(date: Date) -> (Date, Date) {
    let first = bucket_start(date, Period::Month);
    let last = next_bucket(first, Period::Month)
        .and_then(Date::previous_day)
        .unwrap_or(first);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn api_times_are_utc_seconds() {
        assert_eq!(api_time("1970-01-01T00:00:00"), Some(0));
        assert_eq!(api_time("2015-04-10T09:49:26.556929"), Some(1_428_659_366));
        assert_eq!(api_time("2015-04-10T09:49:26Z"), Some(1_428_659_366));
        assert_eq!(api_time("2015-04-10T11:49:26+02:00"), Some(1_428_659_366));
        assert_eq!(api_time("2015-04-10 09:49:26"), Some(1_428_659_366));
        assert_eq!(api_timestamp(1_428_659_366), "2015-04-10T09:49:26");
        for bad in [
            "",
            "2015-04-10",
            "2015-04-10T25:00:00",
            "2015-02-30T00:00:00",
            "2015-04-10T09:49:26.",
            "2015-04-10T09:49:26x",
            "2015-04-10T09:4:26",
        ] {
            assert_eq!(api_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_round_trip() {
        let d = day("2026-12-02");
        assert_eq!(format_date(d), "2026-12-02");
        assert_eq!(date_of(unix_of(d)), d);
        assert_eq!(date_of(unix_of(d) + 86_399), d);
        assert_eq!(date_of(-1), day("1969-12-31"));
        assert_eq!(format_minute(1_428_659_366), "2015-04-10 09:49");
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("2026-1-01").is_none());
        assert!(parse_date("+026-01-01").is_none());
    }

    #[test]
    fn buckets_start_on_days_mondays_and_firsts() {
        // 2026-12-02 is a Wednesday.
        let d = day("2026-12-02");
        assert_eq!(bucket_start(d, Period::Day), d);
        assert_eq!(bucket_start(d, Period::Week), day("2026-11-30"));
        assert_eq!(bucket_start(d, Period::Month), day("2026-12-01"));
        assert_eq!(
            next_bucket(day("2026-11-30"), Period::Week),
            Some(day("2026-12-07"))
        );
        assert_eq!(
            next_bucket(day("2026-12-01"), Period::Month),
            Some(day("2027-01-01"))
        );
        assert_eq!(
            month_of(day("2028-02-10")),
            (day("2028-02-01"), day("2028-02-29"))
        );
    }
}
