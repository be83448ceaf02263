//! Account changes through the gateway that would lock the portal's admins out: an admin cannot
//! disable, demote or delete their own account, and the last active admin cannot be disabled,
//! demoted or deleted by anyone. Real SQLite database; the Pexip client points at the simulator
//! over HTTPS (these operations never reach it).

#![cfg(feature = "ssr")]

mod support;

use bff::accounts::{
    Account, AccountUpdate, NewAccount, Principal, Role, create_account, get_account,
    update_account,
};
use bff::db::testing::TestDatabase;
use bff::gateway::BffError;
use bff::portal::{Actor, Portal};
use simulator::RunningSim;

struct World {
    _sim: RunningSim,
    _db: TestDatabase,
    portal: Portal,
}

async fn world() -> World {
    let support::SimPortal { sim, db, portal } = support::portal_over_simulator().await;
    World {
        _sim: sim,
        _db: db,
        portal,
    }
}

async fn admin_account(world: &World, username: &str) -> Account {
    create_account(
        &world.portal.db,
        &NewAccount {
            username: username.into(),
            password: "a long enough password".into(),
            role: Role::Admin,
            tenant_id: None,
            email: None,
        },
    )
    .await
    .expect("an admin account")
}

fn signed_in(account: &Account) -> Actor {
    Actor {
        principal: Principal {
            account_id: account.id,
            username: account.username.clone(),
            role: account.role,
            tenant: None,
            email: None,
        },
        client_addr: Some("127.0.0.1".into()),
    }
}

/// The form-level message of a refusal.
fn refusal<T: std::fmt::Debug>(result: Result<T, BffError>) -> String {
    match result {
        Err(BffError::Invalid(fields)) => fields
            .get("__all__")
            .and_then(|messages| messages.first())
            .cloned()
            .unwrap_or_else(|| panic!("no form message: {fields:?}")),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn audit_count(world: &World, who: &Actor) -> i64 {
    world
        .portal
        .audit_list(
            who,
            &bff::audit::AuditFilter {
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .expect("the audit trail")
        .1
}

fn disable() -> AccountUpdate {
    AccountUpdate {
        disabled: Some(true),
        ..AccountUpdate::default()
    }
}

fn demote() -> AccountUpdate {
    AccountUpdate {
        role: Some(Role::Helpdesk),
        ..AccountUpdate::default()
    }
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let world = world().await;
    let ada = admin_account(&world, "ada").await;
    let _bob = admin_account(&world, "bob").await;
    let me = signed_in(&ada);
    let p = &world.portal;

    for update in [disable(), demote()] {
        let message = refusal(p.account_update(&me, ada.id, &update).await);
        assert!(message.contains("your own account"), "{message}");
    }
    let message = refusal(p.account_delete(&me, ada.id).await);
    assert!(message.contains("your own account"), "{message}");
    let unchanged = get_account(&p.db, ada.id).await.unwrap().unwrap();
    assert_eq!(unchanged.role, Role::Admin);
    assert!(!unchanged.disabled);
    assert_eq!(
        audit_count(&world, &me).await,
        0,
        "refusals are not changes"
    );

    // Harmless changes of one's own account still work.
    let mine = p
        .account_update(
            &me,
            ada.id,
            &AccountUpdate {
                email: Some(Some("ada@example.com".into())),
                disabled: Some(false),
                role: Some(Role::Admin),
                ..AccountUpdate::default()
            },
        )
        .await
        .expect("an admin changes their own email");
    assert_eq!(mine.email.as_deref(), Some("ada@example.com"));
}

#[tokio::test]
async fn the_last_active_admin_stays() {
    let world = world().await;
    let ada = admin_account(&world, "ada").await;
    let bob = admin_account(&world, "bob").await;
    let p = &world.portal;
    let me = signed_in(&ada);

    // Ada's account is disabled behind her back (the CLI): her session's request must not take
    // away the only active admin left.
    update_account(&p.db, ada.id, &disable()).await.unwrap();
    for update in [disable(), demote()] {
        let message = refusal(p.account_update(&me, bob.id, &update).await);
        assert!(
            message.contains("bob is the last active admin"),
            "{message}"
        );
    }
    let message = refusal(p.account_delete(&me, bob.id).await);
    assert!(
        message.contains("bob is the last active admin"),
        "{message}"
    );
    let bob_now = get_account(&p.db, bob.id).await.unwrap().unwrap();
    assert_eq!(bob_now.role, Role::Admin);
    assert!(!bob_now.disabled);

    // With a second active admin, Bob can be demoted, then deleted.
    update_account(
        &p.db,
        ada.id,
        &AccountUpdate {
            disabled: Some(false),
            ..AccountUpdate::default()
        },
    )
    .await
    .unwrap();
    let demoted = p
        .account_update(&me, bob.id, &demote())
        .await
        .expect("bob is demoted");
    assert_eq!(demoted.role, Role::Helpdesk);
    p.account_delete(&me, bob.id).await.expect("bob is deleted");
    assert!(get_account(&p.db, bob.id).await.unwrap().is_none());
}
