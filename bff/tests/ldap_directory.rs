//! The LDAP / Active Directory identity source against a real OpenLDAP (slapd) started by
//! `scripts/ldap-test-server.sh` with the people and groups of `end2end/ldap/`.
#![cfg(feature = "ssr")]

#[path = "support/ldap.rs"]
mod ldap_support;

use bff::identity::ExternalIdentity;
use bff::identity::ldap::{Directory, LdapConfig, LdapError};
use ldap_support::{GROUPS, LdapServer, PEOPLE, SERVICE_DN, SERVICE_PASSWORD, free_port};
use pexip::client::Secret;
use std::time::{Duration, Instant};

/// Plain LDAP with the `(uid={username})` filter and the service account.
fn config(server: &LdapServer) -> LdapConfig {
    LdapConfig {
        url: server.ldap_url(),
        bind_dn: Some(SERVICE_DN.into()),
        bind_password: Some(Secret::new(SERVICE_PASSWORD)),
        user_base: PEOPLE.into(),
        connect_timeout_secs: 2,
        timeout_secs: 5,
        ..LdapConfig::default()
    }
}

/// `config` with connect and operation timeouts far longer than any test: a failure that comes
/// back as "refused" did not wait for them (no wall-clock bound needed).
fn patient(config: LdapConfig) -> LdapConfig {
    LdapConfig {
        connect_timeout_secs: 600,
        timeout_secs: 600,
        ..config
    }
}

/// `future`, or a panic after a minute: a guard against a hang, not a measurement (the
/// timeouts under test are 1 s; the assertions check which one fired).
async fn within_a_minute<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("no answer within a minute: a timeout was not applied")
}

fn directory(config: &LdapConfig) -> Directory {
    Directory::new(config).expect("valid directory configuration")
}

fn person(dn: &str) -> String {
    format!("{dn},{PEOPLE}")
}

fn group(cn: &str) -> String {
    format!("cn={cn},{GROUPS}")
}

#[tokio::test]
async fn plain_uid_filter_reads_people_and_their_groups() {
    let server = LdapServer::shared();
    let dir = directory(&config(server));

    let alice = dir.authenticate("alice", "alice-password").await.unwrap();
    assert_eq!(
        alice,
        ExternalIdentity {
            source: "ldap".into(),
            external_id: person("uid=alice"),
            username: "alice".into(),
            display_name: Some("Alice Olsen".into()),
            email: Some("alice.olsen@example.com".into()),
            groups: vec![],
        }
    );
    // What was typed is trimmed.
    let again = dir
        .authenticate("  alice ", "alice-password")
        .await
        .unwrap();
    assert_eq!(again.username, "alice");

    // No displayName: the cn.
    let bob = dir.authenticate("bob", "bob-password").await.unwrap();
    assert_eq!(bob.display_name.as_deref(), Some("Bob Khan"));
    assert_eq!(bob.email.as_deref(), Some("bob.khan@example.com"));

    let nomail = dir.authenticate("nomail", "nomail-password").await.unwrap();
    assert_eq!(nomail.email, None);
    assert_eq!(nomail.display_name.as_deref(), Some("No Mail"));

    for (user, group_cn, email) in [
        ("helen", "video-helpdesk", "helen.park@example.com"),
        ("andy", "acme-video-admins", "andy@acme.example"),
        ("gina", "globex-video-admins", "gina@globex.example"),
        ("victor", "video-admins", "victor@example.com"),
    ] {
        let who = dir
            .authenticate(user, &format!("{user}-password"))
            .await
            .unwrap();
        assert_eq!(who.groups, vec![group(group_cn)], "{user}");
        assert_eq!(who.email.as_deref(), Some(email), "{user}");
        assert_eq!(who.external_id, person(&format!("uid={user}")));
    }
}

