//! How the pages write times, durations and sizes.

/// Unix milliseconds of the API's naive UTC timestamps (`2026-11-29T14:30:05.123456`).
pub fn iso_millis(text: &str) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000)
}

/// `2026-11-29T14:30:05.123456` as `2026-11-29 14:30:05 UTC`; other text as it is.
pub fn iso_time(text: &str) -> String {
    if iso_millis(text).is_none() {
        return text.to_string();
    }
    format!("{} {} UTC", &text[..10], &text[11..19])
}

/// Unix milliseconds as `2026-11-29 14:30:05 UTC` (empty for 0: never).
pub fn utc_time(millis: i64) -> String {
    if millis == 0 {
        return String::new();
    }
    utc_datetime(millis)
}

/// Unix milliseconds as `2026-11-29 14:30:05 UTC`.
pub fn utc_datetime(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Seconds as `1 h 05 min`, `12 min 03 s` or `45 s`.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, _) => format!("{m} min {s:02} s"),
        _ => format!("{h} h {m:02} min"),
    }
}

/// Bytes as `512 B`, `12.3 kB`, `4.5 MB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_times_read_as_utc() {
        assert_eq!(iso_millis("1970-01-01T00:00:00"), Some(0));
        assert_eq!(
            iso_millis("2026-11-18T11:06:40.556929"),
            Some(1_795_000_000_000)
        );
        assert_eq!(iso_millis("2000-02-29T00:00:00"), Some(951_782_400_000));
        assert_eq!(iso_millis("soon"), None);
        assert_eq!(iso_millis(""), None);
        assert_eq!(iso_time("2026-11-18T11:06:40.5"), "2026-11-18 11:06:40 UTC");
        assert_eq!(iso_time("n/a"), "n/a");
        assert_eq!(utc_time(1_795_000_000_556), "2026-11-18 11:06:40 UTC");
        assert_eq!(utc_time(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_time(0), "");
    }

    #[test]
    fn durations_and_sizes() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(723), "12 min 03 s");
        assert_eq!(duration(3900), "1 h 05 min");
        assert_eq!(size(512), "512 B");
        assert_eq!(size(12_345), "12.3 kB");
        assert_eq!(size(4_500_000), "4.5 MB");
    }
}
