//! Filters: `field=value`, `field__<lookup>=value` and lookups across relations
//! (`media_streams__rx_packet_loss__gte=0.5`), checked against the schema's `filtering`.

use std::cmp::Ordering;

use pexip::{FieldType, Schema};
use regex::{Regex, RegexBuilder};
use serde_json::{Map, Value};

use super::Relations;
use super::error::ListError;
use super::value::{Scalar, as_text, compare, parse_bool};

/// A lookup of Django's that tastypie exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Exact,
    IExact,
    Contains,
    IContains,
    StartsWith,
    IStartsWith,
    EndsWith,
    IEndsWith,
    Regex,
    IRegex,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    Range,
    IsNull,
}

impl Lookup {
    fn from_name(name: &str) -> Option<Lookup> {
        Some(match name {
            "exact" => Lookup::Exact,
            "iexact" => Lookup::IExact,
            "contains" => Lookup::Contains,
            "icontains" => Lookup::IContains,
            "startswith" => Lookup::StartsWith,
            "istartswith" => Lookup::IStartsWith,
            "endswith" => Lookup::EndsWith,
            "iendswith" => Lookup::IEndsWith,
            "regex" => Lookup::Regex,
            "iregex" => Lookup::IRegex,
            "lt" => Lookup::Lt,
            "lte" => Lookup::Lte,
            "gt" => Lookup::Gt,
            "gte" => Lookup::Gte,
            "in" => Lookup::In,
            "range" => Lookup::Range,
            "isnull" => Lookup::IsNull,
            _ => return None,
        })
    }
}

/// What a filter compares with.
#[derive(Debug, Clone)]
enum Operand {
    One(Scalar),
    Many(Vec<Scalar>),
    Between(Scalar, Scalar),
    /// Text for the `contains` family (lower-cased for the case-insensitive ones).
    Text(String),
    Pattern(Regex),
    Flag(bool),
}

/// One compiled filter.
#[derive(Debug, Clone)]
pub struct Filter {
    path: Vec<String>,
    lookup: Lookup,
    operand: Operand,
}

/// Checks and compiles every filter of a request against `schema`.
pub fn compile(
    filters: &[(String, String)],
    schema: &Schema,
    relations: &dyn Relations,
) -> Result<Vec<Filter>, ListError> {
    filters
        .iter()
        .map(|(key, value)| compile_one(key, value, schema, relations))
        .collect()
}

fn compile_one(
    key: &str,
    value: &str,
    schema: &Schema,
    relations: &dyn Relations,
) -> Result<Filter, ListError> {
    let mut parts: Vec<&str> = key.split("__").collect();
    let (lookup_name, lookup) = match parts.last().and_then(|l| Lookup::from_name(l)) {
        Some(lookup) if parts.len() > 1 => (parts.pop().unwrap_or("exact"), lookup),
        _ => ("exact", Lookup::Exact),
    };
    // Walk the path, checking `filtering` while the related schemas are known.
    let mut current: Option<&Schema> = Some(schema);
    let mut kind: Option<FieldType> = None;
    for (i, name) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let Some(s) = current else { break };
        let filtering = s.filtering.get(*name).ok_or_else(|| {
            ListError::new(format!("The '{name}' field does not allow filtering."))
        })?;
        if last {
            if !filtering.allows_lookup(lookup_name) {
                return Err(ListError::new(format!(
                    "'{lookup_name}' is not an allowed filter on the '{name}' field."
                )));
            }
            kind = s.field(name).map(|f| f.field_type.clone());
        } else {
            if !filtering.allows_relations() {
                return Err(ListError::new(format!(
                    "Lookups are not allowed more than one level deep on the '{name}' field."
                )));
            }
            current = relations.related_schema(s, name);
        }
    }
    let operand = operand(lookup, value, kind.as_ref())
        .map_err(|why| ListError::new(format!("Invalid value for the filter '{key}': {why}.")))?;
    Ok(Filter {
        path: parts.into_iter().map(str::to_owned).collect(),
        lookup,
        operand,
    })
}

fn operand(lookup: Lookup, value: &str, kind: Option<&FieldType>) -> Result<Operand, String> {
    Ok(match lookup {
        Lookup::IsNull => Operand::Flag(parse_bool(value).ok_or("expected true or false")?),
        Lookup::In => Operand::Many(
            value
                .split(',')
                .map(|v| Scalar::parse(v, kind))
                .collect::<Result<_, _>>()?,
        ),
        Lookup::Range => {
            let (lo, hi) = value.split_once(',').ok_or("expected two values: a,b")?;
            Operand::Between(Scalar::parse(lo, kind)?, Scalar::parse(hi, kind)?)
        }
        Lookup::Regex | Lookup::IRegex => Operand::Pattern(
            RegexBuilder::new(value)
                .case_insensitive(lookup == Lookup::IRegex)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| format!("not a valid regular expression ({e})"))?,
        ),
        Lookup::Contains | Lookup::StartsWith | Lookup::EndsWith => Operand::Text(value.to_owned()),
        Lookup::IContains | Lookup::IStartsWith | Lookup::IEndsWith | Lookup::IExact => {
            Operand::Text(value.to_lowercase())
        }
        Lookup::Exact | Lookup::Lt | Lookup::Lte | Lookup::Gt | Lookup::Gte => {
            Operand::One(Scalar::parse(value, kind)?)
        }
    })
}

