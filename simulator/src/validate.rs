//! Schema-driven validation of the values a request writes, in the form tastypie reports:
//! messages per field (Django's wording), cross-field rules under `__all__`.
//!
//! Every value is also converted to its stored form: numbers given as strings (as the guide's
//! examples send `'vm_cpu_count': '8'`) become numbers, date-times take the API's format,
//! related values become relative resource URIs.

use pexip::{Field, FieldType, FormErrors, RelatedType};
use serde_json::{Map, Value};

use crate::catalogue::Resource;
use crate::list::datetime::{format_micros, parse_micros};
use crate::store::{ConfigStore, Object, ObjectId, config_uri, split_uri};

/// Fields a request may name but never writes: the server owns them.
const SERVER_OWNED: [&str; 2] = ["id", "resource_uri"];

/// Checks `request` (the fields a client sent) for `resource` and writes the converted values
/// onto `object` (defaults on create, the current object on update). Unknown fields, bad types,
/// nulls, blanks, lengths, ranges and choices are reported per field; read-only and
/// server-owned fields are ignored, as tastypie does. Reverse relations are left to the caller.
pub fn apply_fields(
    resource: &Resource,
    request: &Object,
    object: &mut Object,
    store: &ConfigStore,
    errors: &mut FormErrors,
) {
    for (name, value) in request {
        if SERVER_OWNED.contains(&name.as_str()) || resource.is_reverse(name) {
            continue;
        }
        let Some(field) = resource.schema.field(name) else {
            errors.add(
                name.clone(),
                format!(
                    "This field is not a field of the '{}' resource.",
                    resource.name
                ),
            );
            continue;
        };
        if field.readonly {
            continue;
        }
        if resource.is_secret(name) && value.as_str().is_some_and(|s| s.starts_with("$~!1")) {
            // The opaque form read back from the server: the stored secret stays.
            continue;
        }
        match convert(resource, name, field, value, store) {
            Ok(v) => {
                object.insert(name.clone(), v);
            }
            Err(message) => errors.add(name.clone(), message),
        }
    }
}

/// Reports the fields a new object needs and lacks: not blank, no default, not nullable.
pub fn check_required(resource: &Resource, object: &Object, errors: &mut FormErrors) {
    for (name, field) in &resource.schema.fields {
        if SERVER_OWNED.contains(&name.as_str()) || field.readonly || resource.is_reverse(name) {
            continue;
        }
        let required = !field.blank && !field.nullable && field.default.is_none();
        let missing = match object.get(name) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        if required && missing && errors.field(name).is_empty() {
            errors.add(name.clone(), "This field is required.");
        }
    }
}

/// Reports values of unique fields that another object of the resource already has (through
/// the store's index of the field when it keeps one, see [`index_unique_fields`]).
pub fn check_unique(
    resource: &Resource,
    object: &Object,
    own_id: Option<&ObjectId>,
    store: &ConfigStore,
    errors: &mut FormErrors,
) {
    for (name, field) in &resource.schema.fields {
        if !field.unique || SERVER_OWNED.contains(&name.as_str()) {
            continue;
        }
        let Some(value) = object.get(name).filter(|v| !v.is_null() && *v != "") else {
            continue;
        };
        let taken = match store.ids_with(resource.name, name, value) {
            Some(ids) => ids.iter().any(|id| Some(id) != own_id),
            None => store.objects(resource.name).any(|other| {
                other.get(name) == Some(value)
                    && other.get("id").and_then(ObjectId::from_json).as_ref() != own_id
            }),
        };
        if taken {
            errors.add(name.clone(), already_exists(resource.name, name));
        }
    }
}

/// Makes the store index the unique fields of `resource`, so uniqueness checks need not scan.
pub fn index_unique_fields(resource: &Resource, store: &mut ConfigStore) {
    for (name, field) in &resource.schema.fields {
        if field.unique && !SERVER_OWNED.contains(&name.as_str()) {
            store.index_field(resource.name, name);
        }
    }
}

