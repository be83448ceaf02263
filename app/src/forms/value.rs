//! Values between the schema's JSON and the form's inputs: what an input shows for a value,
//! what a typed text means, and the one shape each kind keeps in the form state.

use super::kind::FieldKind;
use serde_json::{Map, Value};

/// The text an input shows for `value`.
pub fn display(kind: &FieldKind, value: Option<&Value>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    match (kind, value) {
        (_, Value::Null) => String::new(),
        (FieldKind::Json, other) => serde_json::to_string_pretty(other).unwrap_or_default(),
        (_, Value::String(s)) => match kind {
            FieldKind::Date => prefix(s, 10),
            FieldKind::DateTime => prefix(s, 19),
            FieldKind::Time => prefix(s, 8),
            _ => s.clone(),
        },
        (_, other) => other.to_string(),
    }
}

fn prefix(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The value a typed text stands for, or why it cannot be one.
pub fn parse(kind: &FieldKind, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    match kind {
        FieldKind::Number { integer, .. } => {
            if trimmed.is_empty() {
                Ok(Value::Null)
            } else if *integer {
                trimmed
                    .parse::<i64>()
                    .map(Value::from)
                    .map_err(|_| "Enter a whole number.".to_string())
            } else {
                trimmed
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| "Enter a number.".to_string())
            }
        }
        FieldKind::Date | FieldKind::Time | FieldKind::DateTime if trimmed.is_empty() => {
            Ok(Value::Null)
        }
        // `datetime-local` and `time` inputs drop zero seconds; the API wants them.
        FieldKind::DateTime if trimmed.len() == 16 => Ok(Value::from(format!("{trimmed}:00"))),
        FieldKind::Time if trimmed.len() == 5 => Ok(Value::from(format!("{trimmed}:00"))),
        FieldKind::Json => {
            if trimmed.is_empty() {
                Ok(Value::Null)
            } else {
                serde_json::from_str(trimmed).map_err(|e| format!("Enter valid JSON ({e})."))
            }
        }
        FieldKind::RelatedOne if trimmed.is_empty() => Ok(Value::Null),
        _ => Ok(Value::from(text)),
    }
}

/// The option value of a select for `value` (its JSON text, so `true`, `"on"` and `5` stay
/// distinct), and back.
pub fn option_key(value: &Value) -> String {
    value.to_string()
}

pub fn from_option_key(key: &str) -> Value {
    serde_json::from_str(key).unwrap_or_else(|_| Value::from(key))
}

/// The shape the form keeps for a kind: related objects become their URIs, inline sub-objects
/// keep only their columns.
pub fn normalize(kind: &FieldKind, value: &Value) -> Value {
    match (kind, value) {
        (FieldKind::RelatedOne, Value::Object(object)) => {
            object.get("resource_uri").cloned().unwrap_or(Value::Null)
        }
        (FieldKind::RelatedMany, Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| match item {
                    Value::Object(o) => o.get("resource_uri").cloned().unwrap_or(Value::Null),
                    other => other.clone(),
                })
                .collect(),
        ),
        (FieldKind::Inline { columns }, Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| Value::Object(inline_row(columns, item)))
                .collect(),
        ),
        (FieldKind::Inline { .. } | FieldKind::RelatedMany, Value::Null) => Value::Array(vec![]),
        _ => value.clone(),
    }
}

/// One inline sub-object reduced to its columns (a bare string fills the first column).
pub fn inline_row(columns: &[String], item: &Value) -> Map<String, Value> {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let cell = match item {
                Value::Object(o) => o.get(column).cloned().unwrap_or_else(|| Value::from("")),
                Value::String(s) if i == 0 => Value::from(s.as_str()),
                _ => Value::from(""),
            };
            let cell = if cell.is_null() {
                Value::from("")
            } else {
                cell
            };
            (column.clone(), cell)
        })
        .collect()
}

/// Whether a value counts as "nothing given" for a required field.
pub fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    }
}

/// A short readable text for a value in lists and read-only views.
pub fn summary(value: &Value) -> String {
    match value {
        Value::Null => "—".to_string(),
        Value::String(s) if s.is_empty() => "—".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "Yes".to_string(),
        Value::Bool(false) => "No".to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => o
                    .get("alias")
                    .or_else(|| o.get("name"))
                    .or_else(|| o.get("resource_uri"))
                    .map(summary)
                    .unwrap_or_else(|| item.to_string()),
                other => summary(other),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
