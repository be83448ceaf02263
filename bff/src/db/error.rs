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

    /// Whether the database could not be reached or did not answer: down or restarting, a
    /// connection cut, no free connection within `database.acquire_timeout_secs`, a SQLite
    /// database locked for longer than its busy timeout. Worth a `503` and another try, not a
    /// `500`.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Query(error) | DbError::Open { source: error, .. } => unavailable(error),
            _ => false,
        }
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

/// See [`DbError::is_unavailable`].
fn unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(error) => {
            let code = error.code().unwrap_or_default();
            if error
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some()
            {
                // SQLITE_BUSY, SQLITE_LOCKED and their extended codes.
                code.parse::<u32>()
                    .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
            } else {
                // PostgreSQL: class 08 (connection exception), too many connections, the server
                // shutting down, crashed, or not accepting connections yet.
                code.starts_with("08")
                    || matches!(code.as_ref(), "53300" | "57P01" | "57P02" | "57P03")
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_closed_pool_is_unavailable_not_a_bug() {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .connect("sqlite::memory:")
            .await
            .unwrap();
        pool.close().await;
        let error: DbError = sqlx::query("SELECT 1")
            .execute(&pool)
            .await
            .unwrap_err()
            .into();
        assert!(error.is_unavailable(), "{error:?}");
        assert!(!DbError::Corrupt("x".into()).is_unavailable());
        let syntax: DbError = {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .connect("sqlite::memory:")
                .await
                .unwrap();
            sqlx::query("SELEKT 1")
                .execute(&pool)
                .await
                .unwrap_err()
                .into()
        };
        assert!(!syntax.is_unavailable(), "{syntax:?}");
    }
}
