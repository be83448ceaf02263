//! Device aliases and LDAP template sync through the BFF against the Pexip simulator over HTTPS
//! and a real SQLite accounts database: a tenant admin sees, creates, changes and deletes only
//! their tenant's devices (tag forced, alias in the tenant's domains), another tenant's device is
//! "not found"; every change is audited with secrets masked; "Sync now" is for admins only and its
//! status moves on read by read until the VMRs exist.

mod support;

use bff::accounts::{Principal, Role};
use bff::audit::{self, AuditFilter};
use bff::db::testing::TestDatabase;
use bff::gateway::BffError;
use bff::portal::{Actor, Portal};
use bff::requests::{DeviceQuery, RoomQuery};
use bff::tenants::Tenant;
use serde_json::{Map, Value, json};
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

fn actor(role: Role, tag: &str) -> Actor {
    Actor {
        principal: Principal {
            account_id: 1,
            username: format!("{role}-{tag}"),
            role,
            tenant: (role == Role::TenantAdmin).then(|| Tenant {
                id: 1,
                name: tag.into(),
                tag: tag.into(),
                alias_domains: vec![format!("{tag}.example")],
                created_at: 0,
                updated_at: 0,
            }),
            email: (role == Role::User).then(|| format!("alice@{tag}.example")),
        },
        client_addr: Some("127.0.0.1".into()),
    }
}

