//! Comparing a JSON value of an object with a value written in a query string.

use std::cmp::Ordering;

use pexip::FieldType;
use serde_json::Value;

use super::datetime::parse_micros;
use crate::store::split_uri;

/// A query-string value read for the type of the field it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `none`, `None`, `null`, `nil`: matches a null.
    Null,
    Bool(bool),
    Num(f64),
    /// A date-time, in microseconds since the epoch.
    Time(i64),
    /// The id a related value must have (from a resource URI or a bare id).
    Id(String),
    /// Text; with its instant when it reads as a date-time (for fields of unknown type).
    Text(String, Option<i64>),
}

impl Scalar {
    /// Reads `text` for a field of type `kind` (`None`: unknown, compared by what it holds).
    /// The error says why the text is not a value of that type.
    pub fn parse(text: &str, kind: Option<&FieldType>) -> Result<Scalar, String> {
        if matches!(text, "none" | "None" | "null" | "nil") {
            return Ok(Scalar::Null);
        }
        Ok(match kind {
            Some(FieldType::Boolean) => {
                Scalar::Bool(parse_bool(text).ok_or_else(|| format!("'{text}' is not a boolean"))?)
            }
            Some(FieldType::Integer | FieldType::Float) => Scalar::Num(
                text.trim()
                    .parse()
                    .map_err(|_| format!("'{text}' is not a number"))?,
            ),
            Some(FieldType::Datetime | FieldType::Date) => Scalar::Time(
                parse_micros(text).ok_or_else(|| format!("'{text}' is not a valid date/time"))?,
            ),
            Some(FieldType::Related) => Scalar::Id(id_of(text).to_owned()),
            _ => Scalar::Text(text.to_owned(), parse_micros(text)),
        })
    }
}

/// `true`/`True`/`1` and `false`/`False`/`0`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "True" | "TRUE" | "1" => Some(true),
        "false" | "False" | "FALSE" | "0" => Some(false),
        _ => None,
    }
}

/// The id part of a resource URI, or the text itself when it is not one.
pub fn id_of(text: &str) -> &str {
    if text.contains('/') {
        split_uri(text).map_or(text, |(_, id)| id)
    } else {
        text
    }
}

/// The text a value is matched against by `contains`, `regex` and the like.
pub fn as_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(std::borrow::Cow::Owned(b.to_string())),
        Value::Object(o) => o
            .get("resource_uri")
            .and_then(|u| u.as_str())
            .map(std::borrow::Cow::Borrowed),
        Value::Null | Value::Array(_) => None,
    }
}

/// How `value` compares with `scalar`; `None` when they cannot be compared (a null, a type
/// mismatch).
pub fn compare(value: &Value, scalar: &Scalar) -> Option<Ordering> {
    match (value, scalar) {
        (Value::Null, _) | (_, Scalar::Null) => None,
        (Value::Bool(a), Scalar::Bool(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Scalar::Text(t, _)) => parse_bool(t).map(|b| a.cmp(&b)),
        (Value::Number(n), Scalar::Num(x)) => n.as_f64()?.partial_cmp(x),
        (Value::Number(n), Scalar::Text(t, _)) => n.as_f64()?.partial_cmp(&t.trim().parse().ok()?),
        (Value::Number(n), Scalar::Id(id)) => Some(n.to_string().as_str().cmp(id.as_str())),
        (Value::String(s), Scalar::Time(t)) => Some(parse_micros(s)?.cmp(t)),
        (Value::String(s), Scalar::Num(x)) => s.trim().parse::<f64>().ok()?.partial_cmp(x),
        (Value::String(s), Scalar::Bool(b)) => parse_bool(s).map(|a| a.cmp(b)),
        (Value::String(s), Scalar::Id(id)) => Some(id_of(s).cmp(id.as_str())),
        (Value::String(s), Scalar::Text(t, Some(instant))) => match parse_micros(s) {
            Some(mine) => Some(mine.cmp(instant)),
            None => Some(s.as_str().cmp(t.as_str())),
        },
        (Value::String(s), Scalar::Text(t, None)) => Some(s.as_str().cmp(t.as_str())),
        (Value::Object(o), Scalar::Id(id)) => {
            let own = o.get("id")?;
            let own = match own {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some(own.as_str().cmp(id.as_str()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_and_untyped_comparisons() {
        let num = Scalar::parse("0.5", Some(&FieldType::Float)).unwrap();
        assert_eq!(compare(&json!(0.7), &num), Some(Ordering::Greater));
        let untyped = Scalar::parse("10", None).unwrap();
        assert_eq!(compare(&json!(9), &untyped), Some(Ordering::Less));
        let t = Scalar::parse("2015-04-08T00:00:00", Some(&FieldType::Datetime)).unwrap();
        assert_eq!(
            compare(&json!("2015-04-08T00:00:00.000001"), &t),
            Some(Ordering::Greater)
        );
        let id = Scalar::parse(
            "/api/admin/configuration/v1/conference/3/",
            Some(&FieldType::Related),
        )
        .unwrap();
        assert_eq!(id, Scalar::Id("3".into()));
        assert_eq!(
            compare(&json!("/api/admin/configuration/v1/conference/3/"), &id),
            Some(Ordering::Equal)
        );
        assert_eq!(compare(&json!({"id": 3}), &id), Some(Ordering::Equal));
        assert!(Scalar::parse("yes", Some(&FieldType::Boolean)).is_err());
        assert_eq!(compare(&Value::Null, &num), None);
    }
}