#[tokio::test]
async fn active_directory_style_sam_account_name_filter() {
    let server = LdapServer::shared();
    let dir = directory(&LdapConfig {
        user_filter: "(&(objectClass=portalTestAdAccount)(sAMAccountName={username}))".into(),
        username_attribute: Some("sAMAccountName".into()),
        ..config(server)
    });
    // sAMAccountName matches without regard to case; the stored value is the username.
    let alice = dir.authenticate("ALICE", "alice-password").await.unwrap();
    assert_eq!(alice.username, "alice");
    assert_eq!(alice.external_id, person("uid=alice"));
    let eve = dir.authenticate("eve", "eve-password").await.unwrap();
    assert_eq!(eve.external_id, person("cn=eve star"));
    assert_eq!(eve.username, "eve");
    let helen = dir.authenticate("helen", "helen-password").await.unwrap();
    assert_eq!(helen.groups, vec![group("video-helpdesk")]);
    assert_eq!(
        dir.authenticate("alice", "bob-password").await,
        Err(LdapError::InvalidCredentials)
    );
}

#[tokio::test]
async fn mail_filter_with_the_uid_as_username() {
    let server = LdapServer::shared();
    let dir = directory(&LdapConfig {
        user_filter: "(mail={username})".into(),
        username_attribute: Some("uid".into()),
        ..config(server)
    });
    let alice = dir
        .authenticate("alice.olsen@example.com", "alice-password")
        .await
        .unwrap();
    assert_eq!(alice.username, "alice");
    assert_eq!(alice.email.as_deref(), Some("alice.olsen@example.com"));
    // Two entries share this address: refused, whatever the password.
    let error = dir
        .authenticate("twins@example.com", "twin1-password")
        .await
        .unwrap_err();
    assert_eq!(error, LdapError::Ambiguous);
    assert!(
        error
            .to_string()
            .contains("More than one directory account")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let server = LdapServer::shared();
    let dir = directory(&config(server));
    let wrong = dir
        .authenticate("alice", "not-her-password")
        .await
        .unwrap_err();
    let unknown = dir
        .authenticate("mallory", "alice-password")
        .await
        .unwrap_err();
    assert_eq!(wrong, LdapError::InvalidCredentials);
    assert_eq!(unknown, LdapError::InvalidCredentials);
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.to_string(), "Wrong username or password.");
    // Someone else's password does not work either.
    assert_eq!(
        dir.authenticate("alice", "bob-password").await,
        Err(LdapError::InvalidCredentials)
    );
    // The service account is not a person in the user base.
    assert_eq!(
        dir.authenticate("portal", SERVICE_PASSWORD).await,
        Err(LdapError::InvalidCredentials)
    );
}

#[tokio::test]
async fn empty_password_is_refused_without_a_bind() {
    let server = LdapServer::shared();
    let dir = directory(&config(server));
    for password in ["", " ", "\t\n"] {
        assert_eq!(
            dir.authenticate("alice", password).await,
            Err(LdapError::InvalidCredentials)
        );
    }
    assert_eq!(
        dir.authenticate("", "alice-password").await,
        Err(LdapError::InvalidCredentials)
    );
    assert_eq!(
        dir.connections_opened(),
        0,
        "the directory was not contacted"
    );
    // A password with surrounding spaces is still a password (and wrong here).
    assert_eq!(
        dir.authenticate("alice", " alice-password ").await,
        Err(LdapError::InvalidCredentials)
    );
}

#[tokio::test]
async fn filter_syntax_in_names_matches_only_itself() {
    let server = LdapServer::shared();
    let dir = directory(&config(server));
    // The person whose uid is made of filter syntax signs in as herself.
    let eve = dir
        .authenticate("eve*)(uid=*", "eve-password")
        .await
        .unwrap();
    assert_eq!(eve.external_id, person("cn=eve star"));
    assert_eq!(eve.username, "eve*)(uid=*");
    assert_eq!(eve.display_name.as_deref(), Some("Eve Star"));
    // Injections find nobody: they would otherwise match everyone, or alice, or eve.
    for (typed, password) in [
        ("*", "alice-password"),
        ("*", "eve-password"),
        ("alice)(uid=*", "alice-password"),
        ("alice)(|(uid=*", "alice-password"),
        ("eve*", "eve-password"),
        ("al*", "alice-password"),
        ("*)(uid=alice", "alice-password"),
        ("alice\\29", "alice-password"),
    ] {
        assert_eq!(
            dir.authenticate(typed, password).await,
            Err(LdapError::InvalidCredentials),
            "{typed}"
        );
    }
}

