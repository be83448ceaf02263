//! What the form engine and the rooms pages ask of the gateway, per role, against the Pexip
//! simulator over HTTPS: schemas filtered for end users, picker options only over resources the
//! caller may use, a room's automatic participants, the rooms list's alias search, and the room
//! details email per role.

mod support;

use bff::accounts::{Principal, Role};
use bff::db::testing::TestDatabase;
use bff::gateway::BffError;
use bff::policy::PolicyConfig;
use bff::portal::{Actor, Portal};
use bff::requests::RoomQuery;
use bff::tenants::Tenant;
use serde_json::{Map, Value, json};
use simulator::RunningSim;

struct World {
    sim: RunningSim,
    _db: TestDatabase,
    portal: Portal,
    acme_room: u64,
    globex_room: u64,
}

fn actor(role: Role) -> Actor {
    Actor {
        principal: Principal {
            account_id: 200 + role as i64,
            username: role.to_string(),
            role,
            tenant: (role == Role::TenantAdmin).then(|| Tenant {
                id: 1,
                name: "Acme".into(),
                tag: "acme".into(),
                alias_domains: vec!["acme.example".into()],
                created_at: 0,
                updated_at: 0,
            }),
            email: (role == Role::User).then(|| "alice@acme.example".to_string()),
        },
        client_addr: Some("127.0.0.1".into()),
    }
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

async fn world() -> World {
    let support::SimPortal {
        sim,
        db: db_handle,
        portal,
    } = support::portal_over_simulator().await;
    let admin = actor(Role::Admin);
    for name in ["London", "Oslo"] {
        portal
            .platform_create(&admin, "system_location", object(json!({ "name": name })))
            .await
            .expect("a location");
    }
    let mut rooms = Vec::new();
    for (name, tag, owner, alias) in [
        (
            "Acme room",
            "acme",
            "alice@acme.example",
            "acme-room@acme.example",
        ),
        (
            "Globex room",
            "globex",
            "bob@globex.example",
            "globex-room@globex.example",
        ),
    ] {
        let fields = json!({
            "name": name, "tag": tag, "primary_owner_email_address": owner,
            "aliases": [{"alias": alias}],
        });
        rooms.push(
            portal
                .room_create(&admin, object(fields))
                .await
                .expect("a room"),
        );
    }
    World {
        sim,
        _db: db_handle,
        portal,
        acme_room: rooms[0],
        globex_room: rooms[1],
    }
}

fn labels(options: &[bff::requests::RelatedOption]) -> Vec<&str> {
    options.iter().map(|o| o.label.as_str()).collect()
}

#[tokio::test]
async fn schemas_follow_the_role() {
    let w = world().await;
    let p = &w.portal;
    let full = p
        .form_schema(&actor(Role::Admin), "conference")
        .await
        .unwrap();
    assert!(full.field("name").is_some() && full.field("pin").is_some());
    for role in [Role::Helpdesk, Role::TenantAdmin] {
        let schema = p.form_schema(&actor(role), "conference").await.unwrap();
        assert_eq!(schema.fields.len(), full.fields.len(), "{role}");
    }
    // End users get exactly the fields they may change, plus what the room is and how to
    // reach it (name, type, aliases), read-only.
    let mine = p
        .form_schema(&actor(Role::User), "conference")
        .await
        .unwrap();
    let writable = |readonly: bool| {
        let mut names: Vec<&str> = mine
            .fields
            .iter()
            .filter(|(_, f)| f.readonly == readonly)
            .map(|(n, _)| n.as_str())
            .collect();
        names.sort_unstable();
        names
    };
    let policy = PolicyConfig::default();
    let mut editable: Vec<&str> = policy
        .user_editable_fields
        .iter()
        .map(String::as_str)
        .filter(|f| full.field(f).is_some())
        .collect();
    editable.sort_unstable();
    assert_eq!(writable(false), editable);
    assert_eq!(writable(true), vec!["aliases", "name", "service_type"]);
    let service_type = mine.field("service_type").unwrap();
    assert!(
        service_type
            .valid_choices
            .iter()
            .flatten()
            .any(|c| c == "conference")
    );
    assert!(matches!(
        p.form_schema(&actor(Role::User), "automatic_participant")
            .await,
        Err(BffError::Forbidden)
    ));
    // Other resources are the configuration browser's: admins only.
    assert!(
        p.form_schema(&actor(Role::Admin), "system_location")
            .await
            .is_ok()
    );
    for role in [Role::Helpdesk, Role::TenantAdmin, Role::User] {
        assert!(
            matches!(
                p.form_schema(&actor(role), "system_location").await,
                Err(BffError::Forbidden)
            ),
            "{role}"
        );
    }
    assert!(matches!(
        p.form_schema(&actor(Role::Admin), "no_such_resource").await,
        Err(BffError::NotFound)
    ));
}

#[tokio::test]
async fn picker_options_only_over_what_the_caller_may_use() {
    let w = world().await;
    let p = &w.portal;
    let admin = actor(Role::Admin);
    let found = p
        .form_options(&admin, "conference", "system_location", "lon", 20)
        .await
        .unwrap();
    assert_eq!(labels(&found), ["London"]);
    assert!(
        found[0]
            .uri
            .starts_with("/api/admin/configuration/v1/system_location/")
    );
    // Room creators pick over the room's related fields; the limit holds.
    let tenant = p
        .form_options(
            &actor(Role::TenantAdmin),
            "conference",
            "system_location",
            "",
            1,
        )
        .await
        .unwrap();
    assert_eq!(tenant.len(), 1);
    // Who may not change rooms, or not that field, gets nothing.
    for (role, field) in [
        (Role::Helpdesk, "system_location"),
        (Role::User, "system_location"),
    ] {
        assert!(
            matches!(
                p.form_options(&actor(role), "conference", field, "", 20)
                    .await,
                Err(BffError::Forbidden)
            ),
            "{role}"
        );
    }
    // Another resource's fields are the configuration browser's.
    assert!(matches!(
        p.form_options(
            &actor(Role::TenantAdmin),
            "gateway_routing_rule",
            "outgoing_location",
            "",
            20
        )
        .await,
        Err(BffError::Forbidden)
    ));
    let routed = p
        .form_options(
            &admin,
            "gateway_routing_rule",
            "outgoing_location",
            "os",
            20,
        )
        .await
        .unwrap();
    assert_eq!(labels(&routed), ["Oslo"]);
    // Not a related field.
    assert!(matches!(
        p.form_options(&admin, "conference", "name", "", 20).await,
        Err(BffError::NotFound)
    ));
}

#[tokio::test]
async fn automatic_participants_follow_the_room_scope() {
    let w = world().await;
    let p = &w.portal;
    let admin = actor(Role::Admin);
    let tenant = actor(Role::TenantAdmin);
    let fields = |alias: &str| object(json!({ "alias": alias, "role": "chair" }));

    let uri = p
        .room_participant_add(&tenant, w.acme_room, fields("rec@acme.example"))
        .await
        .unwrap();
    let listed = p
        .room_participants(&actor(Role::Helpdesk), w.acme_room)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["alias"], "rec@acme.example");
    assert_eq!(listed[0]["resource_uri"], uri.as_str());
    // The owner may read but not change them; helpdesk may not change; another tenant's room
    // does not exist for the tenant admin.
    assert_eq!(
        p.room_participants(&actor(Role::User), w.acme_room)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        p.room_participant_add(&actor(Role::User), w.acme_room, fields("x@acme.example")).await,
        Err(BffError::Invalid(f)) if f.contains_key("automatic_participants")
    ));
    assert!(matches!(
        p.room_participant_add(
            &actor(Role::Helpdesk),
            w.acme_room,
            fields("x@acme.example")
        )
        .await,
        Err(BffError::Forbidden)
    ));
    assert!(matches!(
        p.room_participants(&tenant, w.globex_room).await,
        Err(BffError::NotFound)
    ));
    assert!(matches!(
        p.room_participant_add(&tenant, w.globex_room, fields("x@acme.example"))
            .await,
        Err(BffError::NotFound)
    ));

    // A participant of two rooms: removing it from one keeps it in the other.
    let id: u64 = pexip::uri_id(&uri).parse().unwrap();
    let globex_uri = format!("/api/admin/configuration/v1/conference/{}/", w.globex_room);
    let acme_uri = format!("/api/admin/configuration/v1/conference/{}/", w.acme_room);
    p.platform_update(
        &admin,
        "automatic_participant",
        &id.to_string(),
        object(json!({ "conference": [acme_uri, globex_uri] })),
    )
    .await
    .unwrap();
    assert!(matches!(
        p.room_participant_remove(&tenant, w.globex_room, id).await,
        Err(BffError::NotFound)
    ));
    p.room_participant_remove(&tenant, w.acme_room, id)
        .await
        .unwrap();
    assert!(
        p.room_participants(&admin, w.acme_room)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        p.room_participants(&admin, w.globex_room)
            .await
            .unwrap()
            .len(),
        1
    );
    // Removing it from its last room deletes it.
    p.room_participant_remove(&admin, w.globex_room, id)
        .await
        .unwrap();
    assert!(matches!(
        p.platform_get(&admin, "automatic_participant", &id.to_string())
            .await,
        Err(BffError::NotFound)
    ));
    // Removing one the room does not have is a 404.
    assert!(matches!(
        p.room_participant_remove(&admin, w.acme_room, id).await,
        Err(BffError::NotFound)
    ));
}