fn fields(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

async fn aliases(portal: &Portal, who: &Actor) -> Vec<String> {
    let page = portal
        .devices_list(
            who,
            &DeviceQuery {
                alias: Some("desk".into()),
                order_by: Some("alias".into()),
                limit: 100,
                offset: 0,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.meta.total_count as usize, page.objects.len());
    page.objects
        .iter()
        .map(|d| d["alias"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn tenant_admins_manage_only_their_tenants_devices() {
    let world = world().await;
    let portal = &world.portal;
    let admin = actor(Role::Admin, "ops");
    let acme = actor(Role::TenantAdmin, "acme");
    let globex = actor(Role::TenantAdmin, "globex");

    let globex_id = portal
        .device_create(
            &globex,
            fields(
                json!({"alias": "desk-1@globex.example", "username": "g1", "password": "s3cret-g"}),
            ),
        )
        .await
        .unwrap();
    let acme_id = portal
        .device_create(
            &acme,
            fields(json!({"alias": "desk-1@acme.example", "description": "Reception", "password": "s3cret-a"})),
        )
        .await
        .unwrap();
    // The tenant's tag is forced onto what a tenant admin creates.
    let device = portal.device_get(&admin, acme_id).await.unwrap();
    assert_eq!(device["tag"], "acme");

    // Each tenant admin sees their own; the admin sees both.
    assert_eq!(aliases(portal, &acme).await, ["desk-1@acme.example"]);
    assert_eq!(aliases(portal, &globex).await, ["desk-1@globex.example"]);
    assert_eq!(
        aliases(portal, &admin).await,
        ["desk-1@acme.example", "desk-1@globex.example"]
    );

    // Another tenant's device is not found, for reading, changing and deleting.
    assert!(matches!(
        portal.device_get(&acme, globex_id).await,
        Err(BffError::NotFound)
    ));
    assert!(matches!(
        portal
            .device_update(&acme, globex_id, fields(json!({"description": "mine now"})))
            .await,
        Err(BffError::NotFound)
    ));
    assert!(matches!(
        portal.device_delete(&acme, globex_id).await,
        Err(BffError::NotFound)
    ));

    // A tenant admin cannot create in another tenant's domain or with its tag, nor move a device.
    for body in [
        json!({"alias": "desk-2@globex.example"}),
        json!({"alias": "desk-2@acme.example", "tag": "globex"}),
    ] {
        let error = portal
            .device_create(&acme, fields(body.clone()))
            .await
            .unwrap_err();
        assert!(matches!(error, BffError::Invalid(_)), "{body}: {error:?}");
    }
    assert!(
        portal
            .device_update(
                &acme,
                acme_id,
                fields(json!({"alias": "desk-1@globex.example"}))
            )
            .await
            .is_err()
    );
    assert!(
        portal
            .device_update(&acme, acme_id, fields(json!({"tag": "globex"})))
            .await
            .is_err()
    );
    assert_eq!(aliases(portal, &globex).await, ["desk-1@globex.example"]);

    // The node's own validation reaches the form: a duplicate alias.
    let duplicate = portal
        .device_create(&admin, fields(json!({"alias": "desk-1@acme.example"})))
        .await
        .unwrap_err();
    assert!(
        duplicate.to_string().contains("already exists"),
        "{duplicate}"
    );

    // Changes within the tenant work; helpdesk and end users reach no devices.
    portal
        .device_update(
            &acme,
            acme_id,
            fields(json!({"description": "Front desk", "password": "n3w"})),
        )
        .await
        .unwrap();
    assert_eq!(
        portal.device_get(&acme, acme_id).await.unwrap()["description"],
        "Front desk"
    );
    for role in [Role::Helpdesk, Role::User] {
        assert!(matches!(
            portal
                .devices_list(&actor(role, "acme"), &DeviceQuery::default())
                .await,
            Err(BffError::Forbidden)
        ));
    }
    portal.device_delete(&acme, acme_id).await.unwrap();
    assert!(aliases(portal, &acme).await.is_empty());

    // Every change is audited, under the tenant, with the password masked.
    let (events, total) = audit::list(
        &portal.db,
        &AuditFilter {
            action_prefix: Some("device.".into()),
            tenant: Some("acme".into()),
            limit: 50,
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    let mut actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(total, 3, "{actions:?}");
    assert_eq!(actions, ["device.create", "device.delete", "device.update"]);
    let trail =
        serde_json::to_string(&events.iter().map(|e| &e.changes).collect::<Vec<_>>()).unwrap();
    assert!(
        !trail.contains("s3cret-a") && !trail.contains("n3w"),
        "{trail}"
    );
}

#[tokio::test]
async fn tenant_admins_get_the_device_form() {
    let world = world().await;
    let schema = world
        .portal
        .form_schema(&actor(Role::TenantAdmin, "acme"), "device")
        .await
        .unwrap();
    assert!(schema.field("alias").is_some());
    assert!(matches!(
        world
            .portal
            .form_schema(&actor(Role::TenantAdmin, "acme"), "ldap_sync_source")
            .await,
        Err(BffError::Forbidden)
    ));
}

#[tokio::test]
async fn sync_now_creates_the_vmrs_of_a_template_for_admins_only() {
    let world = world().await;
    let portal = &world.portal;
    let admin = actor(Role::Admin, "ops");
    let source = portal
        .platform_create(
            &admin,
            "ldap_sync_source",
            fields(json!({"name": "Corp", "ldap_server": "ldap.example.com", "ldap_base_dn": "dc=example,dc=com", "ldap_bind_password": "bind-pw"})),
        )
        .await
        .unwrap();
    let template = portal
        .platform_create(
            &admin,
            "conference_sync_template",
            fields(json!({"name": "People", "ldap_sync_source": source,
                "conference_name": "Room of {{givenName}} {{sn}}", "tag": "acme",
                "primary_owner_email_address": "{{mail}}"})),
        )
        .await
        .unwrap();
    let id: u64 = pexip::uri_id(&template).parse().unwrap();

    for role in [Role::TenantAdmin, Role::Helpdesk, Role::User] {
        let who = actor(role, "acme");
        assert!(matches!(
            portal.template_sync_start(&who, id).await,
            Err(BffError::Forbidden)
        ));
        assert!(matches!(
            portal.template_sync_status(&who, id).await,
            Err(BffError::Forbidden)
        ));
    }
    assert_eq!(
        portal.template_sync_status(&admin, id).await.unwrap()["sync_status"],
        "IDLE"
    );
    portal.template_sync_start(&admin, id).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..10 {
        let status = portal.template_sync_status(&admin, id).await.unwrap();
        seen.push((
            status["sync_status"].as_str().unwrap().to_string(),
            status["conferences_created"].as_u64().unwrap(),
        ));
        if status["sync_status"] != "RUNNING" {
            break;
        }
    }
    assert_eq!(
        seen,
        [
            ("RUNNING".to_string(), 4),
            ("RUNNING".to_string(), 8),
            ("RUNNING".to_string(), 10),
            ("COMPLETED".to_string(), 10)
        ]
    );
    let rooms = portal
        .rooms_list(
            &actor(Role::TenantAdmin, "acme"),
            &RoomQuery {
                name: Some("Room of".into()),
                limit: 50,
                ..RoomQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        rooms.meta.total_count, 10,
        "the synced VMRs carry the tenant's tag"
    );
    assert!(
        rooms
            .objects
            .iter()
            .any(|r| r["name"] == "Room of Alice Andersen"
                && r["primary_owner_email_address"] == "alice@example.com")
    );

    // The start is audited; a missing template is the node's form error, audited too.
    assert!(portal.template_sync_start(&admin, 999).await.is_err());
    let (events, _) = audit::list(
        &portal.db,
        &AuditFilter {
            action_prefix: Some("template.sync".into()),
            limit: 10,
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    let mut results: Vec<String> = events.iter().map(|e| e.result.clone()).collect();
    results.sort();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[1], "ok");
    assert!(results[0].starts_with("error"), "{results:?}");
}
