//! Tastypie error bodies as typed errors.
//!
//! A Management Node answers a failed request with one of three bodies:
//! - a validation failure (400): `{"<resource>": {"<field>": ["message", ...]}}`, with the key
//!   `__all__` for errors not tied to one field;
//! - another client error (400, e.g. a bad filter): `{"error": "message"}`;
//! - a server error (500): `{"error_message": "...", ...}`.

use std::fmt;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// The key of errors not tied to one field.
pub const NON_FIELD_ERRORS: &str = "__all__";

/// An error body of the Management API.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// A validation failure, with messages per field.
    #[error("validation failed: {0}")]
    Validation(FormErrors),
    /// `{"error": "..."}`.
    #[error("{0}")]
    BadRequest(String),
    /// `{"error_message": "..."}`.
    #[error("server error: {0}")]
    Server(String),
}

/// Validation messages per field (in the order the server gave them). Nested errors (such as
/// those of nested aliases) are flattened to dotted keys: `aliases.0.alias`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormErrors {
    /// The resource named at the top of the body (`conference`, or a command name), if any.
    pub resource: Option<String>,
    pub fields: IndexMap<String, Vec<String>>,
}

impl FormErrors {
    /// An empty set of errors for `resource`.
    pub fn new(resource: impl Into<String>) -> Self {
        FormErrors {
            resource: Some(resource.into()),
            fields: IndexMap::new(),
        }
    }

    /// Adds a message for `field` (use [`NON_FIELD_ERRORS`] for cross-field errors).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.fields
            .entry(field.into())
            .or_default()
            .push(message.into());
    }

    /// Whether there are no messages at all.
    pub fn is_empty(&self) -> bool {
        self.fields.values().all(Vec::is_empty)
    }

    /// The messages for `field` (empty when it has none).
    pub fn field(&self, field: &str) -> &[String] {
        self.fields.get(field).map_or(&[], Vec::as_slice)
    }

    /// The messages not tied to one field.
    pub fn non_field(&self) -> &[String] {
        self.field(NON_FIELD_ERRORS)
    }

    /// The body a Management Node sends for these errors.
    pub fn to_json(&self) -> Value {
        let fields: Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.clone())))
            .collect();
        match &self.resource {
            Some(resource) => {
                let mut body = Map::new();
                body.insert(resource.clone(), Value::Object(fields));
                Value::Object(body)
            }
            None => Value::Object(fields),
        }
    }
}

impl fmt::Display for FormErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (field, messages) in &self.fields {
            for message in messages {
                if !first {
                    f.write_str("; ")?;
                }
                first = false;
                if field == NON_FIELD_ERRORS {
                    f.write_str(message)?;
                } else {
                    write!(f, "{field}: {message}")?;
                }
            }
        }
        Ok(())
    }
}

impl ApiError {
    /// Reads an error body. `None` when the body is not one of the three shapes (empty, not
    /// JSON, or some other JSON).
    pub fn from_body(body: &[u8]) -> Option<ApiError> {
        let value: Value = serde_json::from_slice(body).ok()?;
        ApiError::from_json(&value)
    }

    /// Reads an already parsed error body.
    pub fn from_json(value: &Value) -> Option<ApiError> {
        let object = value.as_object()?;
        if let Some(message) = object.get("error_message") {
            return Some(ApiError::Server(text_of(message)));
        }
        if let Some(message) = object.get("error") {
            return Some(ApiError::BadRequest(text_of(message)));
        }
        let mut errors = FormErrors::default();
        let mut single = object.iter();
        match (single.next(), single.next()) {
            (Some((resource, Value::Object(fields))), None) if resource != NON_FIELD_ERRORS => {
                errors.resource = Some(resource.clone());
                collect(&mut errors, "", fields);
            }
            _ => collect(&mut errors, "", object),
        }
        (!errors.is_empty()).then_some(ApiError::Validation(errors))
    }

