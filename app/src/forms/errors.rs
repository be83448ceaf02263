//! Errors shown on a form: per field, and at the top for what belongs to no field
//! (`__all__`, fields the form does not show, failures that are not validation).

use super::kind::FieldSpec;
use super::labels::field_label;
use crate::api::AppError;
use std::collections::BTreeMap;

/// The key of messages about the whole object.
pub const NON_FIELD: &str = "__all__";

/// What placing the server's messages needs of a field a form shows.
pub trait ShownField {
    fn name(&self) -> &str;
    fn label(&self) -> &str;
    /// Whether the form lets the person change it (messages about it go to it then).
    fn editable(&self) -> bool;
}

impl ShownField for FieldSpec {
    fn name(&self) -> &str {
        &self.name
    }

    fn label(&self) -> &str {
        &self.label
    }

    fn editable(&self) -> bool {
        !self.read_only
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub top: Vec<String>,
    pub fields: BTreeMap<String, Vec<String>>,
}

impl FormErrors {
    /// The server's answer placed at the fields the form shows.
    pub fn from_server<'a, F: ShownField + 'a>(
        error: &AppError,
        specs: impl IntoIterator<Item = &'a F> + Clone,
    ) -> FormErrors {
        let mut errors = FormErrors::default();
        match error {
            AppError::Invalid { message, fields } => {
                for (field, messages) in fields {
                    let shown = specs
                        .clone()
                        .into_iter()
                        .find(|s| s.name() == field && s.editable());
                    match shown {
                        Some(spec) => {
                            errors
                                .fields
                                .entry(spec.name().to_string())
                                .or_default()
                                .extend(messages.iter().cloned());
                        }
                        None if field == NON_FIELD => errors.top.extend(messages.iter().cloned()),
                        None => {
                            let label = specs
                                .clone()
                                .into_iter()
                                .find(|s| s.name() == field)
                                .map_or_else(|| field_label(field), |s| s.label().to_string());
                            errors
                                .top
                                .extend(messages.iter().map(|m| format!("{label}: {m}")));
                        }
                    }
                }
                if fields.is_empty() {
                    errors.top.push(message.clone());
                }
            }
            other => errors.top.push(other.to_string()),
        }
        errors
    }

    /// The client-side check results.
    pub fn from_checks(problems: BTreeMap<String, String>) -> FormErrors {
        FormErrors {
            top: Vec::new(),
            fields: problems
                .into_iter()
                .map(|(field, message)| (field, vec![message]))
                .collect(),
        }
    }

    pub fn field(&self, name: &str) -> Vec<String> {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.top.is_empty() && self.fields.is_empty()
    }
}
