//! Reading the loosely typed records of the status API and of event sinks: a missing, null or
//! mistyped field reads as empty.

use serde_json::Value;

/// A string field (numbers and booleans written out; null and missing are empty).
pub(crate) fn text(record: &Value, key: &str) -> String {
    match record.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A boolean field (`true`, `"true"`, `1`).
pub(crate) fn flag(record: &Value, key: &str) -> bool {
    match record.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "True" | "1"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// A whole number field (numeric strings too); missing or negative reads as 0.
pub(crate) fn count(record: &Value, key: &str) -> u64 {
    match record.get(key) {
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.max(0.0) as u64))
            .unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// A time field as ISO-8601 (UTC): strings as they are, Unix seconds (event sinks send
/// floats) converted; null and missing are empty.
pub(crate) fn time(record: &Value, key: &str) -> String {
    match record.get(key) {
        Some(Value::Number(n)) => n.as_f64().map(iso_from_unix).unwrap_or_default(),
        _ => text(record, key),
    }
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SS.ffffff` (the status API's format, UTC).
pub(crate) fn iso_from_unix(seconds: f64) -> String {
    let whole = seconds.floor() as i64;
    let micros = ((seconds - seconds.floor()) * 1e6).round() as i64;
    let (days, secs) = (whole.div_euclid(86_400), whole.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Now, in Unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_read_leniently() {
        let r = json!({"s": "x", "n": 3, "b": true, "bs": "true", "ns": "7", "z": null, "t": 1700000000.25});
        assert_eq!(text(&r, "s"), "x");
        assert_eq!(text(&r, "z"), "");
        assert!(flag(&r, "b") && flag(&r, "bs") && !flag(&r, "missing"));
        assert_eq!(count(&r, "ns"), 7);
        assert_eq!(time(&r, "t"), "2023-11-14T22:13:20.250000");
        assert_eq!(time(&r, "s"), "x");
        assert_eq!(time(&r, "z"), "");
    }
}
