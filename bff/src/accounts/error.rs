//! Account errors.

use super::password::HashError;
use crate::db::DbError;

/// An account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("an account named `{0}` already exists")]
    Duplicate(String),
    #[error("no account `{0}`")]
    NotFound(String),
    #[error("no tenant with id {0}")]
    UnknownTenant(i64),
    /// The change would leave the portal without an active admin.
    #[error("{0} is the last active admin: make another admin first")]
    LastAdmin(String),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        AccountError::Db(error.into())
    }
}
