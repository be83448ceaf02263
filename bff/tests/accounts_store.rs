//! Accounts and tenants on real databases (SQLite in a temporary folder, a fresh PostgreSQL
//! database): CRUD, password checks, disabled accounts, the first-start admin, the CLI.

#![cfg(feature = "ssr")]

use bff::Role;
use bff::accounts::cli::{LinePasswords, UserCommand, parse_user_args, run_user_command};
use bff::accounts::{
    AccountError, AccountUpdate, FirstAdmin, LoginError, NewAccount, authenticate, create_account,
    delete_account, ensure_first_admin, find_account, get_account, list_accounts, set_password,
    update_account,
};
use bff::db::Db;
use bff::db::testing::TestDatabase;
use bff::tenants::{
    TenantError, TenantInput, create_tenant, delete_tenant, find_tenant, list_tenants,
    update_tenant,
};
use bff::throttle::ThrottleConfig;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));

async fn sqlite() -> TestDatabase {
    TestDatabase::sqlite().unwrap_or_else(|e| panic!("{e}"))
}

async fn postgres() -> TestDatabase {
    TestDatabase::postgres()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn new_account(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        password: format!("{username} password 123"),
        role,
        tenant_id: None,
        email: None,
    }
}

async fn login(db: &Db, username: &str, password: &str) -> Result<String, LoginError> {
    authenticate(db, &ThrottleConfig::default(), username, password, CLIENT)
        .await
        .map(|auth| auth.account.username)
}

