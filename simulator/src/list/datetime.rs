//! Naive ISO-8601 timestamps as the API writes them (`2015-04-10T09:49:26.556929`, UTC), read
//! into microseconds since the epoch so they compare as instants, and written back.

/// Microseconds since 1970-01-01T00:00:00 UTC of an ISO-8601 date or date-time. A time without
/// an offset is UTC; `Z` and `±HH:MM` offsets are honoured; a date alone is its midnight.
pub fn parse_micros(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = match text.find(['T', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut d = date.splitn(3, '-');
    let year: i64 = number(d.next()?, 4)?;
    let month: i64 = number(d.next()?, 2)?;
    let day: i64 = number(d.next()?, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut micros = days_from_civil(year, month, day) * 86_400_000_000;
    if let Some(rest) = rest {
        let (time, offset) = split_offset(rest)?;
        let (hms, fraction) = match time.split_once('.') {
            Some((hms, f)) => (hms, Some(f)),
            None => (time, None),
        };
        let mut t = hms.split(':');
        let hour: i64 = number(t.next()?, 2)?;
        let minute: i64 = number(t.next()?, 2)?;
        let second: i64 = match t.next() {
            Some(s) => number(s, 2)?,
            None => 0,
        };
        if t.next().is_some() || hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut frac = 0i64;
        if let Some(f) = fraction {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let digits: String = f.chars().chain("000000".chars()).take(6).collect();
            frac = digits.parse().ok()?;
        }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + frac - offset * 60_000_000;
    }
    Some(micros)
}

/// Writes microseconds since the epoch as the API does: `YYYY-MM-DDTHH:MM:SS.ffffff`.
pub fn format_micros(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let of_day = micros.rem_euclid(86_400_000_000);
    let (y, m, d) = civil_from_days(days);
    let secs = of_day / 1_000_000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        of_day % 1_000_000
    )
}

/// Now, as the API writes it.
pub fn now() -> String {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64);
    format_micros(micros)
}

/// Splits `HH:MM:SS[.f]` from a trailing `Z` or `±HH:MM` offset (in minutes east of UTC).
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(time) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((time, 0));
    }
    if let Some(i) = rest.rfind(['+', '-']) {
        let (time, offset) = rest.split_at(i);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let offset = &offset[1..];
        let (h, m) = offset.split_once(':').unwrap_or((
            offset.get(..2).unwrap_or(offset),
            offset.get(2..).unwrap_or("00"),
        ));
        let minutes = number(h, 2)? * 60 + number(m, 2)?;
        return Some((time, sign * minutes));
    }
    Some((rest, 0))
}

fn number(text: &str, width: usize) -> Option<i64> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_api_format() {
        let t = "2015-04-10T09:49:26.556929";
        assert_eq!(format_micros(parse_micros(t).unwrap()), t);
        assert_eq!(format_micros(0), "1970-01-01T00:00:00.000000");
        assert_eq!(
            format_micros(parse_micros("2024-02-29T23:59:59").unwrap()),
            "2024-02-29T23:59:59.000000"
        );
    }

    #[test]
    fn dates_offsets_and_precision() {
        assert_eq!(
            parse_micros("2015-04-08"),
            parse_micros("2015-04-08T00:00:00")
        );
        assert_eq!(
            parse_micros("2015-04-08T02:00:00+02:00"),
            parse_micros("2015-04-08T00:00:00Z")
        );
        assert_eq!(
            parse_micros("2015-04-08T00:00:00.5").unwrap() - parse_micros("2015-04-08").unwrap(),
            500_000
        );
        assert!(
            parse_micros("2015-04-08T00:00:00.1").unwrap()
                < parse_micros("2015-04-08T00:00:00.100001").unwrap()
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "yesterday",
            "2015-13-01",
            "2015-02-30",
            "2015-04-08T25:00",
            "2015-4-8",
        ] {
            assert_eq!(parse_micros(bad), None, "{bad}");
        }
    }
}