#[tokio::test]
async fn group_search_beside_or_instead_of_member_of() {
    let server = LdapServer::shared();
    let by_search = LdapConfig {
        group_attribute: String::new(),
        group_base: Some(GROUPS.into()),
        group_filter: Some("(&(objectClass=groupOfNames)(member={dn}))".into()),
        group_name_attribute: Some("cn".into()),
        ..config(server)
    };
    let dir = directory(&by_search);
    let helen = dir.authenticate("helen", "helen-password").await.unwrap();
    assert_eq!(helen.groups, vec!["video-helpdesk".to_string()]);
    let alice = dir.authenticate("alice", "alice-password").await.unwrap();
    assert!(alice.groups.is_empty());
    // A DN with filter syntax in it is escaped into the group filter.
    let eve = dir
        .authenticate("eve*)(uid=*", "eve-password")
        .await
        .unwrap();
    assert!(eve.groups.is_empty());

    // Without a name attribute, the group's DN; with memberOf as well, no duplicates.
    let both = directory(&LdapConfig {
        group_attribute: "memberOf".into(),
        group_name_attribute: None,
        ..by_search
    });
    let andy = both.authenticate("andy", "andy-password").await.unwrap();
    assert_eq!(andy.groups, vec![group("acme-video-admins")]);
}