async fn accounts_and_tenants(database: TestDatabase) {
    let db = database.open().await.unwrap();

    // Tenants.
    let acme = create_tenant(
        &db,
        &TenantInput {
            name: "Acme".into(),
            tag: "tenant:acme".into(),
            alias_domains: vec!["Acme.com".into(), "video.acme.com".into()],
        },
    )
    .await
    .unwrap();
    assert_eq!(acme.alias_domains, ["acme.com", "video.acme.com"]);
    let duplicate = create_tenant(
        &db,
        &TenantInput {
            name: "Other".into(),
            tag: "tenant:acme".into(),
            alias_domains: vec![],
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(duplicate, TenantError::Duplicate { .. }),
        "{duplicate}"
    );
    let globex = create_tenant(
        &db,
        &TenantInput {
            name: "Globex".into(),
            tag: "tenant:globex".into(),
            alias_domains: vec![],
        },
    )
    .await
    .unwrap();
    let renamed = update_tenant(
        &db,
        globex.id,
        &TenantInput {
            name: "Globex Corp".into(),
            tag: "tenant:globex".into(),
            alias_domains: vec!["globex.example".into()],
        },
    )
    .await
    .unwrap();
    assert_eq!(renamed.name, "Globex Corp");
    assert_eq!(
        find_tenant(&db, "Globex Corp").await.unwrap().unwrap(),
        renamed
    );
    let names: Vec<String> = list_tenants(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Acme", "Globex Corp"]);

    // Accounts of every role, with the rules between role, tenant and email.
    let admin = create_account(&db, &new_account("Root.Admin", Role::Admin))
        .await
        .unwrap();
    assert_eq!(admin.username, "root.admin");
    assert!(!admin.disabled);
    assert!(admin.created_at > 0 && admin.created_at == admin.updated_at);
    create_account(&db, &new_account("desk", Role::Helpdesk))
        .await
        .unwrap();
    let no_tenant = create_account(&db, &new_account("ta", Role::TenantAdmin))
        .await
        .unwrap_err();
    assert_eq!(
        no_tenant.to_string(),
        "a tenant_admin account needs a tenant"
    );
    let unknown_tenant = create_account(
        &db,
        &NewAccount {
            tenant_id: Some(9999),
            ..new_account("ta", Role::TenantAdmin)
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(unknown_tenant, AccountError::UnknownTenant(9999)),
        "{unknown_tenant}"
    );
    let tenant_admin = create_account(
        &db,
        &NewAccount {
            tenant_id: Some(acme.id),
            ..new_account("ta", Role::TenantAdmin)
        },
    )
    .await
    .unwrap();
    assert_eq!(tenant_admin.tenant_id, Some(acme.id));
    let no_email = create_account(&db, &new_account("enduser", Role::User))
        .await
        .unwrap_err();
    assert_eq!(
        no_email.to_string(),
        "a user account needs an email address"
    );
    let user = create_account(
        &db,
        &NewAccount {
            email: Some(" End.User@Example.COM ".into()),
            ..new_account("enduser", Role::User)
        },
    )
    .await
    .unwrap();
    assert_eq!(user.email.as_deref(), Some("end.user@example.com"));
    let duplicate = create_account(&db, &new_account("ROOT.admin", Role::Helpdesk))
        .await
        .unwrap_err();
    assert_eq!(
        duplicate.to_string(),
        "an account named `root.admin` already exists"
    );
    let short = create_account(
        &db,
        &NewAccount {
            password: "short".into(),
            ..new_account("x", Role::Admin)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(short, AccountError::Invalid(_)), "{short}");

    let usernames: Vec<String> = list_accounts(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.username)
        .collect();
    assert_eq!(usernames, ["desk", "enduser", "root.admin", "ta"]);
    assert_eq!(get_account(&db, admin.id).await.unwrap().unwrap(), admin);
    assert_eq!(
        find_account(&db, "TA").await.unwrap().unwrap(),
        tenant_admin
    );
    assert!(find_account(&db, "nobody").await.unwrap().is_none());

    // Passwords.
    assert_eq!(
        login(&db, "ROOT.ADMIN", "Root.Admin password 123")
            .await
            .unwrap(),
        "root.admin"
    );
    assert!(matches!(
        login(&db, "root.admin", "Root.Admin password 124").await,
        Err(LoginError::InvalidCredentials)
    ));
    assert!(matches!(
        login(&db, "ghost", "whatever password").await,
        Err(LoginError::InvalidCredentials)
    ));
    set_password(&db, admin.id, "a brand new password")
        .await
        .unwrap();
    assert!(
        login(&db, "root.admin", "Root.Admin password 123")
            .await
            .is_err()
    );
    login(&db, "root.admin", "a brand new password")
        .await
        .unwrap();

    // Role changes keep the rules; disabled accounts cannot sign in.
    let error = update_account(
        &db,
        tenant_admin.id,
        &AccountUpdate {
            tenant_id: Some(None),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.to_string(), "a tenant_admin account needs a tenant");
    let moved = update_account(
        &db,
        tenant_admin.id,
        &AccountUpdate {
            role: Some(Role::Helpdesk),
            tenant_id: Some(None),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((moved.role, moved.tenant_id), (Role::Helpdesk, None));
    let disabled = update_account(
        &db,
        user.id,
        &AccountUpdate {
            disabled: Some(true),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    assert!(disabled.disabled);
    assert!(matches!(
        login(&db, "enduser", "enduser password 123").await,
        Err(LoginError::Disabled)
    ));
    assert!(matches!(
        login(&db, "enduser", "not the password").await,
        Err(LoginError::InvalidCredentials)
    ));
    update_account(
        &db,
        user.id,
        &AccountUpdate {
            disabled: Some(false),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    login(&db, "enduser", "enduser password 123").await.unwrap();

    // A tenant with accounts cannot be deleted.
    let back = update_account(
        &db,
        tenant_admin.id,
        &AccountUpdate {
            role: Some(Role::TenantAdmin),
            tenant_id: Some(Some(acme.id)),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(back.tenant_id, Some(acme.id));
    let in_use = delete_tenant(&db, acme.id).await.unwrap_err();
    assert_eq!(
        in_use.to_string(),
        "the tenant `Acme` still has 1 account(s); move or delete them first"
    );
    delete_account(&db, tenant_admin.id).await.unwrap();
    assert!(matches!(
        delete_account(&db, tenant_admin.id).await,
        Err(AccountError::NotFound(_))
    ));
    delete_tenant(&db, acme.id).await.unwrap();
    assert!(matches!(
        delete_tenant(&db, acme.id).await,
        Err(TenantError::NotFound(_))
    ));
    db.close().await;
}

#[tokio::test]
async fn sqlite_accounts_and_tenants() {
    accounts_and_tenants(sqlite().await).await;
}

#[tokio::test]
async fn postgres_accounts_and_tenants() {
    accounts_and_tenants(postgres().await).await;
}

async fn first_admin_is_created_exactly_once(database: TestDatabase) {
    // Two instances starting at the same time on an empty database.
    let first = database.open().await.unwrap();
    let second = database.open().await.unwrap();
    let (a, b) = tokio::join!(
        ensure_first_admin(&first, None),
        ensure_first_admin(&second, None)
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    let generated: Vec<&String> = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            FirstAdmin::CreatedWithGeneratedPassword(password) => Some(password),
            _ => None,
        })
        .collect();
    assert_eq!(generated.len(), 1, "{outcomes:?}");
    assert!(outcomes.contains(&FirstAdmin::AlreadySetUp), "{outcomes:?}");
    let password = generated[0].clone();
    assert!(password.len() >= 20);
    let admin = find_account(&first, "admin").await.unwrap().unwrap();
    assert_eq!(admin.role, Role::Admin);
    login(&second, "admin", &password).await.unwrap();

    // Later starts change nothing, even with PORTAL_ADMIN_PASSWORD set.
    assert_eq!(
        ensure_first_admin(&first, Some("a different password"))
            .await
            .unwrap(),
        FirstAdmin::AlreadySetUp
    );
    login(&first, "admin", &password).await.unwrap();
    assert_eq!(list_accounts(&first).await.unwrap().len(), 1);
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn sqlite_first_admin_is_created_exactly_once() {
    first_admin_is_created_exactly_once(sqlite().await).await;
}

#[tokio::test]
async fn postgres_first_admin_is_created_exactly_once() {
    first_admin_is_created_exactly_once(postgres().await).await;
}

#[tokio::test]
async fn first_admin_takes_the_given_password_and_refuses_a_weak_one() {
    let database = sqlite().await;
    let db = database.open().await.unwrap();
    let weak = ensure_first_admin(&db, Some("short")).await.unwrap_err();
    assert_eq!(
        weak.to_string(),
        "PORTAL_ADMIN_PASSWORD: the password must be at least 12 characters long"
    );
    assert!(list_accounts(&db).await.unwrap().is_empty());
    assert_eq!(
        ensure_first_admin(&db, Some("the admin password"))
            .await
            .unwrap(),
        FirstAdmin::CreatedWithGivenPassword
    );
    login(&db, "admin", "the admin password").await.unwrap();
}

#[tokio::test]
async fn unknown_users_take_as_long_to_refuse_as_wrong_passwords() {
    let database = sqlite().await;
    let db = database.open().await.unwrap();
    create_account(&db, &new_account("known", Role::Admin))
        .await
        .unwrap();
    let no_throttle = ThrottleConfig {
        max_failures_per_account: 0,
        max_failures_per_address: 0,
        ..ThrottleConfig::default()
    };
    // Warm up (the dummy hash is made on first use).
    let _ = authenticate(&db, &no_throttle, "ghost", "guess guess guess", CLIENT).await;
    let mut known = Duration::ZERO;
    let mut unknown = Duration::ZERO;
    for _ in 0..5 {
        let start = Instant::now();
        let _ = authenticate(&db, &no_throttle, "known", "guess guess guess", CLIENT).await;
        known += start.elapsed();
        let start = Instant::now();
        let _ = authenticate(&db, &no_throttle, "ghost", "guess guess guess", CLIENT).await;
        unknown += start.elapsed();
    }
    // Without the dummy hash an unknown user is refused after one indexed lookup, orders of
    // magnitude faster than an Argon2id verification.
    assert!(
        unknown * 2 > known,
        "unknown users answered in {unknown:?}, known users with a wrong password in {known:?}"
    );
}

async fn cli(db: &Db, args: &[&str], stdin: &str) -> Result<String, String> {
    let command: UserCommand = parse_user_args(args.iter().copied()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    run_user_command(db, &command, &mut LinePasswords(stdin.as_bytes()), &mut out)
        .await
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn cli_manages_accounts_without_printing_passwords() {
    let database = sqlite().await;
    let db = database.open().await.unwrap();
    create_tenant(
        &db,
        &TenantInput {
            name: "Acme".into(),
            tag: "acme".into(),
            alias_domains: vec![],
        },
    )
    .await
    .unwrap();

    let out = cli(
        &db,
        &["add", "Alice", "--role", "admin"],
        "alice secret pw\n",
    )
    .await
    .unwrap();
    assert_eq!(out, "created alice (admin)\n");
    login(&db, "alice", "alice secret pw").await.unwrap();
    let out = cli(
        &db,
        &["add", "tad", "--role", "tenant_admin", "--tenant", "Acme"],
        "tad secret pw!\n",
    )
    .await
    .unwrap();
    assert_eq!(out, "created tad (tenant_admin)\n");
    assert_eq!(
        cli(
            &db,
            &["add", "x", "--role", "tenant_admin", "--tenant", "Nope"],
            ""
        )
        .await
        .unwrap_err(),
        "no tenant named `Nope`"
    );
    assert_eq!(
        cli(&db, &["add", "bob", "--role", "admin"], "")
            .await
            .unwrap_err(),
        "cannot read the password: standard input ended before a password was given"
    );
    assert_eq!(
        cli(&db, &["add", "bob", "--role", "admin"], "short\n")
            .await
            .unwrap_err(),
        "the password must be at least 12 characters long"
    );

    let out = cli(&db, &["passwd", "alice"], "alice newer pw\n")
        .await
        .unwrap();
    assert_eq!(out, "password of alice changed; its sessions have ended\n");
    login(&db, "alice", "alice newer pw").await.unwrap();
    assert_eq!(
        cli(&db, &["passwd", "nobody"], "x\n").await.unwrap_err(),
        "no account `nobody`"
    );

    // Alice is the only admin: the CLI keeps her one.
    assert_eq!(
        cli(&db, &["set-role", "alice", "helpdesk"], "")
            .await
            .unwrap_err(),
        "alice is the last active admin: make another admin first"
    );
    cli(&db, &["add", "root", "--role", "admin"], "root secret pw\n")
        .await
        .unwrap();
    let out = cli(
        &db,
        &["set-role", "alice", "user", "--email", "alice@example.com"],
        "",
    )
    .await
    .unwrap();
    assert_eq!(out, "alice is now user\n");
    assert_eq!(
        cli(&db, &["set-role", "tad", "user"], "")
            .await
            .unwrap_err(),
        "a user account needs an email address"
    );
    assert_eq!(
        cli(&db, &["disable", "tad"], "").await.unwrap(),
        "tad disabled\n"
    );
    assert!(matches!(
        login(&db, "tad", "tad secret pw!").await,
        Err(LoginError::Disabled)
    ));
    assert_eq!(
        cli(&db, &["enable", "tad"], "").await.unwrap(),
        "tad enabled\n"
    );
    login(&db, "tad", "tad secret pw!").await.unwrap();

    let listing = cli(&db, &["list"], "").await.unwrap();
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 4, "{listing}");
    assert!(
        lines[0].starts_with("USERNAME  ROLE          TENANT  EMAIL"),
        "{listing}"
    );
    assert!(
        lines[1].starts_with("alice     user          -       alice@example.com  active"),
        "{listing}"
    );
    assert!(
        lines[2].starts_with("root      admin         -       -                  active"),
        "{listing}"
    );
    assert!(
        lines[3].starts_with("tad       tenant_admin  Acme    -                  active"),
        "{listing}"
    );
    assert!(
        !listing.contains("secret") && !listing.contains("newer"),
        "{listing}"
    );
}

/// Two admins demote (or delete) each other at the same moment: exactly one change goes
/// through, so one admin stays. Repeated so that the two changes really overlap.
async fn the_last_admin_survives_concurrent_changes(database: TestDatabase) {
    let db = database.open().await.unwrap();
    for round in 0..10 {
        let ada = create_account(&db, &new_account(&format!("ada{round}"), Role::Admin))
            .await
            .unwrap();
        let bob = create_account(&db, &new_account(&format!("bob{round}"), Role::Admin))
            .await
            .unwrap();
        // Everyone else's admin role goes first, so that these two are the last ones.
        for account in list_accounts(&db).await.unwrap() {
            if account.role == Role::Admin && account.id != ada.id && account.id != bob.id {
                delete_account(&db, account.id).await.unwrap();
            }
        }
        let demote = AccountUpdate {
            role: Some(Role::Helpdesk),
            ..AccountUpdate::default()
        };
        let (first, second) = if round % 2 == 0 {
            let (a, b) = tokio::join!(
                update_account(&db, ada.id, &demote),
                update_account(&db, bob.id, &demote)
            );
            (a.map(drop), b.map(drop))
        } else {
            tokio::join!(delete_account(&db, ada.id), delete_account(&db, bob.id))
        };
        let refused: Vec<String> = [first, second]
            .into_iter()
            .filter_map(Result::err)
            .map(|error| {
                assert!(matches!(error, AccountError::LastAdmin(_)), "{error:?}");
                error.to_string()
            })
            .collect();
        assert_eq!(
            refused.len(),
            1,
            "round {round}: exactly one change is refused"
        );
        assert!(
            refused[0].contains("is the last active admin"),
            "{}",
            refused[0]
        );
        let admins = list_accounts(&db)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.role == Role::Admin && !a.disabled)
            .count();
        assert_eq!(admins, 1, "round {round}");
    }
    // The CLI keeps the rule too.
    let last = list_accounts(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == Role::Admin)
        .unwrap();
    for args in [
        vec!["set-role", last.username.as_str(), "helpdesk"],
        vec!["disable", last.username.as_str()],
    ] {
        let error = cli(&db, &args, "").await.unwrap_err();
        assert!(
            error.contains("is the last active admin"),
            "{args:?}: {error}"
        );
    }
    let still = get_account(&db, last.id).await.unwrap().unwrap();
    assert_eq!((still.role, still.disabled), (Role::Admin, false));
    db.close().await;
}

#[tokio::test]
async fn sqlite_last_admin_survives_concurrent_changes() {
    the_last_admin_survives_concurrent_changes(sqlite().await).await;
}

#[tokio::test]
async fn postgres_last_admin_survives_concurrent_changes() {
    the_last_admin_survives_concurrent_changes(postgres().await).await;
}
