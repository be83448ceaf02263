//! The tastypie schema of a Management API resource (`<resource>/schema/`), in the real format.
//!
//! The same types describe the simulator's schemas and parse the ones a real Management Node
//! serves. Parsing is lenient where Pexip varies between versions (unknown field types, unknown
//! keys, unusual `filtering` values) and lossless: a parsed schema serializes back to the same
//! JSON, field order included.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::limits::Limits;

/// The lookups a filter may use (`field__<lookup>=value`) when `filtering` says `1` or `2`:
/// the fourteen of the guide plus `in`.
pub const LOOKUPS: [&str; 15] = [
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
    "iregex",
    "lt",
    "lte",
    "gt",
    "gte",
    "in",
];

/// A whole resource schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    #[serde(default)]
    pub allowed_detail_http_methods: Vec<HttpMethod>,
    #[serde(default)]
    pub allowed_list_http_methods: Vec<HttpMethod>,
    #[serde(default = "default_format")]
    pub default_format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_limit: Option<u64>,
    #[serde(default)]
    pub fields: IndexMap<String, Field>,
    /// Absent when the resource cannot be filtered (tastypie omits the key then).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub filtering: IndexMap<String, Filtering>,
    /// Absent when the resource cannot be ordered (tastypie omits the key then).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ordering: Vec<String>,
    /// Top-level keys this model does not know, kept so nothing is lost.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

fn default_format() -> String {
    "application/json".to_owned()
}

impl Schema {
    /// Parses a schema document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name)
    }

    /// Whether `method` is allowed on the list URI.
    pub fn allows_list(&self, method: &HttpMethod) -> bool {
        self.allowed_list_http_methods.contains(method)
    }

    /// Whether `method` is allowed on a detail URI.
    pub fn allows_detail(&self, method: &HttpMethod) -> bool {
        self.allowed_detail_http_methods.contains(method)
    }

    /// The names of the fields a create request must give (see [`Field::is_required`]).
    pub fn required_fields(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|(_, f)| f.is_required())
            .map(|(name, _)| name.as_str())
    }

    /// Whether `field__lookup` may be used as a filter (no relation traversal).
    pub fn can_filter(&self, field: &str, lookup: &str) -> bool {
        self.filtering
            .get(field)
            .is_some_and(|f| f.allows_lookup(lookup))
    }

    /// Whether `order_by=field` (or `-field`) is allowed.
    pub fn can_order_by(&self, field: &str) -> bool {
        self.ordering.iter().any(|f| f == field)
    }
}

/// One field of a schema. Keys serialize in tastypie's (alphabetical) order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    #[serde(default)]
    pub blank: bool,
    /// `None`: the key is absent (as for `resource_uri`); `Some(Value::Null)`: an explicit
    /// `"default": null`; otherwise the default value, rendered at request time.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub default: Option<Value>,
    #[serde(default)]
    pub help_text: String,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub readonly: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_type: Option<RelatedType>,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub unique: bool,
    /// Pexip's enumeration of the allowed values (present on booleans too: `[true, false]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_choices: Option<Vec<Value>>,
    /// Keys this model does not know, kept so nothing is lost.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

/// Keeps an explicit `null` distinct from an absent key.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl Field {
    /// A field of `field_type` with everything else at tastypie's neutral values.
    pub fn new(field_type: FieldType) -> Self {
        Field {
            blank: false,
            default: None,
            help_text: String::new(),
            nullable: false,
            readonly: false,
            field_type,
            unique: false,
            related_type: None,
            valid_choices: None,
            extra: IndexMap::new(),
        }
    }

    /// The limits stated in `help_text` (length, digits, range), if any.
    pub fn limits(&self) -> Limits {
        Limits::parse(&self.help_text)
    }

    /// Whether a client must give a value when creating an object: writable, neither blank
    /// nor nullable, and no default that would fill it (an empty-string default does not,
    /// since the field may not be blank).
    pub fn is_required(&self) -> bool {
        let no_default = match &self.default {
            None => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        !self.readonly && !self.blank && !self.nullable && no_default
    }

    /// Whether a value must be one of `valid_choices`.
    pub fn has_choices(&self) -> bool {
        self.valid_choices.as_ref().is_some_and(|c| !c.is_empty())
    }

    /// Whether this is a related field pointing to many objects.
    pub fn is_to_many(&self) -> bool {
        self.related_type == Some(RelatedType::ToMany)
    }
}

