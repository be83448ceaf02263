//! Client-side checks, mirroring what the schema and its help-text limits say. The server stays
//! authoritative: these only save a round trip.

use super::kind::{FieldKind, FieldSpec};
use super::state::FormState;
use super::value::is_empty;
use serde_json::Value;
use std::collections::BTreeMap;

pub const REQUIRED: &str = "This field is required.";

/// The problems of a form, one message per field. `creating`: every required field must be
/// given; when editing, only what is there is checked.
pub fn check<'a>(
    specs: impl IntoIterator<Item = &'a FieldSpec>,
    state: &FormState,
    creating: bool,
) -> BTreeMap<String, String> {
    let mut problems = BTreeMap::new();
    for spec in specs.into_iter().filter(|s| s.is_sent()) {
        if let Some(message) = state.input_errors().get(&spec.name) {
            problems.insert(spec.name.clone(), message.clone());
            continue;
        }
        let value = state.get(&spec.name);
        if spec.required && (creating || value.is_some()) && is_empty(value) {
            problems.insert(spec.name.clone(), REQUIRED.to_string());
            continue;
        }
        if let Some(message) = value.and_then(|v| check_value(spec, v, state.original(&spec.name)))
        {
            problems.insert(spec.name.clone(), message);
        }
    }
    problems
}

fn check_value(spec: &FieldSpec, value: &Value, original: Option<&Value>) -> Option<String> {
    if value.is_null() {
        return None;
    }
    match &spec.kind {
        FieldKind::Text { .. } | FieldKind::Number { .. } => spec.limits.check(value).err(),
        FieldKind::Select { choices } => {
            let known = choices.iter().any(|c| &c.value == value) || original == Some(value);
            (!known).then(|| "Select a valid choice.".to_string())
        }
        FieldKind::Inline { columns } => {
            let first = columns.first()?;
            let rows = value.as_array()?;
            rows.iter()
                .position(|row| is_empty(row.get(first)))
                .map(|i| format!("Row {}: give a {first} or remove the row.", i + 1))
        }
        _ => None,
    }
}
