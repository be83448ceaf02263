//! Sessions through the real session middleware on real stores (SQLite in a temporary folder,
//! a fresh PostgreSQL database, the local Redis): cookie attributes, a new id at sign-in,
//! sign-out deleting the record, sessions shared between instances and surviving a restart,
//! idle and absolute timeouts, disabled accounts and new passwords ending sessions.

#![cfg(feature = "ssr")]

use bff::Role;
use bff::accounts::{
    AccountUpdate, NewAccount, authenticate, create_account, set_password, update_account,
};
use bff::db::testing::{TestDatabase, test_redis_url};
use bff::db::{Db, now_unix};
use bff::sessions::{
    PortalSessionStore, SessionConfig, SessionStoreKind, current_principal_at,
    current_principal_cached_at, log_in, log_out, open_session_store, session_layer,
};
use bff::throttle::ThrottleConfig;
use http::{Request, Response, header};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;
use tower::{Layer, ServiceExt, service_fn};
use tower_sessions::session::Id;
use tower_sessions::{Session, SessionStore};

const PASSWORD: &str = "a long enough password";
const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// One portal instance: an accounts pool, a session store and the session middleware around a
/// tiny handler (`/touch` stores anonymous data, `/login` signs `x-user` in, `/me` answers the
/// principal's username or `-` (as of `x-now` when given), `/logout` signs out).
#[derive(Clone)]
struct Instance {
    db: Db,
    store: PortalSessionStore,
    config: SessionConfig,
    https: bool,
}

struct Answer {
    body: String,
    set_cookie: Option<String>,
}

impl Answer {
    /// The session id the response set, if it set one (and did not remove it).
    fn session_id(&self) -> Option<String> {
        let cookie = self.set_cookie.as_deref()?;
        let value = cookie.strip_prefix("portal_session=")?.split(';').next()?;
        (!value.is_empty()).then(|| value.to_string())
    }
}

impl Instance {
    async fn open(database: &TestDatabase, config: SessionConfig) -> Instance {
        let db = database.open().await.unwrap();
        let store = open_session_store(&config, &db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        Instance {
            db,
            store,
            config,
            https: false,
        }
    }

    async fn request(
        &self,
        path: &str,
        cookie: Option<&str>,
        headers: &[(&str, String)],
    ) -> Answer {
        let instance = self.clone();
        let handler = service_fn(move |request: Request<String>| {
            let instance = instance.clone();
            async move {
                let session = request
                    .extensions()
                    .get::<Session>()
                    .cloned()
                    .expect("the session layer adds the session");
                let header_value = |name: &str| {
                    request
                        .headers()
                        .get(name)
                        .map(|v| v.to_str().unwrap().to_string())
                };
                let body = match request.uri().path() {
                    "/touch" => {
                        session.insert("visited", true).await.unwrap();
                        "ok".to_string()
                    }
                    "/login" => {
                        let user = header_value("x-user").unwrap();
                        let auth = authenticate(
                            &instance.db,
                            &ThrottleConfig::default(),
                            &user,
                            PASSWORD,
                            CLIENT,
                        )
                        .await
                        .unwrap();
                        log_in(&session, &auth).await.unwrap();
                        "signed in".to_string()
                    }
                    "/me" => {
                        let now =
                            header_value("x-now").map_or_else(now_unix, |v| v.parse().unwrap());
                        current_principal_at(&session, &instance.db, &instance.config, now)
                            .await
                            .unwrap()
                            .map_or_else(|| "-".to_string(), |p| p.username)
                    }
                    "/me-cached" => {
                        let now =
                            header_value("x-now").map_or_else(now_unix, |v| v.parse().unwrap());
                        current_principal_cached_at(&session, &instance.db, &instance.config, now)
                            .await
                            .unwrap()
                            .map_or_else(
                                || "-".to_string(),
                                |p| {
                                    let tenant = p.tenant.map(|t| t.name).unwrap_or_default();
                                    format!("{} {} {tenant}", p.username, p.role)
                                        .trim_end()
                                        .to_string()
                                },
                            )
                    }
                    "/logout" => {
                        log_out(&session).await.unwrap();
                        "signed out".to_string()
                    }
                    other => panic!("no route {other}"),
                };
                Ok::<_, Infallible>(Response::new(body))
            }
        });
        let service = session_layer(self.store.clone(), &self.config, self.https).layer(handler);
        let mut builder = Request::builder().uri(path);
        if let Some(id) = cookie {
            builder = builder.header(header::COOKIE, format!("portal_session={id}"));
        }
        for (name, value) in headers {
            builder = builder.header(*name, value);
        }
        let response = service
            .oneshot(builder.body(String::new()).unwrap())
            .await
            .unwrap();
        let set_cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_string());
        Answer {
            body: response.into_body(),
            set_cookie,
        }
    }

