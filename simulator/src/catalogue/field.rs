//! Builders for schema fields, so the resource definitions read like the schemas they produce.
//!
//! Each constructor gives a field with the neutral values a Pexip schema shows for that kind
//! (an optional string defaults to `""`, an optional relation to `null`, ...); the [`FieldExt`]
//! methods adjust it. A field a client must give has `blank: false`, `nullable: false` and no
//! `default` key: that is how the validator tells it is required.

use pexip::{Field, FieldType, RelatedType};
use serde_json::{Value, json};

/// Adjusts a field in builder style.
pub trait FieldExt {
    /// May be left empty (`blank: true`).
    fn blank(self) -> Self;
    /// May be `null`.
    fn nullable(self) -> Self;
    /// Set by the server only.
    fn readonly(self) -> Self;
    /// No two objects may share the value.
    fn unique(self) -> Self;
    /// The default shown in the schema and used when a POST omits the field.
    fn default(self, value: Value) -> Self;
    /// The values a client may choose from.
    fn choices(self, choices: &[&str]) -> Self;
    /// Must be given and must not be `null` (a relation or value without which the object
    /// makes no sense): not blank, not nullable, no `default` key.
    fn required(self) -> Self;
}

impl FieldExt for Field {
    fn blank(mut self) -> Self {
        self.blank = true;
        self
    }
    fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
    fn readonly(mut self) -> Self {
        self.readonly = true;
        self
    }
    fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }
    fn choices(mut self, choices: &[&str]) -> Self {
        self.valid_choices = Some(choices.iter().map(|c| json!(c)).collect());
        self
    }
    fn required(mut self) -> Self {
        self.nullable = false;
        self.blank = false;
        self.default = None;
        self
    }
}

fn base(field_type: FieldType, help: &str) -> Field {
    let mut f = Field::new(field_type);
    f.help_text = help.to_owned();
    f
}

/// A required string: not blank, not nullable, and no `default` key, so a POST must give it.
pub fn string(help: &str) -> Field {
    base(FieldType::String, help)
}

/// An optional string (`blank: true`, default `""`).
pub fn text(help: &str) -> Field {
    string(help).blank().default(json!(""))
}

/// A string chosen from `choices`, with `default`.
pub fn choice(help: &str, default: &str, choices: &[&str]) -> Field {
    string(help).default(json!(default)).choices(choices)
}

/// An optional string chosen from `choices` (`null` when unset).
pub fn opt_choice(help: &str, choices: &[&str]) -> Field {
    base(FieldType::String, help)
        .nullable()
        .default(Value::Null)
        .choices(choices)
}

/// A boolean with `default`; Pexip lists `[true, false]` as its choices.
pub fn boolean(help: &str, default: bool) -> Field {
    let mut f = base(FieldType::Boolean, help).default(json!(default));
    f.valid_choices = Some(vec![json!(true), json!(false)]);
    f
}

/// A required integer with `default`.
pub fn integer(help: &str, default: i64) -> Field {
    base(FieldType::Integer, help).default(json!(default))
}

/// An optional integer (`null` when unset).
pub fn opt_integer(help: &str) -> Field {
    base(FieldType::Integer, help)
        .nullable()
        .default(Value::Null)
}

/// A float with `default`.
pub fn float(help: &str, default: f64) -> Field {
    base(FieldType::Float, help).default(json!(default))
}

/// A naive UTC timestamp (its default is "now" when rendered).
pub fn datetime(help: &str) -> Field {
    base(FieldType::Datetime, help).default(Value::Null)
}

/// A date (`YYYY-MM-DD`), optional.
pub fn date(help: &str) -> Field {
    base(FieldType::Date, help).nullable().default(Value::Null)
}

/// An uploaded file, optional.
pub fn file(help: &str) -> Field {
    base(FieldType::File, help).nullable().default(Value::Null)
}

/// A list value.
pub fn list(help: &str) -> Field {
    base(FieldType::List, help).default(json!([]))
}

/// A dictionary value.
pub fn dict(help: &str) -> Field {
    base(FieldType::Dict, help).default(json!({}))
}

/// An optional relation to one object (a resource URI or `null`).
pub fn to_one(help: &str) -> Field {
    let mut f = base(FieldType::Related, help)
        .nullable()
        .default(Value::Null);
    f.related_type = Some(RelatedType::ToOne);
    f
}

/// A relation to many objects (a list of resource URIs).
pub fn to_many(help: &str) -> Field {
    let mut f = base(FieldType::Related, help)
        .nullable()
        .default(Value::Null);
    f.related_type = Some(RelatedType::ToMany);
    f
}

/// The integer primary key, as Pexip shows it (`readonly: false`, yet server-owned).
pub fn id() -> Field {
    integer("The primary key.", 0)
        .default(json!(""))
        .blank()
        .unique()
}

/// The `resource_uri` field (no `default` key).
pub fn resource_uri() -> Field {
    base(FieldType::String, "The URI that identifies this resource.").readonly()
}

/// `creation_time`, rendered as "now".
pub fn creation_time() -> Field {
    datetime("The time at which the configuration was created.")
}
