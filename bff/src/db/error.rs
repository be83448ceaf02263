//! Database errors.

/// Opening, migrating or querying the accounts database failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database.url: {0}")]
    InvalidUrl(String),
    #[error("cannot create the data folder {path}: {reason}")]
    DataDir { path: String, reason: String },
    #[error("cannot open the {what} database at {location}: {source}")]
    Open {
        what: &'static str,
        location: String,
        source: sqlx::Error,
    },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl DbError {
    /// Whether this is a unique-constraint violation (a duplicate name).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Query(error)
            if error.as_database_error().is_some_and(|e| e.is_unique_violation()))
    }

    /// Whether this is a foreign-key violation (a row still referenced, or a missing parent).
    pub fn is_foreign_key_violation(&self) -> bool {
        let DbError::Query(error) = self else {
            return false;
        };
        error.as_database_error().is_some_and(|e| {
            // SQLite reports `ON DELETE RESTRICT` as SQLITE_CONSTRAINT_TRIGGER (1811), which
            // sqlx does not classify.
            e.is_foreign_key_violation() || e.message().contains("FOREIGN KEY constraint failed")
        })
    }
}
