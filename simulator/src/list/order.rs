//! `order_by=field` and `order_by=-field`, only on fields the schema lists in `ordering`.

use std::cmp::Ordering;

use pexip::{FieldType, Schema};
use serde_json::{Map, Value};

use super::datetime::parse_micros;
use super::error::ListError;

/// One ordering criterion.
#[derive(Debug, Clone)]
pub struct OrderBy {
    field: String,
    descending: bool,
    datetime: bool,
}

/// Checks the request's `order_by` values against `schema`.
pub fn compile(order_by: &[String], schema: &Schema) -> Result<Vec<OrderBy>, ListError> {
    order_by
        .iter()
        .filter(|v| !v.is_empty())
        .map(|value| {
            let (field, descending) = match value.strip_prefix('-') {
                Some(field) => (field, true),
                None => (value.as_str(), false),
            };
            let Some(f) = schema.field(field) else {
                return Err(ListError::new(format!(
                    "No matching '{field}' field for ordering on."
                )));
            };
            if !schema.can_order_by(field) {
                return Err(ListError::new(format!(
                    "The '{field}' field does not allow ordering."
                )));
            }
            Ok(OrderBy {
                field: field.to_owned(),
                descending,
                datetime: matches!(f.field_type, FieldType::Datetime | FieldType::Date),
            })
        })
        .collect()
}

/// A value reduced to what it sorts by.
#[derive(Debug, PartialEq, PartialOrd)]
enum Key<'a> {
    Bool(bool),
    Num(f64),
    Time(i64),
    Text(&'a str),
    Other(String),
}

fn key<'a>(value: Option<&'a Value>, datetime: bool) -> Option<Key<'a>> {
    Some(match value? {
        Value::Null => return None,
        Value::Bool(b) => Key::Bool(*b),
        Value::Number(n) => Key::Num(n.as_f64()?),
        Value::String(s) if datetime => parse_micros(s).map_or(Key::Text(s), Key::Time),
        Value::String(s) => Key::Text(s),
        other => Key::Other(other.to_string()),
    })
}

/// Nulls sort last ascending and first descending, as in PostgreSQL.
fn cmp_keys(a: &Option<Key<'_>>, b: &Option<Key<'_>>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
    }
}

/// Sorts `objects` by every criterion in turn, stably (ties keep their order), as far as the
/// first `needed` objects: those come first and in order, the rest are dropped (a page only
/// needs the objects up to its end, so the others need not be sorted).
pub fn sort_first(objects: &mut Vec<&Map<String, Value>>, order: &[OrderBy], needed: usize) {
    if order.is_empty() {
        objects.truncate(needed);
        return;
    }
    // The keys of every object, row by row, extracted once.
    let k = order.len();
    let keys: Vec<Option<Key<'_>>> = objects
        .iter()
        .flat_map(|o| order.iter().map(move |c| key(o.get(&c.field), c.datetime)))
        .collect();
    // Ties are broken by position, which makes the order total and the sort stable.
    let cmp = |&a: &usize, &b: &usize| {
        for (i, c) in order.iter().enumerate() {
            let ord = cmp_keys(&keys[a * k + i], &keys[b * k + i]);
            let ord = if c.descending { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        a.cmp(&b)
    };
    let mut rows: Vec<usize> = (0..objects.len()).collect();
    if needed < rows.len() {
        if needed == 0 {
            rows.clear();
        } else {
            rows.select_nth_unstable_by(needed - 1, cmp);
            rows.truncate(needed);
        }
    }
    rows.sort_unstable_by(cmp);
    *objects = rows.into_iter().map(|row| objects[row]).collect();
}
