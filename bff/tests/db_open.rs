//! Opening the accounts database: SQLite (default, in data_dir) and PostgreSQL, migrations,
//! and clear errors.

#![cfg(feature = "ssr")]

use bff::db::testing::{TestDataDir, TestDatabase};
use bff::db::{DatabaseConfig, Db, DbKind};

/// How many migrations are recorded as applied (each successfully, once).
async fn migrations(pool: &sqlx::SqlitePool) -> i64 {
    let (applied, distinct, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT version), COUNT(*) FILTER (WHERE NOT success) \
         FROM _sqlx_migrations",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((applied, failed), (distinct, 0));
    applied
}

#[tokio::test]
async fn sqlite_is_created_with_its_folder_in_wal_mode_and_reopens() {
    let dir = TestDataDir::create().unwrap();
    let data_dir = dir.path().join("nested").join("data");
    let db = Db::open(&DatabaseConfig::default(), &data_dir)
        .await
        .unwrap();
    assert_eq!(db.kind(), DbKind::Sqlite);
    assert!(data_dir.join("portal.db").is_file());
    let Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let applied = migrations(pool).await;
    assert!(applied >= 1);
    db.close().await;

    // Reopening applies nothing twice and finds the schema.
    let db = Db::open(&DatabaseConfig::default(), &data_dir)
        .await
        .unwrap();
    db.ping().await.unwrap();
    let Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    assert_eq!(migrations(pool).await, applied);
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
         AND name IN ('accounts', 'tenants', 'login_failures')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(tables, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_opened_by_several_instances_at_once_is_migrated_once() {
    let database = TestDatabase::sqlite().unwrap();
    let mut opens = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (config, data_dir) = (database.config(), database.data_dir());
        opens.spawn(async move { Db::open(&config, &data_dir).await });
    }
    let dbs: Vec<Db> = opens
        .join_all()
        .await
        .into_iter()
        .map(|opened| opened.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let Db::Sqlite(pool) = &dbs[0] else {
        unreachable!()
    };
    assert!(migrations(pool).await >= 1);
    for db in dbs {
        db.close().await;
    }
}

#[tokio::test]
async fn sqlite_url_names_another_file() {
    let dir = TestDataDir::create().unwrap();
    let file = dir.path().join("elsewhere").join("accounts.sqlite");
    let config = DatabaseConfig {
        url: Some(format!("sqlite:{}", file.display())),
        ..DatabaseConfig::default()
    };
    let db = Db::open(&config, &dir.path().join("unused")).await.unwrap();
    db.ping().await.unwrap();
    assert!(file.is_file());
    assert!(!dir.path().join("unused").exists());
}

#[tokio::test]
async fn postgres_is_migrated_once_even_when_two_instances_start_together() {
    let database = TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (first, second) = tokio::join!(database.open(), database.open());
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.kind(), DbKind::Postgres);
    second.ping().await.unwrap();
    let Db::Postgres(pool) = &first else {
        unreachable!()
    };
    let (applied, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(applied >= 1);
    assert_eq!(applied, distinct);
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn unreachable_postgres_is_a_clear_error_without_the_password() {
    let dir = TestDataDir::create().unwrap();
    let config = DatabaseConfig {
        url: Some("postgres://portal:hunter2@127.0.0.1:1/portal".into()),
        acquire_timeout_secs: 2,
        ..DatabaseConfig::default()
    };
    let error = Db::open(&config, dir.path()).await.unwrap_err().to_string();
    assert!(
        error.starts_with(
            "cannot open the PostgreSQL database at postgres://portal:***@127.0.0.1:1/portal"
        ),
        "{error}"
    );
    assert!(!error.contains("hunter2"), "{error}");
}

#[tokio::test]
async fn bad_urls_and_data_dirs_are_clear_errors() {
    let dir = TestDataDir::create().unwrap();
    let config = DatabaseConfig {
        url: Some("mysql://root@db/portal".into()),
        ..DatabaseConfig::default()
    };
    let error = Db::open(&config, dir.path()).await.unwrap_err().to_string();
    assert_eq!(
        error,
        "invalid database.url: `mysql://root@db/portal` is neither postgres://… nor sqlite:PATH"
    );

    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let error = Db::open(&DatabaseConfig::default(), &file.join("data"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot create the data folder"),
        "{error}"
    );
}
