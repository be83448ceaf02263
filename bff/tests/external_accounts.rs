//! Accounts of identity-source people on real databases (SQLite and PostgreSQL): created at the
//! first sign-in, refreshed from the groups at every sign-in (a person removed from a group is
//! downgraded), disabled ones refused, the password sign-in's fallback to the directory (local
//! accounts first, failures throttled, an unreachable directory leaving local sign-in working),
//! ended sessions, and demo mode's people. The directory here is a fake `PasswordSource`; the
//! real one is tested against slapd in `ldap_directory.rs`.

#![cfg(feature = "ssr")]

use async_trait::async_trait;
use bff::Role;
use bff::accounts::{
    AccountUpdate, DEMO_PASSWORD, DirectoryLogin, ExternalSignInError, LOCAL_SOURCE, LoginError,
    NewAccount, authenticate, authenticate_with, create_account, end_sessions, ensure_demo_people,
    find_account, list_accounts, remove_demo_people, set_password, sign_in_external,
    update_account,
};
use bff::db::testing::TestDatabase;
use bff::db::{Db, now_unix};
use bff::identity::{
    ExternalIdentity, MappingRule, PasswordSource, RoleMappingConfig, SourceRefusal, WithoutGroup,
};
use bff::sessions::{SessionConfig, current_principal_at, log_in};
use bff::tenants::{TenantInput, create_tenant};
use bff::throttle::ThrottleConfig;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use tower_sessions::{MemoryStore, Session};

const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 20));

fn mapping() -> RoleMappingConfig {
    RoleMappingConfig {
        rules: vec![
            MappingRule {
                group: "cn=video-helpdesk,ou=groups,dc=example,dc=com".into(),
                role: Role::Helpdesk,
                tenant: None,
            },
            MappingRule {
                group: "acme-video-admins".into(),
                role: Role::TenantAdmin,
                tenant: Some("acme".into()),
            },
        ],
        without_group: WithoutGroup::User,
    }
}