/// How a field may be filtered: `1` (every lookup), `2` (every lookup, also across relations)
/// or an explicit list of lookups.
#[derive(Debug, Clone, PartialEq)]
pub enum Filtering {
    All,
    AllWithRelations,
    Lookups(Vec<String>),
    /// A value this model does not know; it allows no lookup but is kept as it was.
    Unknown(Value),
}

impl Filtering {
    /// Whether `lookup` (`exact`, `gte`, ...) may be used on the field itself.
    pub fn allows_lookup(&self, lookup: &str) -> bool {
        match self {
            Filtering::All | Filtering::AllWithRelations => LOOKUPS.contains(&lookup),
            Filtering::Lookups(list) => list.iter().any(|l| l == lookup),
            Filtering::Unknown(_) => false,
        }
    }

    /// Whether filters may traverse the relation (`field__other__lookup`).
    pub fn allows_relations(&self) -> bool {
        matches!(self, Filtering::AllWithRelations)
    }
}

impl Serialize for Filtering {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Filtering::All => serializer.serialize_u64(1),
            Filtering::AllWithRelations => serializer.serialize_u64(2),
            Filtering::Lookups(list) => list.serialize(serializer),
            Filtering::Unknown(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Filtering {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(match &value {
            Value::Number(n) if n.as_u64() == Some(1) => Filtering::All,
            Value::Number(n) if n.as_u64() == Some(2) => Filtering::AllWithRelations,
            Value::Array(items) if items.iter().all(Value::is_string) => Filtering::Lookups(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => Filtering::Unknown(value),
        })
    }
}

/// The `type` of a field. Unknown types parse into `Unknown` and serialize back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    Related,
    Datetime,
    Float,
    File,
    Time,
    List,
    Dict,
    Date,
    Unknown(String),
}

impl FieldType {
    /// The name as it appears in a schema.
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Related => "related",
            FieldType::Datetime => "datetime",
            FieldType::Float => "float",
            FieldType::File => "file",
            FieldType::Time => "time",
            FieldType::List => "list",
            FieldType::Dict => "dict",
            FieldType::Date => "date",
            FieldType::Unknown(other) => other,
        }
    }
}

impl From<String> for FieldType {
    fn from(name: String) -> Self {
        match name.as_str() {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "boolean" => FieldType::Boolean,
            "related" => FieldType::Related,
            "datetime" => FieldType::Datetime,
            "float" => FieldType::Float,
            "file" => FieldType::File,
            "time" => FieldType::Time,
            "list" => FieldType::List,
            "dict" => FieldType::Dict,
            "date" => FieldType::Date,
            _ => FieldType::Unknown(name),
        }
    }
}

impl From<FieldType> for String {
    fn from(t: FieldType) -> Self {
        t.as_str().to_owned()
    }
}

/// The `related_type` of a related field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RelatedType {
    ToOne,
    ToMany,
    Unknown(String),
}

impl From<String> for RelatedType {
    fn from(name: String) -> Self {
        match name.as_str() {
            "to_one" => RelatedType::ToOne,
            "to_many" => RelatedType::ToMany,
            _ => RelatedType::Unknown(name),
        }
    }
}

impl From<RelatedType> for String {
    fn from(t: RelatedType) -> Self {
        match t {
            RelatedType::ToOne => "to_one".to_owned(),
            RelatedType::ToMany => "to_many".to_owned(),
            RelatedType::Unknown(other) => other,
        }
    }
}

/// An HTTP method named in `allowed_*_http_methods` (lower case in the schema).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Unknown(String),
}

impl HttpMethod {
    /// The lower-case name used in schemas.
    pub fn as_str(&self) -> &str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Post => "post",
            HttpMethod::Put => "put",
            HttpMethod::Patch => "patch",
            HttpMethod::Delete => "delete",
            HttpMethod::Unknown(other) => other,
        }
    }
}

impl From<String> for HttpMethod {
    fn from(name: String) -> Self {
        match name.to_ascii_lowercase().as_str() {
            "get" => HttpMethod::Get,
            "post" => HttpMethod::Post,
            "put" => HttpMethod::Put,
            "patch" => HttpMethod::Patch,
            "delete" => HttpMethod::Delete,
            _ => HttpMethod::Unknown(name),
        }
    }
}

