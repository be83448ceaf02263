//! The accounts database: one pool over SQLite (the default, a file in `data_dir`) or
//! PostgreSQL (`database.url = "postgres://…"`), with the same schema on both, migrated at start.
//!
//! Queries are written once with `$1`-style placeholders (which SQLite accepts too) and run on
//! either pool through [`with_pool!`](crate::db::with_pool).

mod config;
mod error;
pub mod retry;
pub mod testing;

pub use config::{DEFAULT_DATA_DIR, DatabaseConfig, SQLITE_FILE_NAME, default_data_dir};
pub use error::DbError;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Runs `$body` with `$pool` bound to the concrete pool of `$db` (`&SqlitePool` or `&PgPool`).
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A connection pool to the accounts database. Cheap to clone (the pools are shared handles).
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Where the configuration says the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    SqliteFile(PathBuf),
    Postgres(String),
}

impl Db {
    /// Opens the database the configuration names and applies the migrations.
    ///
    /// Intended call at server start: `let db = bff::db::Db::open(&config.database,
    /// &config.data_dir).await?;`
    pub async fn open(config: &DatabaseConfig, data_dir: &Path) -> Result<Db, DbError> {
        match location(config, data_dir)? {
            Location::SqliteFile(path) => {
                // SQLite migrations take no lock of their own, and the first connections to a
                // new file race to switch it to WAL (a "database is locked" the busy timeout
                // does not cover): processes opening the same file at once take turns on a
                // lock file beside it for the opening and the migrations.
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|error| DbError::DataDir {
                        path: parent.display().to_string(),
                        reason: error.to_string(),
                    })?;
                }
                let lock = lock_file(&path).await?;
                let opened = async {
                    let db = Db::open_sqlite(&path, config).await?;
                    db.migrate().await?;
                    Ok(db)
                }
                .await;
                drop(lock);
                opened
            }
            Location::Postgres(url) => {
                let db = Db::open_postgres(&url, config).await?;
                db.migrate().await?;
                Ok(db)
            }
        }
    }

    async fn open_sqlite(path: &Path, config: &DatabaseConfig) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(config.acquire_timeout_secs));
        // A connection to a local file is not cut the way a network one is: no ping before each
        // use (sqlx's default; each is a round trip to the connection's worker thread).
        let pool = SqlitePoolOptions::new()
            .max_connections(config.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(config.acquire_timeout_secs))
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|source| DbError::Open {
                what: "SQLite",
                location: path.display().to_string(),
                source,
            })?;
        Ok(Db::Sqlite(pool))
    }

    async fn open_postgres(url: &str, config: &DatabaseConfig) -> Result<Db, DbError> {
        let options = sqlx::postgres::PgConnectOptions::from_str(url)
            .map_err(|error| DbError::InvalidUrl(format!("{}: {error}", redact_url(url))))?;
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(config.acquire_timeout_secs))
            .connect_with(options)
            .await
            .map_err(|source| DbError::Open {
                what: "PostgreSQL",
                location: redact_url(url),
                source,
            })?;
        Ok(Db::Postgres(pool))
    }

    /// Applies the migrations that have not run yet (PostgreSQL migrations take an advisory
    /// lock; for SQLite, [`Db::open`] holds a lock file around this).
    async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// The engine behind this pool.
    pub fn kind(&self) -> DbKind {
        match self {
            Db::Sqlite(_) => DbKind::Sqlite,
            Db::Postgres(_) => DbKind::Postgres,
        }
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> Result<(), DbError> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection; later queries fail.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// An exclusive lock on `<database file>-migrate.lock`, held until the file is dropped (its name
/// kept from when it guarded the migrations alone, so running older instances still take turns).
async fn lock_file(database: &Path) -> Result<std::fs::File, DbError> {
    let mut name = database.as_os_str().to_owned();
    name.push("-migrate.lock");
    let path = PathBuf::from(name);
    let shown = path.display().to_string();
    let locked = tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(std::io::Error::other)
    .and_then(|result| result);
    locked.map_err(|error| DbError::DataDir {
        path: shown,
        reason: format!("cannot lock it to open the database: {error}"),
    })
}

fn location(config: &DatabaseConfig, data_dir: &Path) -> Result<Location, DbError> {
    let Some(url) = config
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    else {
        return Ok(Location::SqliteFile(data_dir.join(SQLITE_FILE_NAME)));
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Location::Postgres(url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return Err(DbError::InvalidUrl(format!(
                "`{url}` names no file (use sqlite:PATH, e.g. sqlite:/var/lib/portal/portal.db)"
            )));
        }
        return Ok(Location::SqliteFile(PathBuf::from(path)));
    }
    Err(DbError::InvalidUrl(format!(
        "`{}` is neither postgres://… nor sqlite:PATH",
        redact_url(url)
    )))
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The current time in Unix seconds, as stored in the database.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>) -> DatabaseConfig {
        DatabaseConfig {
            url: url.map(str::to_string),
            ..DatabaseConfig::default()
        }
    }

    #[test]
    fn location_follows_the_url() {
        let dir = Path::new("/srv/data");
        assert_eq!(
            location(&config(None), dir).unwrap(),
            Location::SqliteFile(dir.join("portal.db"))
        );
        assert_eq!(
            location(&config(Some("  ")), dir).unwrap(),
            Location::SqliteFile(dir.join("portal.db"))
        );
        assert_eq!(
            location(&config(Some("postgresql://u@h/db")), dir).unwrap(),
            Location::Postgres("postgresql://u@h/db".into())
        );
        assert_eq!(
            location(&config(Some("sqlite:///tmp/x.db?mode=rwc")), dir).unwrap(),
            Location::SqliteFile("/tmp/x.db".into())
        );
        assert!(location(&config(Some("sqlite::memory:")), dir).is_err());
        let error = location(&config(Some("mysql://u:secret@h/db")), dir).unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");
        assert!(error.to_string().contains("neither postgres"), "{error}");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://portal:hunter2@db:5432/portal?sslmode=require"),
            "postgres://portal:***@db:5432/portal?sslmode=require"
        );
        assert_eq!(redact_url("postgres://db/portal"), "postgres://db/portal");
        assert_eq!(redact_url("postgres://u@db/p"), "postgres://u@db/p");
    }
}