    /// Signs `username` in and returns the session id.
    async fn login(&self, username: &str, cookie: Option<&str>) -> String {
        let answer = self
            .request("/login", cookie, &[("x-user", username.to_string())])
            .await;
        assert_eq!(answer.body, "signed in");
        answer.session_id().expect("sign-in sets the cookie")
    }

    async fn me(&self, cookie: &str) -> String {
        self.request("/me", Some(cookie), &[]).await.body
    }

    async fn record_exists(&self, id: &str) -> bool {
        self.store
            .load(&Id::from_str(id).unwrap())
            .await
            .unwrap()
            .is_some()
    }
}

async fn add_account(db: &Db, username: &str) -> i64 {
    create_account(
        db,
        &NewAccount {
            username: username.into(),
            password: PASSWORD.into(),
            role: Role::Helpdesk,
            tenant_id: None,
            email: None,
        },
    )
    .await
    .unwrap()
    .id
}

fn redis_config() -> SessionConfig {
    SessionConfig {
        store: Some(SessionStoreKind::Redis),
        redis_url: test_redis_url(),
        ..SessionConfig::default()
    }
}

async fn postgres() -> TestDatabase {
    TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn cookie_has_the_name_and_attributes() {
    let database = TestDatabase::sqlite().unwrap();
    let mut instance = Instance::open(&database, SessionConfig::default()).await;
    add_account(&instance.db, "alice").await;
    let answer = instance
        .request("/login", None, &[("x-user", "alice".into())])
        .await;
    let cookie = answer.set_cookie.unwrap();
    let attributes: Vec<&str> = cookie.split("; ").skip(1).collect();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    for expected in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=1800"] {
        assert!(
            attributes.contains(&expected),
            "{expected} missing: {cookie}"
        );
    }
    assert!(!attributes.contains(&"Secure"), "{cookie}");

    instance.https = true;
    instance.config.idle_timeout_secs = 600;
    instance.config.same_site = bff::sessions::SameSitePolicy::Lax;
    let answer = instance
        .request("/login", None, &[("x-user", "alice".into())])
        .await;
    let cookie = answer.set_cookie.unwrap();
    let attributes: Vec<&str> = cookie.split("; ").skip(1).collect();
    for expected in ["HttpOnly", "SameSite=Lax", "Secure", "Max-Age=600"] {
        assert!(
            attributes.contains(&expected),
            "{expected} missing: {cookie}"
        );
    }
    // Anonymous requests get no cookie at all.
    assert_eq!(instance.request("/me", None, &[]).await.set_cookie, None);
}

/// Sign-in gets a new id and deletes the old record; sign-out deletes the record and the
/// cookie; the old ids are worthless afterwards.
async fn login_and_logout(instance: Instance) {
    add_account(&instance.db, "alice").await;
    let anonymous = instance.request("/touch", None, &[]).await;
    let planted = anonymous.session_id().unwrap();
    assert!(instance.record_exists(&planted).await);

    let id = instance.login("alice", Some(&planted)).await;
    assert_ne!(id, planted, "sign-in must change the session id");
    assert!(!instance.record_exists(&planted).await);
    assert_eq!(instance.me(&planted).await, "-");
    assert_eq!(instance.me(&id).await, "alice");

    let answer = instance.request("/logout", Some(&id), &[]).await;
    assert_eq!(answer.body, "signed out");
    let removal = answer.set_cookie.unwrap();
    assert!(removal.starts_with("portal_session=;"), "{removal}");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    assert!(!instance.record_exists(&id).await);
    assert_eq!(instance.me(&id).await, "-");
}

#[tokio::test]
async fn sqlite_login_and_logout() {
    let database = TestDatabase::sqlite().unwrap();
    login_and_logout(Instance::open(&database, SessionConfig::default()).await).await;
}

#[tokio::test]
async fn postgres_login_and_logout() {
    let database = postgres().await;
    let instance = Instance::open(&database, SessionConfig::default()).await;
    assert!(matches!(instance.store, PortalSessionStore::Postgres(_)));
    login_and_logout(instance).await;
}

#[tokio::test]
async fn redis_login_and_logout() {
    let database = TestDatabase::sqlite().unwrap();
    login_and_logout(Instance::open(&database, redis_config()).await).await;
}