impl From<HttpMethod> for String {
    fn from(m: HttpMethod) -> Self {
        m.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn default_absent_null_and_value_stay_distinct() {
        let absent: Field = serde_json::from_value(json!({"type": "string"})).unwrap();
        let null: Field =
            serde_json::from_value(json!({"type": "string", "default": null})).unwrap();
        let value: Field =
            serde_json::from_value(json!({"type": "string", "default": ""})).unwrap();
        assert_eq!(absent.default, None);
        assert_eq!(null.default, Some(Value::Null));
        assert_eq!(value.default, Some(json!("")));
        assert!(
            !serde_json::to_value(&absent)
                .unwrap()
                .as_object()
                .unwrap()
                .contains_key("default")
        );
        assert_eq!(serde_json::to_value(&null).unwrap()["default"], Value::Null);
    }

    #[test]
    fn unknown_field_type_parses_and_round_trips() {
        let f: Field = serde_json::from_value(json!({"type": "decimal"})).unwrap();
        assert_eq!(f.field_type, FieldType::Unknown("decimal".into()));
        assert_eq!(serde_json::to_value(&f).unwrap()["type"], json!("decimal"));
    }

    #[test]
    fn filtering_one_two_and_lists() {
        let s: Schema = serde_json::from_value(json!({
            "fields": {},
            "filtering": {"name": 1, "conference": 2, "tag": ["exact", "in"], "odd": 7}
        }))
        .unwrap();
        assert!(s.can_filter("name", "icontains"));
        assert!(!s.can_filter("name", "nonsense"));
        assert!(s.filtering["conference"].allows_relations());
        assert!(!s.filtering["name"].allows_relations());
        assert!(s.can_filter("tag", "in"));
        assert!(!s.can_filter("tag", "contains"));
        assert!(!s.can_filter("odd", "exact"));
        assert!(!s.can_filter("missing", "exact"));
        let back = serde_json::to_value(&s).unwrap();
        assert_eq!(
            back["filtering"],
            json!({"name": 1, "conference": 2, "tag": ["exact", "in"], "odd": 7})
        );
    }

    #[test]
    fn field_order_and_unknown_keys_survive() {
        let text = r#"{"allowed_detail_http_methods":["get"],"allowed_list_http_methods":["get","post"],"default_format":"application/json","default_limit":20,"fields":{"zeta":{"blank":false,"help_text":"","nullable":false,"readonly":true,"type":"string","unique":false,"verbose_name":"Z"},"alpha":{"blank":false,"default":1,"help_text":"","nullable":false,"readonly":false,"type":"integer","unique":false}},"ordering":["zeta"],"x-extra":true}"#;
        let s = Schema::from_json(text).unwrap();
        assert_eq!(s.fields.keys().collect::<Vec<_>>(), ["zeta", "alpha"]);
        assert_eq!(s.fields["zeta"].extra["verbose_name"], json!("Z"));
        assert!(s.allows_list(&HttpMethod::Post));
        assert!(!s.allows_detail(&HttpMethod::Delete));
        assert!(s.can_order_by("zeta"));
        assert!(!s.can_order_by("alpha"));
        assert_eq!(serde_json::to_string(&s).unwrap(), text);
    }

    #[test]
    fn required_fields() {
        let s: Schema = serde_json::from_value(json!({"fields": {
            "name": {"blank": false, "nullable": false, "readonly": false, "type": "string"},
            "tag": {"blank": false, "default": "", "nullable": false, "readonly": false, "type": "string"},
            "description": {"blank": true, "default": "", "nullable": false, "readonly": false, "type": "string"},
            "crypto_mode": {"blank": false, "default": "", "nullable": true, "readonly": false, "type": "string"},
            "size": {"blank": false, "default": 4, "nullable": false, "readonly": false, "type": "integer"},
            "uuid": {"blank": false, "nullable": false, "readonly": true, "type": "string"}
        }}))
        .unwrap();
        assert_eq!(s.required_fields().collect::<Vec<_>>(), ["name", "tag"]);
    }

    #[test]
    fn a_field_without_type_is_an_error() {
        let err = serde_json::from_value::<Field>(json!({"blank": true})).unwrap_err();
        assert!(err.to_string().contains("type"), "{err}");
    }
}