#[tokio::test]
async fn starttls_and_ldaps_with_the_ca_file() {
    let server = LdapServer::shared();
    let starttls = directory(&LdapConfig {
        starttls: true,
        ca_file: Some(server.ca_file()),
        ..config(server)
    });
    let alice = starttls
        .authenticate("alice", "alice-password")
        .await
        .unwrap();
    assert_eq!(alice.username, "alice");
    assert!(starttls.check().await.is_ok());

    let ldaps = directory(&LdapConfig {
        url: server.ldaps_url(),
        ca_file: Some(server.ca_file()),
        ..config(server)
    });
    let helen = ldaps.authenticate("helen", "helen-password").await.unwrap();
    assert_eq!(helen.groups, vec![group("video-helpdesk")]);
    assert_eq!(
        ldaps.authenticate("helen", "wrong").await,
        Err(LdapError::InvalidCredentials)
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_readably() {
    let server = LdapServer::shared();
    let other_ca = server.other_ca_file();
    for (url, starttls) in [(server.ldaps_url(), false), (server.ldap_url(), true)] {
        let dir = directory(&LdapConfig {
            url: url.clone(),
            starttls,
            ca_file: Some(other_ca.clone()),
            ..config(server)
        });
        let error = dir
            .authenticate("alice", "alice-password")
            .await
            .unwrap_err();
        let LdapError::Misconfigured(detail) = &error else {
            panic!("{url}: {error:?}");
        };
        assert!(detail.contains("not issued by a trusted CA"), "{detail}");
        assert!(detail.contains("ldap.ca_file"), "{detail}");
        assert_eq!(
            error.to_string(),
            "Sign-in with the company directory is not set up correctly. Ask your administrator."
        );
        assert!(matches!(
            dir.check().await,
            Err(LdapError::Misconfigured(_))
        ));
    }
    // The system's roots (when the machine has any) do not know the test CA either.
    if let Ok(dir) = Directory::new(&LdapConfig {
        url: server.ldaps_url(),
        ..config(server)
    }) {
        let error = dir
            .authenticate("alice", "alice-password")
            .await
            .unwrap_err();
        assert!(
            matches!(&error, LdapError::Misconfigured(d) if d.contains("trusted CA")),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn a_closed_port_is_unreachable_at_once() {
    let server = LdapServer::shared();
    // Timeouts far longer than the test: "refused" (not a timeout) shows it did not wait.
    let dir = directory(&LdapConfig {
        url: format!("ldap://127.0.0.1:{}", free_port()),
        ..patient(config(server))
    });
    let error = dir
        .authenticate("alice", "alice-password")
        .await
        .unwrap_err();
    let LdapError::Unreachable(detail) = &error else {
        panic!("{error:?}");
    };
    assert!(detail.contains("refused the connection"), "{detail}");
    assert_eq!(
        error.to_string(),
        "The company directory cannot be reached right now. Try again later."
    );
    assert!(matches!(dir.check().await, Err(LdapError::Unreachable(_))));
}

#[tokio::test]
async fn a_stopped_directory_is_unreachable_and_its_connections_replaced_after_restart() {
    let server = LdapServer::start();
    let dir = directory(&patient(config(&server)));
    dir.authenticate("alice", "alice-password").await.unwrap();
    assert_eq!(dir.connections_opened(), 1);

    server.stop();
    let error = dir
        .authenticate("alice", "alice-password")
        .await
        .unwrap_err();
    let LdapError::Unreachable(detail) = &error else {
        panic!("{error:?}");
    };
    assert!(detail.contains("refused the connection"), "{detail}");
    assert!(matches!(dir.check().await, Err(LdapError::Unreachable(_))));

    // Back again: the dead pooled connection is gone and a new one works.
    server.restart();
    let alice = dir.authenticate("alice", "alice-password").await.unwrap();
    assert_eq!(alice.username, "alice");
    assert!(dir.check().await.is_ok());
    let opened = dir.connections_opened();
    dir.authenticate("bob", "bob-password").await.unwrap();
    assert_eq!(
        dir.connections_opened(),
        opened,
        "the new connection is reused"
    );
}

#[tokio::test]
async fn a_restarted_directory_replaces_pooled_connections_transparently() {
    let server = LdapServer::start();
    let dir = directory(&config(&server));
    dir.authenticate("alice", "alice-password").await.unwrap();
    // The server goes away and comes back between two sign-ins: the pooled connection is dead,
    // which the next sign-in notices and mends without failing.
    server.restart();
    let bob = dir.authenticate("bob", "bob-password").await.unwrap();
    assert_eq!(bob.username, "bob");
    assert_eq!(dir.connections_opened(), 2);
}

/// A TCP server that accepts connections and never answers.
async fn silent_server() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

#[tokio::test]
async fn a_directory_that_does_not_answer_times_out() {
    let server = LdapServer::shared();
    let (port, task) = silent_server().await;

    // The connection opens, the service bind gets no answer: the operation timeout.
    let dir = directory(&LdapConfig {
        url: format!("ldap://127.0.0.1:{port}"),
        connect_timeout_secs: 1,
        timeout_secs: 1,
        ..config(server)
    });
    let started = Instant::now();
    let error = within_a_minute(dir.authenticate("alice", "alice-password"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(error, LdapError::Timeout);
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert_eq!(
        error.to_string(),
        "The company directory did not answer in time. Try again later."
    );

    // ldaps: the TLS handshake gets no answer: the connect timeout.
    let dir = directory(&LdapConfig {
        url: format!("ldaps://127.0.0.1:{port}"),
        ca_file: Some(server.ca_file()),
        connect_timeout_secs: 1,
        timeout_secs: 5,
        ..config(server)
    });
    let error = within_a_minute(dir.check()).await.unwrap_err();
    let LdapError::Unreachable(detail) = &error else {
        panic!("{error:?}");
    };
    assert!(detail.contains("within 1 s"), "{detail}");
    task.abort();
}

#[tokio::test]
async fn connections_are_pooled() {
    let server = LdapServer::shared();
    let dir = directory(&LdapConfig {
        pool_size: 2,
        ..config(server)
    });
    for round in 0..15 {
        let user = ["alice", "bob", "helen"][round % 3];
        let password = if round % 4 == 3 {
            "wrong".to_string()
        } else {
            format!("{user}-password")
        };
        let result = dir.authenticate(user, &password).await;
        assert_eq!(result.is_ok(), round % 4 != 3, "{round}: {result:?}");
    }
    assert_eq!(
        dir.connections_opened(),
        1,
        "sequential sign-ins share one connection"
    );

    // Many at once: never more connections than the pool size, everyone served.
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..12 {
        let dir = dir.clone();
        tasks.spawn(async move {
            let user = ["alice", "bob", "victor"][round % 3];
            dir.authenticate(user, &format!("{user}-password")).await
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert!(
        dir.connections_opened() <= 2,
        "{}",
        dir.connections_opened()
    );
}

#[tokio::test]
async fn group_changes_show_at_the_next_sign_in() {
    let server = LdapServer::shared();
    let dir = directory(&config(server));
    let by_search = directory(&LdapConfig {
        group_attribute: String::new(),
        group_base: Some(GROUPS.into()),
        group_filter: Some("(member={dn})".into()),
        ..config(server)
    });
    let helpdesk = group("video-helpdesk");
    let movable = dir
        .authenticate("movable", "movable-password")
        .await
        .unwrap();
    assert_eq!(movable.groups, vec![helpdesk.clone()]);

    let change = |op: &str| {
        format!(
            "dn: {helpdesk}\nchangetype: modify\n{op}: member\nmember: {}\n",
            person("uid=movable")
        )
    };
    server.modify(&change("delete"));
    let movable = dir
        .authenticate("movable", "movable-password")
        .await
        .unwrap();
    assert!(movable.groups.is_empty(), "{:?}", movable.groups);
    let searched = by_search
        .authenticate("movable", "movable-password")
        .await
        .unwrap();
    assert!(searched.groups.is_empty(), "{:?}", searched.groups);

    server.modify(&change("add"));
    let movable = dir
        .authenticate("movable", "movable-password")
        .await
        .unwrap();
    assert_eq!(movable.groups, vec![helpdesk.clone()]);
    let searched = by_search
        .authenticate("movable", "movable-password")
        .await
        .unwrap();
    assert_eq!(searched.groups, vec![helpdesk]);
}

#[tokio::test]
async fn readiness_check_and_service_account_problems() {
    let server = LdapServer::shared();
    assert!(directory(&config(server)).check().await.is_ok());

    // The password from a file (trailing newline ignored).
    let file = server.dir().join("bind-password");
    std::fs::write(&file, format!("{SERVICE_PASSWORD}\n")).unwrap();
    let from_file = directory(&LdapConfig {
        bind_password: None,
        bind_password_file: Some(file),
        ..config(server)
    });
    assert!(from_file.check().await.is_ok());
    from_file
        .authenticate("alice", "alice-password")
        .await
        .unwrap();

    // A wrong service password: misconfigured, said without the password.
    let wrong = directory(&LdapConfig {
        bind_password: Some(Secret::new("hunter2-wrong")),
        ..config(server)
    });
    let error = wrong.check().await.unwrap_err();
    let LdapError::Misconfigured(detail) = &error else {
        panic!("{error:?}");
    };
    assert!(detail.contains("ldap.bind_dn"), "{detail}");
    assert!(!format!("{error} {error:?}").contains("hunter2"));
    // Signing in then says the set-up is wrong, not that the person's password is.
    let error = wrong
        .authenticate("alice", "alice-password")
        .await
        .unwrap_err();
    assert!(matches!(error, LdapError::Misconfigured(_)), "{error:?}");
}

#[tokio::test]
async fn a_missing_user_base_is_a_configuration_problem() {
    let server = LdapServer::shared();
    let dir = directory(&LdapConfig {
        user_base: "ou=nowhere,dc=example,dc=com".into(),
        ..config(server)
    });
    let error = dir
        .authenticate("alice", "alice-password")
        .await
        .unwrap_err();
    let LdapError::Misconfigured(detail) = &error else {
        panic!("{error:?}");
    };
    assert!(detail.contains("ldap.user_base"), "{detail}");
}
