//! The role matrix: every role × every BFF operation × an object of the actor's own tenant (or
//! their own room) and one of another tenant, against the Pexip simulator over HTTPS and a real
//! SQLite accounts database. Each cell states the outcome the policy must produce; the audit
//! trail must hold one entry per mutation that passed the policy.

use bff::accounts::{Principal, Role};
use bff::db::Db;
use bff::db::testing::TestDatabase;
use bff::gateway::{BffError, CallCommand};
use bff::policy::PolicyConfig;
use bff::portal::{Actor, Portal};
use bff::requests::RoomQuery;
use bff::sessions::SessionConfig;
use bff::tenants::Tenant;
use bff::throttle::ThrottleConfig;
use pexip::client::{Client, PexipConfig, Secret};
use serde_json::{Map, Value, json};
use simulator::{RunningSim, SimOptions};

/// How an operation ended, as far as authorization is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Passed the policy (the upstream answer may still be an error of its own, e.g. an unknown
    /// participant: what matters is that the policy let it through).
    Allowed,
    Forbidden,
    NotFound,
    /// Refused by the policy at a field (e.g. moving a room out of a tenant).
    Refused,
}

fn outcome<T>(result: Result<T, BffError>) -> Outcome {
    match result {
        Ok(_) => Outcome::Allowed,
        Err(BffError::Forbidden) => Outcome::Forbidden,
        Err(BffError::NotFound) => Outcome::NotFound,
        Err(BffError::Invalid(fields))
            if fields.contains_key("tag") || fields.contains_key("aliases") =>
        {
            Outcome::Refused
        }
        // Upstream refusals of requests that the policy allowed (unknown ids and the like).
        Err(BffError::Invalid(_)) | Err(BffError::Upstream(_)) => Outcome::Allowed,
        Err(error @ (BffError::Unauthenticated | BffError::Internal(_))) => {
            panic!("unexpected error: {error}")
        }
    }
}

struct World {
    _sim: RunningSim,
    _db: TestDatabase,
    portal: Portal,
    acme_room: u64,
    globex_room: u64,
}

fn tenant(id: i64, tag: &str, domain: &str) -> Tenant {
    Tenant {
        id,
        name: tag.to_uppercase(),
        tag: tag.into(),
        alias_domains: vec![domain.into()],
        created_at: 0,
        updated_at: 0,
    }
}

fn actor(role: Role) -> Actor {
    Actor {
        principal: Principal {
            account_id: 100 + role as i64,
            username: role.to_string(),
            role,
            tenant: (role == Role::TenantAdmin).then(|| tenant(1, "acme", "acme.example")),
            email: (role == Role::User).then(|| "alice@acme.example".to_string()),
        },
        client_addr: Some("127.0.0.1".into()),
    }
}