fn person(name: &str, email: Option<&str>, groups: &[&str]) -> ExternalIdentity {
    ExternalIdentity {
        source: "ldap".into(),
        external_id: format!("uid={name},ou=people,dc=example,dc=com"),
        username: name.into(),
        display_name: Some(format!("{name} Example")),
        email: email.map(String::from),
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

/// A directory in memory: name → (password, identity); `down` makes it unreachable.
#[derive(Default)]
struct FakeDirectory {
    people: Mutex<HashMap<String, (String, ExternalIdentity)>>,
    down: Mutex<bool>,
    asked: Mutex<u32>,
}

impl FakeDirectory {
    fn add(&self, password: &str, identity: ExternalIdentity) {
        self.people
            .lock()
            .unwrap()
            .insert(identity.username.clone(), (password.into(), identity));
    }
}

#[async_trait]
impl PasswordSource for FakeDirectory {
    async fn verify(
        &self,
        username: &str,
        password: &str,
    ) -> Result<ExternalIdentity, SourceRefusal> {
        *self.asked.lock().unwrap() += 1;
        if *self.down.lock().unwrap() {
            return Err(SourceRefusal::Unavailable(
                "The company directory cannot be reached right now.".into(),
            ));
        }
        // Directories compare names without regard to case.
        match self.people.lock().unwrap().get(&username.to_lowercase()) {
            Some((secret, identity)) if secret == password && !password.is_empty() => {
                Ok(identity.clone())
            }
            _ => Err(SourceRefusal::InvalidCredentials),
        }
    }

    async fn ping(&self) -> Result<(), String> {
        Ok(())
    }
}

async fn acme(db: &Db) -> i64 {
    create_tenant(
        db,
        &TenantInput {
            name: "Acme Corporation".into(),
            tag: "acme".into(),
            alias_domains: vec!["acme.example".into()],
        },
    )
    .await
    .unwrap()
    .id
}

async fn principal_role(db: &Db, auth: &bff::accounts::Authenticated) -> Option<Role> {
    let session = Session::new(None, Arc::new(MemoryStore::default()), None);
    log_in(&session, auth).await.unwrap();
    current_principal_at(&session, db, &SessionConfig::default(), now_unix())
        .await
        .unwrap()
        .map(|p| p.role)
}

async fn just_in_time_accounts(database: TestDatabase) {
    let db = database.open().await.unwrap();
    let acme_id = acme(&db).await;
    let rules = mapping();

    // First sign-in: the account is made, named after the source, without a password.
    let alice = person("Alice", Some("Alice.Olsen@Example.com"), &[]);
    let auth = sign_in_external(&db, &alice, &rules).await.unwrap();
    assert_eq!(auth.account.username, "ldap:alice");
    assert_eq!(auth.account.role, Role::User);
    assert_eq!(
        auth.account.email.as_deref(),
        Some("alice.olsen@example.com")
    );
    assert_eq!(auth.account.source, "ldap");
    assert_eq!(auth.account.display_name.as_deref(), Some("Alice Example"));
    assert!(auth.account.last_login_at.is_some());
    assert!(!auth.account.has_portal_password());
    // The second sign-in finds the same account.
    let again = sign_in_external(&db, &alice, &rules).await.unwrap();
    assert_eq!(again.account.id, auth.account.id);
    // No portal password can be set, and no local sign-in works for it.
    let error = set_password(&db, auth.account.id, "a long new password")
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("signs in through ldap"),
        "{error}"
    );
    let refused = authenticate(&db, &ThrottleConfig::default(), "ldap:alice", "", CLIENT).await;
    assert!(
        matches!(refused, Err(LoginError::InvalidCredentials)),
        "{refused:?}"
    );

    // Groups decide the role and tenant; leaving the group downgrades at the next sign-in, and
    // the open session follows the account.
    let helpdesk = person(
        "helen",
        None,
        &["CN=Video-Helpdesk,OU=Groups,DC=example,DC=com"],
    );
    let auth = sign_in_external(&db, &helpdesk, &rules).await.unwrap();
    assert_eq!(auth.account.role, Role::Helpdesk);
    assert_eq!(principal_role(&db, &auth).await, Some(Role::Helpdesk));
    let andy = person(
        "andy",
        Some("andy@acme.example"),
        &["cn=acme-video-admins,ou=groups"],
    );
    let auth = sign_in_external(&db, &andy, &rules).await.unwrap();
    assert_eq!(
        (auth.account.role, auth.account.tenant_id),
        (Role::TenantAdmin, Some(acme_id))
    );
    let session = Session::new(None, Arc::new(MemoryStore::default()), None);
    log_in(&session, &auth).await.unwrap();
    let removed = person("andy", Some("andy@acme.example"), &[]);
    let downgraded = sign_in_external(&db, &removed, &rules).await.unwrap();
    assert_eq!(
        (downgraded.account.role, downgraded.account.tenant_id),
        (Role::User, None)
    );
    let now = current_principal_at(&session, &db, &SessionConfig::default(), now_unix())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        now.role,
        Role::User,
        "the earlier session has the new role too"
    );

    // Without an email and without a group: refused, and no account is made.
    let nomail = person("nomail", None, &[]);
    let error = sign_in_external(&db, &nomail, &rules).await.unwrap_err();
    assert!(
        matches!(error, ExternalSignInError::Refused(_)),
        "{error:?}"
    );
    assert!(find_account(&db, "ldap:nomail").await.unwrap().is_none());
    // "No matching group: refused" refuses end users too.
    let strict = RoleMappingConfig {
        without_group: WithoutGroup::Refuse,
        ..mapping()
    };
    let bob = person("bob", Some("bob.khan@example.com"), &[]);
    assert!(matches!(
        sign_in_external(&db, &bob, &strict).await,
        Err(ExternalSignInError::Refused(_))
    ));
    // A rule naming a tenant that does not exist is a configuration error, not a sign-in.
    let broken = RoleMappingConfig {
        rules: vec![MappingRule {
            group: "globex-video-admins".into(),
            role: Role::TenantAdmin,
            tenant: Some("globex".into()),
        }],
        without_group: WithoutGroup::User,
    };
    let gina = person("gina", None, &["globex-video-admins"]);
    assert!(matches!(
        sign_in_external(&db, &gina, &broken).await,
        Err(ExternalSignInError::Misconfigured(_))
    ));

    // A disabled account stays disabled whatever the groups say.
    let helen = find_account(&db, "ldap:helen").await.unwrap().unwrap();
    let update = AccountUpdate {
        disabled: Some(true),
        ..AccountUpdate::default()
    };
    update_account(&db, helen.id, &update).await.unwrap();
    assert!(matches!(
        sign_in_external(&db, &helpdesk, &rules).await,
        Err(ExternalSignInError::Disabled)
    ));

    // Another person of the source with an earlier person's name gets a name of their own.
    let mut other_alice = person("alice", Some("alice2@example.com"), &[]);
    other_alice.external_id = "uid=alice,ou=former,dc=example,dc=com".into();
    let auth = sign_in_external(&db, &other_alice, &rules).await.unwrap();
    assert_eq!(auth.account.username, "ldap:alice-2");

    // A local account's name is never a directory account's.
    let all = list_accounts(&db).await.unwrap();
    assert!(
        all.iter()
            .filter(|a| a.source != LOCAL_SOURCE)
            .all(|a| a.username.contains(':'))
    );
    db.close().await;
}

#[tokio::test]
async fn just_in_time_accounts_on_sqlite() {
    just_in_time_accounts(TestDatabase::sqlite().unwrap()).await;
}

