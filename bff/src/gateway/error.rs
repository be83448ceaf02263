//! What can go wrong in a BFF operation, in terms the UI can show.

use crate::db::DbError;
use crate::policy::Denied;
use pexip::client::ClientError;
use std::collections::BTreeMap;

/// The key of messages not tied to one field (tastypie's convention).
pub const NON_FIELD: &str = "__all__";

#[derive(Debug, thiserror::Error)]
pub enum BffError {
    /// No signed-in session.
    #[error("Please sign in.")]
    Unauthenticated,
    /// The role does not allow the operation.
    #[error("Your role does not allow this.")]
    Forbidden,
    /// Missing, or outside the caller's scope (indistinguishable on purpose).
    #[error("Not found.")]
    NotFound,
    /// Values refused, by the policy or by the Management Node: messages per field
    /// (`__all__` for the whole object).
    #[error("{}", summary(.0))]
    Invalid(BTreeMap<String, Vec<String>>),
    /// The Management Node failed, timed out, is unreachable or rate limits us.
    #[error("{0}")]
    Upstream(ClientError),
    /// Something on our side (database, audit trail).
    #[error("{0}")]
    Internal(String),
}

fn summary(fields: &BTreeMap<String, Vec<String>>) -> String {
    let parts: Vec<String> = fields
        .iter()
        .flat_map(|(field, messages)| {
            messages.iter().map(move |message| {
                if field == NON_FIELD {
                    message.clone()
                } else {
                    format!("{field}: {message}")
                }
            })
        })
        .collect();
    if parts.is_empty() {
        "Some values were refused.".into()
    } else {
        parts.join(" ")
    }
}

impl BffError {
    /// A refusal of one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> BffError {
        BffError::Invalid(BTreeMap::from([(field.into(), vec![message.into()])]))
    }
}

impl From<Denied> for BffError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Forbidden => BffError::Forbidden,
            Denied::NotFound => BffError::NotFound,
            Denied::Field { field, message } => BffError::field(field, message),
        }
    }
}

impl From<ClientError> for BffError {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::NotFound => BffError::NotFound,
            ClientError::Validation(form) => BffError::Invalid(form.fields.into_iter().collect()),
            ClientError::InvalidInput(message) => BffError::field(NON_FIELD, message),
            other => BffError::Upstream(other),
        }
    }
}

impl From<DbError> for BffError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "database error");
        BffError::Internal("the portal's database failed; try again".into())
    }
}