impl Filter {
    /// Whether `object` passes this filter.
    pub fn matches(&self, object: &Map<String, Value>, relations: &dyn Relations) -> bool {
        self.matches_at(object, 0, relations)
    }

    fn matches_at(
        &self,
        object: &Map<String, Value>,
        depth: usize,
        relations: &dyn Relations,
    ) -> bool {
        let value = object.get(&self.path[depth]).unwrap_or(&Value::Null);
        if depth + 1 == self.path.len() {
            return self.test(value);
        }
        // Across a relation: any related object (embedded or by URI) may match.
        let one = |v: &Value| match v {
            Value::Object(o) => self.matches_at(o, depth + 1, relations),
            Value::String(uri) => relations
                .resolve(uri)
                .is_some_and(|o| self.matches_at(&o, depth + 1, relations)),
            _ => false,
        };
        match value {
            Value::Array(items) => items.iter().any(one),
            other => one(other),
        }
    }

    fn test(&self, value: &Value) -> bool {
        if let (Lookup::IsNull, Operand::Flag(want)) = (self.lookup, &self.operand) {
            let is_null = match value {
                Value::Null => true,
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            return is_null == *want;
        }
        match value {
            Value::Array(items) => items.iter().any(|v| self.test_one(v)),
            other => self.test_one(other),
        }
    }

    fn test_one(&self, value: &Value) -> bool {
        let cmp = |s: &Scalar| compare(value, s);
        match (&self.lookup, &self.operand) {
            (Lookup::Exact, Operand::One(Scalar::Null)) => value.is_null(),
            (Lookup::Exact, Operand::One(s)) => cmp(s) == Some(Ordering::Equal),
            (Lookup::Lt, Operand::One(s)) => cmp(s) == Some(Ordering::Less),
            (Lookup::Lte, Operand::One(s)) => {
                matches!(cmp(s), Some(Ordering::Less | Ordering::Equal))
            }
            (Lookup::Gt, Operand::One(s)) => cmp(s) == Some(Ordering::Greater),
            (Lookup::Gte, Operand::One(s)) => {
                matches!(cmp(s), Some(Ordering::Greater | Ordering::Equal))
            }
            (Lookup::In, Operand::Many(list)) => list.iter().any(|s| match s {
                Scalar::Null => value.is_null(),
                s => cmp(s) == Some(Ordering::Equal),
            }),
            (Lookup::Range, Operand::Between(lo, hi)) => {
                matches!(cmp(lo), Some(Ordering::Greater | Ordering::Equal))
                    && matches!(cmp(hi), Some(Ordering::Less | Ordering::Equal))
            }
            (Lookup::Regex | Lookup::IRegex, Operand::Pattern(re)) => {
                as_text(value).is_some_and(|t| re.is_match(&t))
            }
            (lookup, Operand::Text(needle)) => {
                let Some(text) = as_text(value) else {
                    return false;
                };
                let insensitive = matches!(
                    lookup,
                    Lookup::IExact | Lookup::IContains | Lookup::IStartsWith | Lookup::IEndsWith
                );
                if insensitive && text.is_ascii() && needle.is_ascii() {
                    // The common case, without allocating a lower-cased copy.
                    return ascii_match(*lookup, text.as_bytes(), needle.as_bytes());
                }
                let text = if insensitive {
                    std::borrow::Cow::Owned(text.to_lowercase())
                } else {
                    text
                };
                match lookup {
                    Lookup::IExact => *text == **needle,
                    Lookup::Contains | Lookup::IContains => text.contains(needle.as_str()),
                    Lookup::StartsWith | Lookup::IStartsWith => text.starts_with(needle.as_str()),
                    Lookup::EndsWith | Lookup::IEndsWith => text.ends_with(needle.as_str()),
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// A case-insensitive lookup on ASCII text (`needle` is already lower case).
fn ascii_match(lookup: Lookup, text: &[u8], needle: &[u8]) -> bool {
    let eq = |a: &[u8]| a.eq_ignore_ascii_case(needle);
    match lookup {
        Lookup::IExact => eq(text),
        Lookup::IStartsWith => text.len() >= needle.len() && eq(&text[..needle.len()]),
        Lookup::IEndsWith => text.len() >= needle.len() && eq(&text[text.len() - needle.len()..]),
        Lookup::IContains => needle.is_empty() || text.windows(needle.len()).any(eq),
        _ => false,
    }
}
