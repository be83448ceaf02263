//! Reading the loosely typed records of the Management API (status, history, backups,
//! licences) into the plain values the pages show: a missing or mistyped field reads as empty.

use serde_json::Value;

/// A string field (numbers and booleans are written out; null and missing are empty).
pub fn text(record: &Value, key: &str) -> String {
    match record.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A whole number field (numeric strings too); missing or negative reads as 0.
pub fn count(record: &Value, key: &str) -> u64 {
    match record.get(key) {
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.max(0.0) as u64))
            .unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// A decimal field (numeric strings too); missing reads as 0.
pub fn number(record: &Value, key: &str) -> f64 {
    match record.get(key) {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_read_leniently() {
        let r = json!({"s": "x", "n": 3, "f": 1.5, "b": true, "bs": "true", "ns": "7", "z": null});
        assert_eq!(text(&r, "s"), "x");
        assert_eq!(text(&r, "n"), "3");
        assert_eq!(text(&r, "z"), "");
        assert_eq!(text(&r, "missing"), "");
        assert_eq!(count(&r, "n"), 3);
        assert_eq!(count(&r, "ns"), 7);
        assert_eq!(count(&r, "f"), 1);
        assert_eq!(count(&r, "s"), 0);
        assert_eq!(number(&r, "f"), 1.5);
        assert_eq!(number(&r, "missing"), 0.0);
    }
}
