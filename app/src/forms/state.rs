//! The state of one form: the values it started from and the values it holds now. Edits are
//! sent as the difference (only changed fields, explicit nulls); a new object sends what differs
//! from the schema defaults.

use super::kind::FieldSpec;
use super::value::normalize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormState {
    original: Map<String, Value>,
    current: Map<String, Value>,
    /// Texts that could not be read as a value of their field (kept until fixed).
    input_errors: BTreeMap<String, String>,
}

impl FormState {
    /// A new object: every field starts at its schema default (none for fields without one).
    pub fn for_create<'a>(specs: impl IntoIterator<Item = &'a FieldSpec>) -> FormState {
        let values: Map<String, Value> = specs
            .into_iter()
            .filter(|spec| spec.is_sent())
            .filter_map(|spec| {
                spec.default
                    .as_ref()
                    .map(|default| (spec.name.clone(), normalize(&spec.kind, default)))
            })
            .collect();
        FormState {
            original: values.clone(),
            current: values,
            input_errors: BTreeMap::new(),
        }
    }

    /// An existing object, as read from the server.
    pub fn for_edit<'a>(
        specs: impl IntoIterator<Item = &'a FieldSpec>,
        object: &Map<String, Value>,
    ) -> FormState {
        let values: Map<String, Value> = specs
            .into_iter()
            .filter_map(|spec| {
                object
                    .get(&spec.name)
                    .map(|value| (spec.name.clone(), normalize(&spec.kind, value)))
            })
            .collect();
        FormState {
            original: values.clone(),
            current: values,
            input_errors: BTreeMap::new(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.current.get(name)
    }

    pub fn original(&self, name: &str) -> Option<&Value> {
        self.original.get(name)
    }

    /// Sets a field's value (and forgets an earlier unreadable text).
    pub fn set(&mut self, name: &str, value: Value) {
        self.input_errors.remove(name);
        self.current.insert(name.to_string(), value);
    }

    /// Records that the text typed into a field is not a value of its kind.
    pub fn set_input_error(&mut self, name: &str, message: String) {
        self.input_errors.insert(name.to_string(), message);
    }

    pub fn input_errors(&self) -> &BTreeMap<String, String> {
        &self.input_errors
    }

    /// The fields whose value changed, with their new value (`null` to clear).
    pub fn changes<'a>(
        &self,
        specs: impl IntoIterator<Item = &'a FieldSpec>,
    ) -> Map<String, Value> {
        specs
            .into_iter()
            .filter(|spec| spec.is_sent())
            .filter_map(|spec| {
                let now = self.current.get(&spec.name)?;
                (self.original.get(&spec.name) != Some(now))
                    .then(|| (spec.name.clone(), now.clone()))
            })
            .collect()
    }

    /// Whether anything changed.
    pub fn is_dirty<'a>(&self, specs: impl IntoIterator<Item = &'a FieldSpec>) -> bool {
        !self.changes(specs).is_empty()
    }

    /// Starts over from the saved values (after a successful save, the current ones).
    pub fn mark_saved(&mut self) {
        self.original = self.current.clone();
        self.input_errors.clear();
    }
}