#[tokio::test]
async fn just_in_time_accounts_on_postgres() {
    just_in_time_accounts(TestDatabase::postgres().await.unwrap()).await;
}

#[tokio::test]
async fn password_sign_in_falls_back_to_the_directory() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.open().await.unwrap();
    let rules = mapping();
    let directory = FakeDirectory::default();
    directory.add(
        "alice directory password",
        person("alice", Some("alice@example.com"), &[]),
    );
    // The directory's `admin` must not shadow the local admin.
    directory.add(
        "directory admin password",
        person("admin", Some("root@example.com"), &[]),
    );
    create_account(
        &db,
        &NewAccount {
            username: "admin".into(),
            password: "the local admin password".into(),
            role: Role::Admin,
            tenant_id: None,
            email: None,
        },
    )
    .await
    .unwrap();
    let throttle = ThrottleConfig {
        max_failures_per_account: 3,
        ..ThrottleConfig::default()
    };
    let login = |username: &'static str, password: &'static str| {
        let db = db.clone();
        let directory = &directory;
        let rules = &rules;
        let throttle = throttle.clone();
        async move {
            let via = DirectoryLogin {
                source: directory,
                mapping: rules,
            };
            let metrics = bff::metrics::Metrics::default();
            authenticate_with(
                &db,
                &throttle,
                &metrics,
                Some(via),
                username,
                password,
                CLIENT,
            )
            .await
            .map(|auth| auth.account.username)
        }
    };

    assert_eq!(
        login("Alice", "alice directory password").await.unwrap(),
        "ldap:alice"
    );
    // Local accounts are checked locally only.
    assert_eq!(
        login("admin", "the local admin password").await.unwrap(),
        "admin"
    );
    let asked = *directory.asked.lock().unwrap();
    assert!(matches!(
        login("admin", "directory admin password").await,
        Err(LoginError::InvalidCredentials)
    ));
    assert_eq!(
        *directory.asked.lock().unwrap(),
        asked,
        "a local name never goes to the directory"
    );

    // Wrong directory passwords count towards the account's throttle.
    for _ in 0..3 {
        assert!(matches!(
            login("alice", "wrong").await,
            Err(LoginError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        login("alice", "alice directory password").await,
        Err(LoginError::Throttled(_))
    ));

    // The directory down: a clear message, not counted as a failure; local sign-in still works.
    *directory.down.lock().unwrap() = true;
    let error = login("bob", "anything at all").await.unwrap_err();
    assert!(matches!(error, LoginError::Unavailable(_)), "{error:?}");
    assert!(error.to_string().contains("cannot be reached"), "{error}");
    assert_eq!(
        login("admin", "the local admin password").await.unwrap(),
        "admin"
    );
    db.close().await;
}

#[tokio::test]
async fn ending_sessions_signs_a_person_out_everywhere() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.open().await.unwrap();
    let auth = sign_in_external(
        &db,
        &person("olivia", Some("olivia@example.com"), &[]),
        &mapping(),
    )
    .await
    .unwrap();
    let session = Session::new(None, Arc::new(MemoryStore::default()), None);
    log_in(&session, &auth).await.unwrap();
    let config = SessionConfig::default();
    assert!(
        current_principal_at(&session, &db, &config, now_unix())
            .await
            .unwrap()
            .is_some()
    );
    end_sessions(&db, auth.account.id).await.unwrap();
    assert!(
        current_principal_at(&session, &db, &config, now_unix())
            .await
            .unwrap()
            .is_none()
    );
    // A new sign-in works again.
    let again = sign_in_external(
        &db,
        &person("olivia", Some("olivia@example.com"), &[]),
        &mapping(),
    )
    .await
    .unwrap();
    assert_eq!(principal_role(&db, &again).await, Some(Role::User));
    db.close().await;
}

#[tokio::test]
async fn demo_people_exist_in_demo_mode_only() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.open().await.unwrap();
    let people = ensure_demo_people(&db).await.unwrap();
    let roles: Vec<Role> = people.iter().map(|p| p.role).collect();
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        assert!(roles.contains(&role), "a demo person of role {role}");
    }
    // They sign in with the documented password; tenant admins have their demo tenant.
    for person in &people {
        let auth = authenticate(
            &db,
            &ThrottleConfig::default(),
            &person.username,
            DEMO_PASSWORD,
            CLIENT,
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", person.username));
        assert_eq!(auth.account.role, person.role);
        assert_eq!(
            auth.account.tenant_id.is_some(),
            person.role == Role::TenantAdmin
        );
    }
    // Twice is the same.
    assert_eq!(ensure_demo_people(&db).await.unwrap(), people);
    // With a real node they are gone.
    assert_eq!(remove_demo_people(&db).await.unwrap(), people.len() as u64);
    for person in &people {
        assert!(find_account(&db, &person.username).await.unwrap().is_none());
    }
    db.close().await;
}
