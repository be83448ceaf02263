//! What widget a schema field gets: its [`FieldKind`], and the [`FieldSpec`] that carries the
//! kind with the label, help text and the flags the form needs.

use super::labels::choice_label;
use super::layout::Layout;
use pexip::limits::{Digits, Limits};
use pexip::{Field, FieldType, RelatedType};
use serde_json::Value;

/// Fields the server fills and owns, whatever their `readonly` says (`id` is `readonly: false`).
pub const SERVER_OWNED: [&str; 4] = ["id", "resource_uri", "creation_time", "last_updated"];

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: Value,
    pub label: String,
}

/// The widget a field is edited with.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// A text input; limits parsed from the help text.
    Text {
        max_length: Option<usize>,
        min_length: Option<usize>,
        /// A PIN-like value: digits only (optionally a terminal `#`).
        digits: Option<Digits>,
    },
    /// A select over `valid_choices`.
    Select {
        choices: Vec<Choice>,
    },
    /// A checkbox (a boolean that cannot be null).
    Toggle,
    /// A number input.
    Number {
        integer: bool,
        min: Option<f64>,
        max: Option<f64>,
    },
    Date,
    DateTime,
    Time,
    /// A searchable picker storing one resource URI.
    RelatedOne,
    /// A multi-picker storing a list of resource URIs.
    RelatedMany,
    /// A to-many relation edited inline as a list of sub-objects with these columns (the
    /// node embeds the objects and accepts nested ones, as for a conference's aliases).
    Inline {
        columns: Vec<String>,
    },
    /// A file (uploaded separately by the node's own tools): shown, never sent.
    File,
    /// Anything else (`list`, `dict`, an unknown type): raw JSON.
    Json,
}

/// A field as the form renders it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub name: String,
    pub label: String,
    pub help: String,
    pub kind: FieldKind,
    /// A create must give a value (`Field::is_required`).
    pub required: bool,
    /// `null` is allowed: the form offers an explicit "not set".
    pub nullable: bool,
    /// Shown, not edited: server-owned or read-only.
    pub read_only: bool,
    /// The schema default, used as the initial value of a new object.
    pub default: Option<Value>,
    pub limits: Limits,
}

impl FieldSpec {
    /// The spec of `name` in a schema, with the layout's label and inline columns.
    pub fn new(name: &str, field: &Field, layout: &Layout) -> FieldSpec {
        let limits = field.limits();
        let read_only = field.readonly || SERVER_OWNED.contains(&name);
        FieldSpec {
            name: name.to_string(),
            label: layout.label(name),
            help: field.help_text.clone(),
            kind: kind_of(name, field, &limits, layout),
            required: !read_only && field.is_required(),
            nullable: field.nullable,
            read_only,
            default: field.default.clone(),
            limits,
        }
    }

    /// Whether the value is sent to the server (read-only fields and files never are).
    pub fn is_sent(&self) -> bool {
        !self.read_only && self.kind != FieldKind::File
    }
}

fn kind_of(name: &str, field: &Field, limits: &Limits, layout: &Layout) -> FieldKind {
    match &field.field_type {
        FieldType::Boolean if !field.nullable => FieldKind::Toggle,
        FieldType::Boolean => FieldKind::Select {
            choices: vec![
                Choice {
                    value: Value::Bool(true),
                    label: "Yes".into(),
                },
                Choice {
                    value: Value::Bool(false),
                    label: "No".into(),
                },
            ],
        },
        _ if field.has_choices() => FieldKind::Select {
            choices: field
                .valid_choices
                .iter()
                .flatten()
                .map(|value| Choice {
                    label: choice_label(name, value, &field.help_text),
                    value: value.clone(),
                })
                .collect(),
        },
        FieldType::String => FieldKind::Text {
            max_length: limits.max_length,
            min_length: limits.min_length,
            digits: limits.digits,
        },
        FieldType::Integer | FieldType::Float => FieldKind::Number {
            integer: field.field_type == FieldType::Integer,
            min: limits.range.map(|r| r.min).filter(|m| m.is_finite()),
            max: limits.range.map(|r| r.max).filter(|m| m.is_finite()),
        },
        FieldType::Date => FieldKind::Date,
        FieldType::Datetime => FieldKind::DateTime,
        FieldType::Time => FieldKind::Time,
        FieldType::Related => match (&field.related_type, layout.inline(name)) {
            (Some(RelatedType::ToMany), Some(columns)) => FieldKind::Inline {
                columns: columns.iter().map(|c| c.to_string()).collect(),
            },
            (Some(RelatedType::ToOne), _) => FieldKind::RelatedOne,
            (Some(RelatedType::ToMany), None) => FieldKind::RelatedMany,
            _ => FieldKind::Json,
        },
        FieldType::File => FieldKind::File,
        FieldType::List | FieldType::Dict | FieldType::Unknown(_) => FieldKind::Json,
    }
}
