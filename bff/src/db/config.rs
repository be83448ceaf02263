//! The `[database]` configuration section.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The default for the top-level `data_dir` key: where the SQLite database (and other local
/// state) lives.
pub const DEFAULT_DATA_DIR: &str = "./data";

/// The file name of the SQLite accounts database inside `data_dir`.
pub const SQLITE_FILE_NAME: &str = "portal.db";

/// The default for the top-level `data_dir` key.
pub fn default_data_dir() -> PathBuf {
    PathBuf::from(DEFAULT_DATA_DIR)
}

/// `[database]`: where portal accounts, tenants, login throttling, sessions (unless
/// `sessions.store` says otherwise) and the audit trail are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://user:password@host/db` (or `postgresql://…`) for PostgreSQL, `sqlite:PATH` for
    /// a SQLite file elsewhere. Unset (the default): SQLite in `<data_dir>/portal.db`, created
    /// with its folder when missing.
    pub url: Option<String>,
    /// The most connections the pool opens (PostgreSQL; SQLite uses at most this many too).
    pub max_connections: u32,
    /// How long a request waits for a free connection (or to connect) before failing.
    pub acquire_timeout_secs: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            max_connections: 10,
            acquire_timeout_secs: 10,
        }
    }
}