/// Django's message for a duplicate: "Conference alias with this Alias already exists."
pub fn already_exists(resource: &str, field: &str) -> String {
    format!(
        "{} with this {} already exists.",
        capitalize(&resource.replace('_', " ")),
        capitalize(&field.replace('_', " "))
    )
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Converts one value to its stored form, or says why it is not acceptable.
fn convert(
    resource: &Resource,
    name: &str,
    field: &Field,
    value: &Value,
    store: &ConfigStore,
) -> Result<Value, String> {
    if value.is_null() {
        return if field.nullable || field.field_type == FieldType::Related && field.is_to_many() {
            Ok(if field.is_to_many() {
                Value::Array(Vec::new())
            } else {
                Value::Null
            })
        } else {
            Err("This field cannot be null.".to_owned())
        };
    }
    let converted = match &field.field_type {
        FieldType::String => match value {
            Value::String(s) => Value::String(s.clone()),
            Value::Number(n) => Value::String(n.to_string()),
            _ => return Err("Enter a valid value: a string is expected.".to_owned()),
        },
        FieldType::Integer => Value::from(integer(value).ok_or("Enter a whole number.")?),
        FieldType::Float => Value::from(float(value).ok_or("Enter a number.")?),
        FieldType::Boolean => Value::Bool(
            boolean(value)
                .ok_or_else(|| format!("'{}' value must be either True or False.", plain(value)))?,
        ),
        FieldType::Datetime => {
            let text = value.as_str().ok_or("Enter a valid date/time.")?;
            Value::String(format_micros(
                parse_micros(text).ok_or("Enter a valid date/time.")?,
            ))
        }
        FieldType::Related => related(resource, name, field, value, store)?,
        FieldType::List if !value.is_array() => return Err("A list is expected.".to_owned()),
        FieldType::Dict if !value.is_object() => return Err("An object is expected.".to_owned()),
        _ => value.clone(),
    };
    check_value(field, &converted)?;
    Ok(converted)
}

/// Blank, limits (length, digits, range) and choices of a converted value.
fn check_value(field: &Field, value: &Value) -> Result<(), String> {
    if let Value::String(s) = value
        && s.is_empty()
    {
        // An empty string is "no value": allowed when the field may be blank.
        let default_is_blank = field.default.as_ref().is_some_and(|d| d == "");
        return if field.blank || field.nullable || default_is_blank {
            Ok(())
        } else {
            Err("This field cannot be blank.".to_owned())
        };
    }
    if matches!(value, Value::String(_) | Value::Number(_)) {
        field.limits().check(value)?;
    }
    if let Some(choices) = field.valid_choices.as_ref().filter(|c| !c.is_empty())
        && !choices.contains(value)
    {
        return Err(format!(
            "Select a valid choice. {} is not one of the available choices.",
            plain(value)
        ));
    }
    Ok(())
}

/// A related value: a resource URI (or a list of them) naming existing objects of the target.
fn related(
    resource: &Resource,
    name: &str,
    field: &Field,
    value: &Value,
    store: &ConfigStore,
) -> Result<Value, String> {
    let target = resource.relation(name).unwrap_or("");
    let one = |v: &Value| -> Result<Value, String> {
        let uri = match v {
            Value::String(s) => s.as_str(),
            Value::Object(o) => o.get("resource_uri").and_then(Value::as_str).unwrap_or(""),
            _ => "",
        };
        let found = split_uri(uri)
            .filter(|(r, _)| *r == target)
            .and_then(|(r, id)| {
                let id = ObjectId::parse(id);
                store.get(r, &id).map(|_| config_uri(r, &id))
            });
        found.map(Value::String).ok_or_else(|| {
            format!(
                "Could not find the provided object via resource URI '{}'.",
                plain(v)
            )
        })
    };
    match field.related_type {
        Some(RelatedType::ToMany) => match value {
            Value::Array(items) => items
                .iter()
                .map(one)
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            _ => Err("A list of resource URIs is expected.".to_owned()),
        },
        _ => one(value),
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => crate::list::value::parse_bool(s),
        _ => None,
    }
}

/// A value as Django quotes it in messages: strings without JSON quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A request body that is a JSON object, or the reason it is not one.
pub fn as_object(value: Value) -> Result<Map<String, Value>, String> {
    match value {
        Value::Object(o) => Ok(o),
        other => Err(format!(
            "The request body must be a JSON object, not {}.",
            match other {
                Value::Array(_) => "a list",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            }
        )),
    }
}