async fn world() -> World {
    let sim = simulator::start(SimOptions {
        tick_ms: 0,
        admin_password: "sim-secret-pw".into(),
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let config = PexipConfig {
        url: Some(sim.url().to_string()),
        password: Some(Secret::new("sim-secret-pw")),
        ..PexipConfig::default()
    };
    let pexip = Client::with_ca_pem(&config, sim.cert_pem().expect("https")).expect("client");
    let db_handle = TestDatabase::sqlite().expect("temp dir");
    let db: Db = db_handle.open().await.expect("database");
    let portal = Portal {
        db,
        pexip,
        policy: PolicyConfig::default(),
        sessions: SessionConfig::default(),
        throttle: ThrottleConfig::default(),
        demo: true,
    };
    let admin = actor(Role::Admin);
    let acme_room = create_room(
        &portal,
        &admin,
        "Acme room",
        "acme",
        "alice@acme.example",
        "acme-room@acme.example",
    )
    .await;
    let globex_room = create_room(
        &portal,
        &admin,
        "Globex room",
        "globex",
        "bob@globex.example",
        "globex-room@globex.example",
    )
    .await;
    World {
        _sim: sim,
        _db: db_handle,
        portal,
        acme_room,
        globex_room,
    }
}

async fn create_room(
    portal: &Portal,
    who: &Actor,
    name: &str,
    tag: &str,
    owner: &str,
    alias: &str,
) -> u64 {
    let fields = json!({
        "name": name, "service_type": "conference", "tag": tag,
        "primary_owner_email_address": owner, "aliases": [{"alias": alias}],
    });
    portal
        .room_create(who, fields.as_object().unwrap().clone())
        .await
        .expect("admin creates a room")
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

/// Every BFF read or harmless mutation, against `own` (the actor's tenant / own room) or `other`.
async fn run(world: &World, who: &Actor, operation: &str, own: bool) -> Outcome {
    let p = &world.portal;
    let room = if own {
        world.acme_room
    } else {
        world.globex_room
    };
    match operation {
        "rooms_list" => outcome(
            p.rooms_list(
                who,
                &RoomQuery {
                    limit: 50,
                    ..RoomQuery::default()
                },
            )
            .await,
        ),
        "room_get" => outcome(p.room_get(who, room).await),
        "room_update" => outcome(
            p.room_update(who, room, object(json!({"description": "changed"})))
                .await,
        ),
        "room_update_tag" => {
            let result = outcome(
                p.room_update(who, room, object(json!({"tag": "elsewhere"})))
                    .await,
            );
            if result == Outcome::Allowed {
                // Put the room back where it was for the cells that follow.
                let tag = if own { "acme" } else { "globex" };
                p.room_update(&actor(Role::Admin), room, object(json!({"tag": tag})))
                    .await
                    .expect("restore the tag");
            }
            result
        }
        "room_create" => {
            let (tag, domain) = if own {
                ("acme", "acme.example")
            } else {
                ("globex", "globex.example")
            };
            let fields = json!({"name": format!("New {} {}", who.principal.username, tag), "service_type": "conference",
                                "tag": tag, "aliases": [{"alias": format!("new-{}@{domain}", who.principal.username)}]});
            outcome(p.room_create(who, object(fields)).await)
        }
        "live_list" => outcome(p.live_list(who, "conference", &[], 10, 0).await),
        "call_control" => outcome(
            p.call_control(
                who,
                &CallCommand::Lock {
                    conference_id: "00000000-0000-0000-0000-000000000001".into(),
                },
            )
            .await,
        ),
        "history_list" => outcome(
            p.history_list(who, "conference", &[], Some("-start_time"), 10, 0)
                .await,
        ),
        "backups_list" => outcome(p.backups_list(who).await),
        "licences_list" => outcome(p.licences_list(who).await),
        "platform_resources" => outcome(p.platform_resources(who).await),
        "platform_list" => outcome(p.platform_list(who, "system_location", 10, 0).await),
        "audit_list" => outcome(
            p.audit_list(
                who,
                &bff::audit::AuditFilter {
                    limit: 10,
                    ..Default::default()
                },
            )
            .await,
        ),
        "accounts_list" => outcome(p.accounts_list(who).await),
        "tenants_list" => outcome(p.tenants_list(who).await),
        other => panic!("no operation {other}"),
    }
}

const OPERATIONS: [&str; 16] = [
    "rooms_list",
    "room_get",
    "room_update",
    "room_update_tag",
    "room_create",
    "live_list",
    "call_control",
    "history_list",
    "backups_list",
    "licences_list",
    "platform_resources",
    "platform_list",
    "audit_list",
    "accounts_list",
    "tenants_list",
    "room_delete",
];

/// The expected outcome of one cell.
fn expected(role: Role, operation: &str, own: bool) -> Outcome {
    use Outcome::*;
    match (role, operation) {
        (Role::Admin, _) => Allowed,
        (
            Role::Helpdesk,
            "rooms_list" | "room_get" | "live_list" | "call_control" | "history_list",
        ) => Allowed,
        (Role::Helpdesk, _) => Forbidden,
        (Role::TenantAdmin, "rooms_list" | "audit_list") => Allowed,
        (Role::TenantAdmin, "room_get" | "room_update" | "room_delete") => {
            if own {
                Allowed
            } else {
                NotFound
            }
        }
        // Moving a room out of the tenant is refused; another tenant's room does not exist.
        (Role::TenantAdmin, "room_update_tag") => {
            if own {
                Refused
            } else {
                NotFound
            }
        }
        // A tenant admin cannot create into another tenant.
        (Role::TenantAdmin, "room_create") => {
            if own {
                Allowed
            } else {
                Refused
            }
        }
        (Role::TenantAdmin, _) => Forbidden,
        (Role::User, "rooms_list") => Allowed,
        (Role::User, "room_get" | "room_update") => {
            if own {
                Allowed
            } else {
                NotFound
            }
        }
        (Role::User, "room_update_tag") => {
            if own {
                Refused
            } else {
                NotFound
            }
        }
        (Role::User, _) => Forbidden,
    }
}

#[tokio::test]
async fn every_role_can_do_exactly_what_it_should() {
    let world = world().await;
    let mut mismatches = Vec::new();
    let mut cells = 0;
    for role in Role::ALL {
        let who = actor(role);
        for operation in OPERATIONS {
            for own in [true, false] {
                let got = if operation == "room_delete" {
                    // Deleting needs a fresh victim per cell: the admin makes one in the right tenant.
                    let (tag, owner, domain) = if own {
                        ("acme", "alice@acme.example", "acme.example")
                    } else {
                        ("globex", "bob@globex.example", "globex.example")
                    };
                    let name = format!("Victim {role} {own}");
                    let alias =
                        format!("victim-{}-{own}@{domain}", role.as_str().replace('_', "-"));
                    let victim = create_room(
                        &world.portal,
                        &actor(Role::Admin),
                        &name,
                        tag,
                        owner,
                        &alias,
                    )
                    .await;
                    outcome(world.portal.room_delete(&who, victim).await)
                } else {
                    run(&world, &who, operation, own).await
                };
                cells += 1;
                let want = expected(role, operation, own);
                if got != want {
                    mismatches.push(format!(
                        "{role} {operation} own={own}: got {got:?}, want {want:?}"
                    ));
                }
            }
        }
    }
    assert_eq!(cells, 4 * OPERATIONS.len() * 2);
    assert!(
        mismatches.is_empty(),
        "policy mismatches:\n{}",
        mismatches.join("\n")
    );
}

#[tokio::test]
async fn list_scoping_is_pushed_upstream_and_counts_stay_right() {
    let world = world().await;
    let query = RoomQuery {
        limit: 1,
        ..RoomQuery::default()
    };
    let count = |role| {
        let who = actor(role);
        let portal = world.portal.clone();
        let query = query.clone();
        async move { portal.rooms_list(&who, &query).await.expect("list") }
    };
    let all = count(Role::Admin).await;
    assert_eq!(all.meta.total_count, 2);
    let tenant = count(Role::TenantAdmin).await;
    assert_eq!(
        tenant.meta.total_count, 1,
        "a tenant admin counts only their tenant's rooms"
    );
    assert_eq!(tenant.objects[0]["tag"], "acme");
    let user = count(Role::User).await;
    assert_eq!(user.meta.total_count, 1);
    assert_eq!(
        user.objects[0]["primary_owner_email_address"],
        "alice@acme.example"
    );
}

#[tokio::test]
async fn tenant_creations_are_forced_into_the_tenant_and_audited() {
    let world = world().await;
    let who = actor(Role::TenantAdmin);
    let fields = object(
        json!({"name": "Untagged by the client", "service_type": "conference",
                               "aliases": [{"alias": "untagged@acme.example"}]}),
    );
    let id = world
        .portal
        .room_create(&who, fields)
        .await
        .expect("tenant admin creates");
    let room = world
        .portal
        .room_get(&actor(Role::Admin), id)
        .await
        .unwrap();
    assert_eq!(room["tag"], "acme");

    // An alias outside the tenant's domains is refused with a message naming the domain.
    let bad = object(json!({"name": "Wrong domain", "service_type": "conference",
                            "aliases": [{"alias": "x@globex.example"}]}));
    match world.portal.room_create(&who, bad).await {
        Err(BffError::Invalid(fields)) => {
            assert!(fields["aliases"][0].contains("@acme.example"), "{fields:?}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // Audit: the creation by the tenant admin is recorded with the tenant and the fields.
    let (events, total) = world
        .portal
        .audit_list(
            &who,
            &bff::audit::AuditFilter {
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(total >= 1);
    let created = events
        .iter()
        .find(|e| e.action == "room.create" && e.username == "tenant_admin")
        .expect("audited");
    assert_eq!(created.tenant.as_deref(), Some("acme"));
    assert_eq!(created.result, "ok");
    assert_eq!(created.changes["name"]["after"], "Untagged by the client");
    // A tenant admin sees only their tenant's events: the admin's globex room is not among them.
    assert!(events.iter().all(|e| e.tenant.as_deref() == Some("acme")));
}

#[tokio::test]
async fn failed_mutations_are_audited_with_their_error_and_secrets_masked() {
    let world = world().await;
    let admin = actor(Role::Admin);
    let outcome = world
        .portal
        .room_update(&admin, world.acme_room, object(json!({"pin": "12"})))
        .await;
    assert!(matches!(outcome, Err(BffError::Invalid(_))), "{outcome:?}");
    let ok = world
        .portal
        .room_update(&admin, world.acme_room, object(json!({"pin": "123456"})))
        .await;
    assert!(ok.is_ok(), "{ok:?}");
    let (events, _) = world
        .portal
        .audit_list(
            &admin,
            &bff::audit::AuditFilter {
                action_prefix: Some("room.update".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    let failed = events
        .iter()
        .find(|e| e.result != "ok")
        .expect("the failed update is recorded");
    assert!(failed.result.starts_with("error:"), "{}", failed.result);
    for event in &events {
        let text = event.changes.to_string();
        assert!(
            !text.contains("123456") && !text.contains("\"12\""),
            "a PIN leaked into the trail: {text}"
        );
        assert_eq!(event.changes["pin"]["after"], bff::audit::MASK);
    }
}