    /// The body a Management Node sends for this error.
    pub fn to_json(&self) -> Value {
        match self {
            ApiError::Validation(errors) => errors.to_json(),
            ApiError::BadRequest(message) => serde_json::json!({ "error": message }),
            ApiError::Server(message) => serde_json::json!({ "error_message": message }),
        }
    }

    /// The per-field messages of a validation failure.
    pub fn form_errors(&self) -> Option<&FormErrors> {
        match self {
            ApiError::Validation(errors) => Some(errors),
            _ => None,
        }
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn collect(errors: &mut FormErrors, prefix: &str, fields: &Map<String, Value>) {
    for (name, value) in fields {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        collect_value(errors, &key, value);
    }
}

fn collect_value(errors: &mut FormErrors, key: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(nested) => collect(errors, &format!("{key}.{i}"), nested),
                    Value::Array(_) => collect_value(errors, &format!("{key}.{i}"), item),
                    other => errors.add(key, text_of(other)),
                }
            }
        }
        Value::Object(nested) => collect(errors, key, nested),
        other => errors.add(key, text_of(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_errors_per_field_and_all() {
        let body = br#"{"conference": {"name": ["Conference with this Name already exists."],
            "__all__": ["Guest PIN must be different from Host PIN."]}}"#;
        let err = ApiError::from_body(body).unwrap();
        let form = err.form_errors().unwrap();
        assert_eq!(form.resource.as_deref(), Some("conference"));
        assert_eq!(
            form.field("name"),
            ["Conference with this Name already exists."]
        );
        assert_eq!(
            form.non_field(),
            ["Guest PIN must be different from Host PIN."]
        );
        assert!(form.field("pin").is_empty());
        let text = err.to_string();
        assert!(text.starts_with("validation failed: "), "{text}");
        assert!(
            text.contains("name: Conference with this Name already exists."),
            "{text}"
        );
        assert!(!text.contains("__all__"), "{text}");
        assert!(text.contains("; "), "{text}");
    }

    #[test]
    fn error_and_error_message_bodies() {
        assert_eq!(
            ApiError::from_body(br#"{"error": "The 'foo' field does not allow filtering."}"#),
            Some(ApiError::BadRequest(
                "The 'foo' field does not allow filtering.".into()
            ))
        );
        let server = ApiError::from_body(
            br#"{"error_message": "Sorry, this request could not be processed. Please try again later.", "traceback": "x"}"#,
        )
        .unwrap();
        assert!(matches!(server, ApiError::Server(ref m) if m.starts_with("Sorry")));
    }

    #[test]
    fn nested_alias_errors_flatten_to_dotted_keys() {
        let err = ApiError::from_json(&json!({"conference": {"aliases": [
            {}, {"alias": ["Alias with this Alias already exists."]}
        ]}}))
        .unwrap();
        assert_eq!(
            err.form_errors().unwrap().field("aliases.1.alias"),
            ["Alias with this Alias already exists."]
        );
    }

    #[test]
    fn unrecognised_bodies_are_none() {
        for body in [
            &b""[..],
            b"not json",
            b"[]",
            b"{}",
            b"{\"conference\": {}}",
            b"42",
        ] {
            assert_eq!(
                ApiError::from_body(body),
                None,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn builds_and_round_trips_bodies() {
        let mut form = FormErrors::new("conference");
        form.add("pin", "Enter digits only.");
        form.add(NON_FIELD_ERRORS, "Guest PIN requires a Host PIN.");
        let err = ApiError::Validation(form);
        let body = err.to_json();
        assert_eq!(
            body,
            json!({"conference": {"pin": ["Enter digits only."], "__all__": ["Guest PIN requires a Host PIN."]}})
        );
        assert_eq!(ApiError::from_json(&body), Some(err));
        let bad = ApiError::BadRequest("x".into());
        assert_eq!(ApiError::from_json(&bad.to_json()), Some(bad));
    }
}
