//! Rooms CSV import and export through the BFF against the Pexip simulator over HTTPS and a real
//! SQLite accounts database: the preview checks every line (schema, duplicates in the file and
//! on the node, the tenant policy) without creating anything; the valid rooms are then created
//! one by one through `room_create` (audited); the export pages through everything in scope and
//! reads back as the same rooms.

mod support;

use bff::accounts::Role;
use bff::audit::{self, AuditFilter};
use bff::bulk::ImportPreview;
use bff::gateway::BffError;
use bff::portal::{Actor, Portal};
use bff::requests::RoomQuery;
use serde_json::json;

fn actor(role: Role) -> Actor {
    support::acme_actor(role)
}

/// Creates the valid rooms of a preview one at a time, as the import page does.
async fn create_all(portal: &Portal, who: &Actor, preview: &ImportPreview) -> Vec<u64> {
    let mut ids = Vec::new();
    for room in preview.valid() {
        ids.push(
            portal
                .room_create(who, room.fields.clone())
                .await
                .unwrap_or_else(|error| panic!("creating {}: {error}", room.name)),
        );
    }
    ids
}

fn error_lines(preview: &ImportPreview) -> Vec<String> {
    preview.errors().iter().map(|e| e.to_string()).collect()
}

async fn names_in_scope(portal: &Portal, who: &Actor, name: &str) -> Vec<String> {
    let page = portal
        .rooms_list(
            who,
            &RoomQuery {
                name: Some(name.into()),
                limit: 500,
                ..RoomQuery::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(page.meta.total_count as usize, page.objects.len());
    let mut names: Vec<String> = page
        .objects
        .iter()
        .map(|room| room["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn admin_previews_creates_exports_and_reimports() {
    let world = support::portal_over_simulator().await;
    let portal = &world.portal;
    let admin = actor(Role::Admin);
    portal
        .room_create(
            &admin,
            json!({"name": "Imp existing", "aliases": [{"alias": "imp-existing@acme.example"}]})
                .as_object()
                .unwrap()
                .clone(),
        )
        .await
        .expect("existing room");

    let csv = "\u{feff}name,description,pin,allow_guests,guest_pin,alias_alias,alias_description,tag,call_type,participant_limit\r\n\
        Imp board,\"Board, 5th floor\",1234,true,5678,imp-board@acme.example,main,acme,video,20\r\n\
        Imp board,\"Board, 5th floor\",1234,true,5678,sip:imp-board@acme.example,,acme,video,20\r\n\
        Imp bad pin,,12ab,,,imp-pin@acme.example,,acme,,\r\n\
        Imp existing,,,,,imp-other@acme.example,,acme,,\r\n\
        Imp alias taken,,,,,imp-existing@acme.example,,acme,,\r\n\
        Imp audio,,,,,imp-audio@acme.example,,globex,audio,\r\n\
        Imp lecture,=cmd(),,,,,,,,5\r\n";
    let preview = portal
        .rooms_import_preview(&admin, csv)
        .await
        .expect("preview");
    assert_eq!(
        error_lines(&preview),
        [
            "line 4, pin: Enter digits only, optionally followed by #.",
            "line 5, name: a room named `Imp existing` already exists",
            "line 6, alias_alias: the alias `imp-existing@acme.example` already exists",
        ]
    );
    assert_eq!(preview.items.len(), 6);
    assert_eq!(preview.items[0].lines, [2, 3]);
    // The preview created nothing.
    assert_eq!(
        names_in_scope(portal, &admin, "Imp ").await,
        ["Imp existing"]
    );

    let ids = create_all(portal, &admin, &preview).await;
    assert_eq!(ids.len(), 3);
    let board = portal.room_get(&admin, ids[0]).await.expect("board");
    assert_eq!(board["description"], "Board, 5th floor");
    assert_eq!(board["allow_guests"], true);
    assert_eq!(board["participant_limit"], 20);
    let aliases: Vec<&str> = board["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["alias"].as_str().unwrap())
        .collect();
    assert_eq!(
        aliases,
        ["imp-board@acme.example", "sip:imp-board@acme.example"]
    );
    // Each creation is in the audit trail.
    let (_, created) = audit::list(
        &portal.db,
        &AuditFilter {
            action_prefix: Some("room.create".into()),
            limit: 50,
            ..AuditFilter::default()
        },
    )
    .await
    .expect("audit");
    assert_eq!(created, 4, "the existing room and three imported");

    // The export holds every room of the filter, and reads back as the same rooms: all of
    // them exist now, so every line of a re-import is refused.
    let export = portal
        .rooms_export_csv(
            &admin,
            &RoomQuery {
                name: Some("Imp ".into()),
                order_by: Some("name".into()),
                ..RoomQuery::default()
            },
        )
        .await
        .expect("export");
    let lines: Vec<&str> = export.lines().collect();
    assert!(lines[0].starts_with("name,description,pin,allow_guests,guest_pin,alias_alias"));
    assert_eq!(lines.len(), 1 + 5, "{export}");
    assert!(export.contains("Imp lecture,'=cmd(),"), "{export}");
    let again = portal
        .rooms_import_preview(&admin, &export)
        .await
        .expect("re-import preview");
    assert_eq!(again.items.len(), 4);
    assert_eq!(again.valid().count(), 0);
    assert!(
        again.items.iter().all(|room| room
            .errors
            .iter()
            .any(|e| e.message.contains("already exists"))),
        "{:?}",
        error_lines(&again)
    );
    let lecture = again
        .items
        .iter()
        .find(|r| r.name == "Imp lecture")
        .unwrap();
    assert_eq!(lecture.fields["description"], "=cmd()");
}

#[tokio::test]
async fn a_tenant_admin_imports_into_their_tenant_only() {
    let world = support::portal_over_simulator().await;
    let portal = &world.portal;
    let tenant_admin = actor(Role::TenantAdmin);
    let admin = actor(Role::Admin);
    portal
        .room_create(
            &admin,
            json!({"name": "Ten globex", "tag": "globex"})
                .as_object()
                .unwrap()
                .clone(),
        )
        .await
        .expect("another tenant's room");

    let csv = "Ten one,,,,,ten-one@acme.example,,,,,,,,,,\n\
        Ten two,,,,,ten-two@video.acme.example,,acme,,,,,,,,\n\
        Ten tagged,,,,,ten-x@acme.example,,globex,,,,,,,,\n\
        Ten outside,,,,,ten-y@globex.example,,,,,,,,,,\n\
        Ten globex,,,,,ten-z@acme.example,,,,,,,,,,\n";
    let preview = portal
        .rooms_import_preview(&tenant_admin, csv)
        .await
        .expect("preview");
    assert!(!preview.has_header);
    assert_eq!(
        error_lines(&preview),
        [
            "line 3, tag: services of your tenant must keep the tag `acme`",
            "line 4, alias_alias: `ten-y@globex.example`: aliases must end in @acme.example",
            // Names are unique on the node, whatever the tenant.
            "line 5, name: a room named `Ten globex` already exists",
        ]
    );
    let ids = create_all(portal, &tenant_admin, &preview).await;
    assert_eq!(ids.len(), 2);
    for id in ids {
        assert_eq!(portal.room_get(&admin, id).await.unwrap()["tag"], "acme");
    }

    // The tenant admin's export holds their tenant's rooms only.
    let export = portal
        .rooms_export_csv(
            &tenant_admin,
            &RoomQuery {
                name: Some("Ten ".into()),
                ..RoomQuery::default()
            },
        )
        .await
        .expect("export");
    assert!(export.contains("Ten one,"), "{export}");
    assert!(export.contains("Ten two,"), "{export}");
    assert!(!export.contains("Ten globex"), "{export}");
    assert_eq!(export.lines().count(), 3);
}

#[tokio::test]
async fn who_may_not_create_may_not_preview_and_bad_files_name_the_line() {
    let world = support::portal_over_simulator().await;
    let portal = &world.portal;
    for role in [Role::Helpdesk, Role::User] {
        assert!(
            matches!(
                portal.rooms_import_preview(&actor(role), "name\nX\n").await,
                Err(BffError::Forbidden)
            ),
            "{role}"
        );
    }
    match portal
        .rooms_import_preview(&actor(Role::Admin), "name,description\nA,\"never closed\n")
        .await
    {
        Err(BffError::Invalid(fields)) => assert_eq!(
            fields["__all__"],
            [
                "line 2: a quoted cell is never closed (a \" inside a quoted cell must be doubled: \"\")"
            ]
        ),
        other => panic!("{other:?}"),
    }
    // An end user may export what they see: their own rooms (none here).
    let export = portal
        .rooms_export_csv(&actor(Role::User), &RoomQuery::default())
        .await
        .expect("export");
    assert_eq!(export.lines().count(), 1);
}
