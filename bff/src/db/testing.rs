//! Real databases for tests (this crate's and the server's): a uniquely named PostgreSQL
//! database on the local server, dropped again when the handle is dropped. Nothing here runs in
//! production.

use super::{DatabaseConfig, Db};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The PostgreSQL server the tests use, unless `PORTAL_TEST_POSTGRES_URL` names another
/// (a URL to a database the user may `CREATE DATABASE` from).
pub const DEFAULT_TEST_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The Redis server the tests use, unless `PORTAL_TEST_REDIS_URL` names another.
pub const DEFAULT_TEST_REDIS_URL: &str = "redis://127.0.0.1:6379";

/// The PostgreSQL server URL for tests.
pub fn test_postgres_url() -> String {
    std::env::var("PORTAL_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.into())
}

/// The Redis server URL for tests.
pub fn test_redis_url() -> String {
    std::env::var("PORTAL_TEST_REDIS_URL").unwrap_or_else(|_| DEFAULT_TEST_REDIS_URL.into())
}

/// A name no other test (in this or another process) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{nanos}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh, empty PostgreSQL database, dropped (with any open connections) on drop.
#[derive(Debug)]
pub struct TestPostgres {
    admin_url: String,
    name: String,
    url: String,
}

impl TestPostgres {
    /// Creates the database. Fails with a message naming the server when it does not answer.
    pub async fn create() -> Result<TestPostgres, String> {
        let admin_url = test_postgres_url();
        let name = unique_name("portal_test");
        let mut connection = PgConnection::connect(&admin_url).await.map_err(|error| {
            format!(
                "PostgreSQL at {} is needed by this test and does not answer ({error}); \
                 start it (make test / scripts/setup.sh) or set PORTAL_TEST_POSTGRES_URL",
                super::redact_url(&admin_url)
            )
        })?;
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut connection)
            .await
            .map_err(|error| format!("cannot create test database {name}: {error}"))?;
        let _ = connection.close().await;
        let url = database_url(&admin_url, &name);
        Ok(TestPostgres {
            admin_url,
            name,
            url,
        })
    }

    /// The URL of the new database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A `[database]` configuration pointing at the new database.
    pub fn config(&self) -> DatabaseConfig {
        DatabaseConfig {
            url: Some(self.url.clone()),
            ..DatabaseConfig::default()
        }
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let statement = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        // Drop may run inside an async test's runtime, which cannot be blocked on: use a thread
        // with its own runtime.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(async {
                let mut connection = PgConnection::connect(&admin_url)
                    .await
                    .map_err(|error| error.to_string())?;
                sqlx::query(&statement)
                    .execute(&mut connection)
                    .await
                    .map_err(|error| error.to_string())?;
                let _ = connection.close().await;
                Ok::<(), String>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop test database {}: {error}", self.name);
        }
    }
}

/// A fresh folder under the system's temporary folder, removed on drop.
#[derive(Debug)]
pub struct TestDataDir {
    path: PathBuf,
}

impl TestDataDir {
    /// Creates the folder.
    pub fn create() -> Result<TestDataDir, String> {
        let path = std::env::temp_dir().join(unique_name("portal-test"));
        std::fs::create_dir_all(&path)
            .map_err(|error| format!("cannot create {}: {error}", path.display()))?;
        Ok(TestDataDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TestDataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// An empty accounts database for one test: SQLite in a fresh folder, or a fresh PostgreSQL
/// database. [`TestDatabase::open`] can be called several times for several pools (instances)
/// on the same data.
#[derive(Debug)]
pub enum TestDatabase {
    Sqlite(TestDataDir),
    Postgres(TestPostgres, TestDataDir),
}

impl TestDatabase {
    /// SQLite in `<fresh folder>/data/portal.db` (the folder is created by [`Db::open`]).
    pub fn sqlite() -> Result<TestDatabase, String> {
        Ok(TestDatabase::Sqlite(TestDataDir::create()?))
    }

    /// A fresh database on the local PostgreSQL server.
    pub async fn postgres() -> Result<TestDatabase, String> {
        Ok(TestDatabase::Postgres(
            TestPostgres::create().await?,
            TestDataDir::create()?,
        ))
    }

    /// The `[database]` section pointing at this database.
    pub fn config(&self) -> DatabaseConfig {
        match self {
            TestDatabase::Sqlite(_) => DatabaseConfig::default(),
            TestDatabase::Postgres(postgres, _) => postgres.config(),
        }
    }

    /// The `data_dir` to pass with [`TestDatabase::config`].
    pub fn data_dir(&self) -> PathBuf {
        match self {
            TestDatabase::Sqlite(dir) | TestDatabase::Postgres(_, dir) => dir.path().join("data"),
        }
    }

    /// Opens (and migrates) a new pool on this database.
    pub async fn open(&self) -> Result<Db, String> {
        Db::open(&self.config(), &self.data_dir())
            .await
            .map_err(|error| error.to_string())
    }
}

/// `admin_url` with its database path replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_replaces_the_path() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            database_url("postgres://u:p@h?sslmode=disable", "t2"),
            "postgres://u:p@h/t2?sslmode=disable"
        );
    }
}