#[tokio::test]
async fn sqlite_session_survives_a_restart() {
    let database = TestDatabase::sqlite().unwrap();
    let before = Instance::open(&database, SessionConfig::default()).await;
    assert!(matches!(before.store, PortalSessionStore::Sqlite(_)));
    add_account(&before.db, "alice").await;
    let id = before.login("alice", None).await;
    before.db.close().await;
    drop(before);

    let after = Instance::open(&database, SessionConfig::default()).await;
    assert_eq!(after.me(&id).await, "alice");
}

/// A session made on one instance is honoured by another sharing the store.
async fn shared_between_instances(database: TestDatabase, config: SessionConfig) {
    // Both start at once (and prepare the store concurrently).
    let (first, second) = tokio::join!(
        Instance::open(&database, config.clone()),
        Instance::open(&database, config)
    );
    add_account(&first.db, "alice").await;
    let id = first.login("alice", None).await;
    assert_eq!(second.me(&id).await, "alice");
    second.request("/logout", Some(&id), &[]).await;
    assert_eq!(first.me(&id).await, "-");
}

#[tokio::test]
async fn postgres_session_is_shared_between_instances() {
    let database = postgres().await;
    shared_between_instances(database, SessionConfig::default()).await;
}

#[tokio::test]
async fn redis_session_is_shared_between_instances() {
    let database = TestDatabase::sqlite().unwrap();
    shared_between_instances(database, redis_config()).await;
}

/// The record expires `idle_timeout_secs` after the last renewal, requests renew it once the
/// renewal interval has passed, and an expired record is not honoured.
async fn idle_timeout(instance: Instance) {
    add_account(&instance.db, "alice").await;
    let id = instance.login("alice", None).await;
    let session_id = Id::from_str(&id).unwrap();
    let idle = i64::try_from(instance.config.idle_timeout_secs).unwrap();
    let mut record = instance.store.load(&session_id).await.unwrap().unwrap();
    let expires = record.expiry_date.unix_timestamp();
    let now = now_unix();
    assert!(
        (now + idle - 5..=now + idle).contains(&expires),
        "{expires} vs {now}"
    );

    // A request soon after leaves the record alone (no store write per request)...
    assert_eq!(instance.me(&id).await, "alice");
    let unchanged = instance.store.load(&session_id).await.unwrap().unwrap();
    assert_eq!(unchanged.expiry_date, record.expiry_date);

    // ...while one after the renewal interval, nearly idle for too long, renews the full
    // timeout.
    record.expiry_date = time::OffsetDateTime::now_utc() + time::Duration::seconds(30);
    record.data.insert(
        bff::sessions::RENEWED_KEY.to_string(),
        serde_json::json!(now_unix() - idle + 30),
    );
    instance.store.save(&record).await.unwrap();
    assert_eq!(instance.me(&id).await, "alice");
    let mut record = instance.store.load(&session_id).await.unwrap().unwrap();
    assert!(record.expiry_date.unix_timestamp() >= now_unix() + idle - 5);

    // Idle for too long.
    record.expiry_date = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    instance.store.save(&record).await.unwrap();
    assert_eq!(instance.me(&id).await, "-");
    assert!(!instance.record_exists(&id).await);
}

#[tokio::test]
async fn sqlite_idle_timeout() {
    let database = TestDatabase::sqlite().unwrap();
    idle_timeout(Instance::open(&database, SessionConfig::default()).await).await;
}

#[tokio::test]
async fn postgres_idle_timeout() {
    let database = postgres().await;
    idle_timeout(Instance::open(&database, SessionConfig::default()).await).await;
}

#[tokio::test]
async fn redis_idle_timeout() {
    let database = TestDatabase::sqlite().unwrap();
    idle_timeout(Instance::open(&database, redis_config()).await).await;
}

/// However active, a session ends `absolute_timeout_secs` after sign-in, server-side.
async fn absolute_timeout(instance: Instance) {
    add_account(&instance.db, "alice").await;
    let login_at = now_unix();
    let id = instance.login("alice", None).await;
    let absolute = i64::try_from(instance.config.absolute_timeout_secs).unwrap();
    let at = |offset: i64| vec![("x-now", (login_at + offset).to_string())];
    assert_eq!(
        instance
            .request("/me", Some(&id), &at(absolute - 5))
            .await
            .body,
        "alice"
    );
    let answer = instance.request("/me", Some(&id), &at(absolute + 1)).await;
    assert_eq!(answer.body, "-");
    assert!(answer.set_cookie.unwrap().contains("Max-Age=0"));
    assert!(!instance.record_exists(&id).await);
    assert_eq!(instance.me(&id).await, "-");
}