#[tokio::test]
async fn rooms_are_found_by_alias_within_the_scope() {
    let w = world().await;
    let p = &w.portal;
    let query = |alias: &str| RoomQuery {
        alias: Some(alias.into()),
        limit: 20,
        ..RoomQuery::default()
    };
    let found = p
        .rooms_list(&actor(Role::Admin), &query("ROOM@"))
        .await
        .unwrap();
    assert_eq!(found.meta.total_count, 2);
    let found = p
        .rooms_list(&actor(Role::Admin), &query("globex-room"))
        .await
        .unwrap();
    assert_eq!(found.objects.len(), 1);
    assert_eq!(found.objects[0]["name"], "Globex room");
    let none = p
        .rooms_list(&actor(Role::TenantAdmin), &query("globex-room"))
        .await
        .unwrap();
    assert_eq!(none.meta.total_count, 0);
    let blank = p
        .rooms_list(&actor(Role::Admin), &query("  "))
        .await
        .unwrap();
    assert_eq!(blank.meta.total_count, 2, "a blank alias does not filter");
}

#[tokio::test]
async fn room_details_are_emailed_to_the_owner_per_role() {
    let w = world().await;
    let p = &w.portal;
    let sent = |w: &World| w.sim.emails().len();
    // The owner, for their own room; helpdesk and admins for any room; tenant admins for their
    // tenant's.
    assert_eq!(
        p.room_send_email(&actor(Role::User), w.acme_room)
            .await
            .unwrap(),
        "alice@acme.example"
    );
    assert_eq!(
        p.room_send_email(&actor(Role::Helpdesk), w.globex_room)
            .await
            .unwrap(),
        "bob@globex.example"
    );
    p.room_send_email(&actor(Role::TenantAdmin), w.acme_room)
        .await
        .unwrap();
    p.room_send_email(&actor(Role::Admin), w.globex_room)
        .await
        .unwrap();
    let emails = w.sim.emails();
    assert_eq!(emails.len(), 4);
    assert_eq!(emails[0].command, "send_conference_email");
    assert_eq!(emails[0].object_id, w.acme_room.to_string());
    assert_eq!(emails[0].to, "alice@acme.example");
    assert_eq!(emails[1].name, "Globex room");
    // Someone else's room does not exist for end users and tenant admins; nothing is sent.
    for role in [Role::User, Role::TenantAdmin] {
        assert!(matches!(
            p.room_send_email(&actor(role), w.globex_room).await,
            Err(BffError::NotFound)
        ));
    }
    assert!(matches!(
        p.room_send_email(&actor(Role::Admin), 999_999).await,
        Err(BffError::NotFound)
    ));
    assert_eq!(sent(&w), 4);
    // A room without an owner: said so, and the node is not asked.
    let admin = actor(Role::Admin);
    p.room_update(
        &admin,
        w.globex_room,
        object(json!({"primary_owner_email_address": ""})),
    )
    .await
    .unwrap();
    match p.room_send_email(&admin, w.globex_room).await {
        Err(BffError::Invalid(fields)) => {
            assert_eq!(fields["__all__"], vec![bff::gateway::NO_OWNER.to_string()]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(sent(&w), 4);
    // Each email sent is in the audit trail, with its address.
    let (events, _) = p
        .audit_list(
            &admin,
            &bff::audit::AuditFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let emails: Vec<_> = events
        .iter()
        .filter(|e| e.action == "room.send_email")
        .collect();
    assert_eq!(emails.len(), 4);
    assert_eq!(
        emails[0].changes["email"]["after"]["to"],
        "bob@globex.example"
    );
    assert_eq!(emails[0].result, "ok");
}