#[tokio::test]
async fn sqlite_absolute_timeout() {
    let database = TestDatabase::sqlite().unwrap();
    absolute_timeout(Instance::open(&database, SessionConfig::default()).await).await;
}

#[tokio::test]
async fn postgres_absolute_timeout() {
    let database = postgres().await;
    absolute_timeout(Instance::open(&database, SessionConfig::default()).await).await;
}

#[tokio::test]
async fn redis_absolute_timeout() {
    let database = TestDatabase::sqlite().unwrap();
    absolute_timeout(Instance::open(&database, redis_config()).await).await;
}

#[tokio::test]
async fn disabling_or_a_new_password_ends_sessions_and_role_changes_apply_at_once() {
    let database = TestDatabase::sqlite().unwrap();
    let instance = Instance::open(&database, SessionConfig::default()).await;
    let alice = add_account(&instance.db, "alice").await;
    // Another admin, so that alice may be disabled once she is one (the last admin stays).
    let root = add_account(&instance.db, "root").await;
    let admin = AccountUpdate {
        role: Some(Role::Admin),
        ..AccountUpdate::default()
    };
    update_account(&instance.db, root, &admin).await.unwrap();

    let id = instance.login("alice", None).await;
    update_account(
        &instance.db,
        alice,
        &AccountUpdate {
            role: Some(Role::Admin),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    let session = Session::new(
        Some(Id::from_str(&id).unwrap()),
        std::sync::Arc::new(instance.store.clone()),
        None,
    );
    let principal = current_principal_at(&session, &instance.db, &instance.config, now_unix())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(principal.role, Role::Admin);

    update_account(
        &instance.db,
        alice,
        &AccountUpdate {
            disabled: Some(true),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(instance.me(&id).await, "-");
    assert!(!instance.record_exists(&id).await);
    update_account(
        &instance.db,
        alice,
        &AccountUpdate {
            disabled: Some(false),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();

    let id = instance.login("alice", None).await;
    assert_eq!(instance.me(&id).await, "alice");
    set_password(&instance.db, alice, PASSWORD).await.unwrap();
    assert_eq!(instance.me(&id).await, "-");
}

#[tokio::test]
async fn expired_sessions_are_cleaned_up() {
    let database = TestDatabase::sqlite().unwrap();
    let instance = Instance::open(&database, SessionConfig::default()).await;
    add_account(&instance.db, "alice").await;
    let id = instance.login("alice", None).await;
    let Db::Sqlite(pool) = &instance.db else {
        unreachable!()
    };
    sqlx::query("UPDATE tower_sessions SET expiry_date = 1")
        .execute(pool)
        .await
        .unwrap();
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tower_sessions")
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(rows().await, 1);
    bff::sessions::delete_expired_sessions(&instance.store)
        .await
        .unwrap();
    assert_eq!(rows().await, 0);
    assert_eq!(instance.me(&id).await, "-");
}

#[tokio::test]
async fn store_choice_errors_are_clear() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.open().await.unwrap();
    let wrong_engine = SessionConfig {
        store: Some(SessionStoreKind::Postgres),
        ..SessionConfig::default()
    };
    let error = open_session_store(&wrong_engine, &db)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("the accounts database, which is SQLite"),
        "{error}"
    );

    let no_redis = SessionConfig {
        store: Some(SessionStoreKind::Redis),
        redis_url: "redis://:secret@127.0.0.1:1".into(),
        ..SessionConfig::default()
    };
    let error = open_session_store(&no_redis, &db)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("the Redis session store at redis://:***@127.0.0.1:1 does not answer"),
        "{error}"
    );
}

/// The request path's principal cache (`current_principal_cached`): what a session's previous
/// request found is used again without reading the account and tenant, but every change made
/// through this process (role, tenant, disabled, password, ended sessions, sign-out) applies at
/// the next request, and a sign-out on another instance (the session record deleted) at once.
#[tokio::test]
async fn cached_principals_follow_every_change_made_here_at_once() {
    let database = TestDatabase::sqlite().unwrap();
    let instance = Instance::open(&database, SessionConfig::default()).await;
    let alice = add_account(&instance.db, "alice").await;
    let root = add_account(&instance.db, "root").await;
    let admin = AccountUpdate {
        role: Some(Role::Admin),
        ..AccountUpdate::default()
    };
    update_account(&instance.db, root, &admin).await.unwrap();
    let cached = |id: String| {
        let instance = instance.clone();
        async move { instance.request("/me-cached", Some(&id), &[]).await.body }
    };

    let id = instance.login("alice", None).await;
    assert_eq!(cached(id.clone()).await, "alice helpdesk");
    // The cached path still reads the session record: its deletion (a sign-out on another
    // instance) ends the session at once, as on the full path.
    let session_id = Id::from_str(&id).unwrap();
    let record = instance.store.load(&session_id).await.unwrap().unwrap();
    instance.store.delete(&session_id).await.unwrap();
    assert_eq!(cached(id.clone()).await, "-");
    assert_eq!(instance.me(&id).await, "-");
    instance.store.save(&record).await.unwrap();
    assert_eq!(cached(id.clone()).await, "alice helpdesk");

    // A role change applies at once.
    update_account(&instance.db, alice, &admin).await.unwrap();
    assert_eq!(cached(id.clone()).await, "alice admin");

    // So does a tenant's new name.
    let acme = bff::tenants::create_tenant(
        &instance.db,
        &bff::tenants::TenantInput {
            name: "Acme".into(),
            tag: "acme".into(),
            alias_domains: vec![],
        },
    )
    .await
    .unwrap();
    let tenant_admin = AccountUpdate {
        role: Some(Role::TenantAdmin),
        tenant_id: Some(Some(acme.id)),
        ..AccountUpdate::default()
    };
    update_account(&instance.db, alice, &tenant_admin)
        .await
        .unwrap();
    assert_eq!(cached(id.clone()).await, "alice tenant_admin Acme");
    bff::tenants::update_tenant(
        &instance.db,
        acme.id,
        &bff::tenants::TenantInput {
            name: "Acme Corp".into(),
            tag: "acme".into(),
            alias_domains: vec![],
        },
    )
    .await
    .unwrap();
    assert_eq!(cached(id.clone()).await, "alice tenant_admin Acme Corp");

    // Disabling ends the session at once.
    let disable = |disabled| AccountUpdate {
        disabled: Some(disabled),
        ..AccountUpdate::default()
    };
    update_account(&instance.db, alice, &disable(true))
        .await
        .unwrap();
    assert_eq!(cached(id.clone()).await, "-");
    assert!(!instance.record_exists(&id).await);
    update_account(&instance.db, alice, &disable(false))
        .await
        .unwrap();

    // A new password, ended sessions and a sign-out too.
    let id = instance.login("alice", None).await;
    assert_eq!(cached(id.clone()).await, "alice tenant_admin Acme Corp");
    set_password(&instance.db, alice, PASSWORD).await.unwrap();
    assert_eq!(cached(id.clone()).await, "-");
    let id = instance.login("alice", None).await;
    assert_eq!(cached(id.clone()).await, "alice tenant_admin Acme Corp");
    bff::accounts::end_sessions(&instance.db, alice)
        .await
        .unwrap();
    assert_eq!(cached(id.clone()).await, "-");
    let id = instance.login("alice", None).await;
    assert_eq!(cached(id.clone()).await, "alice tenant_admin Acme Corp");
    instance.request("/logout", Some(&id), &[]).await;
    assert_eq!(cached(id.clone()).await, "-");

    // The absolute timeout holds on cached entries.
    let login_at = now_unix();
    let id = instance.login("alice", None).await;
    let absolute = i64::try_from(instance.config.absolute_timeout_secs).unwrap();
    let at = |offset: i64| vec![("x-now", (login_at + offset).to_string())];
    let body = instance
        .request("/me-cached", Some(&id), &at(absolute - 2))
        .await
        .body;
    assert_eq!(body, "alice tenant_admin Acme Corp");
    let body = instance
        .request("/me-cached", Some(&id), &at(absolute + 1))
        .await
        .body;
    assert_eq!(body, "-");
    assert!(!instance.record_exists(&id).await);
}

/// A session store or accounts database that cannot be reached is told apart from a broken
/// session (the server answers it 503 "database unavailable, try again", not 500).
#[tokio::test]
async fn an_unreachable_database_is_unavailable() {
    let database = TestDatabase::sqlite().unwrap();
    let instance = Instance::open(&database, SessionConfig::default()).await;
    add_account(&instance.db, "alice").await;
    let id = instance.login("alice", None).await;
    instance.db.close().await;
    let session = Session::new(
        Some(Id::from_str(&id).unwrap()),
        std::sync::Arc::new(instance.store.clone()),
        None,
    );
    let error = current_principal_cached_at(&session, &instance.db, &instance.config, now_unix())
        .await
        .expect_err("the pool is closed");
    assert!(error.is_unavailable(), "{error:?}");
}
