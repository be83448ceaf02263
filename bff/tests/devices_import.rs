//! Device aliases CSV import and export through the BFF against the Pexip simulator over HTTPS
//! and a real SQLite accounts database: the preview checks every line (schema, duplicates in the
//! file, aliases of other tenants, the tenant's tag and domains) and says per line whether it
//! creates, changes or leaves a device alias, writing nothing; the valid lines are then sent one
//! by one through `device_create` / `device_update` (each policy-checked and audited, passwords
//! masked); the export pages through everything in scope, writes passwords only in the node's
//! encrypted form, and imports again as "unchanged".

mod support;

use bff::accounts::Role;
use bff::audit::{self, AuditFilter};
use bff::bulk::columns::DEVICE_EXPORT_COLUMNS;
use bff::bulk::{ImportAction, ImportPreview};
use bff::gateway::BffError;
use bff::portal::{Actor, Portal};
use bff::requests::DeviceQuery;
use serde_json::{Map, Value, json};

fn actor(role: Role) -> Actor {
    support::acme_actor(role)
}

fn fields(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

fn error_lines(preview: &ImportPreview) -> Vec<String> {
    preview.errors().iter().map(|e| e.to_string()).collect()
}

/// Sends the items of a preview one at a time, as the import page does.
async fn send_all(portal: &Portal, who: &Actor, preview: &ImportPreview) {
    for item in preview.to_send() {
        let sent = match item.action {
            ImportAction::Create => portal
                .device_create(who, item.fields.clone())
                .await
                .map(drop),
            ImportAction::Update { id } => portal.device_update(who, id, item.fields.clone()).await,
            ImportAction::Unchanged { .. } => Ok(()),
        };
        sent.unwrap_or_else(|error| panic!("sending {}: {error}", item.name));
    }
}

async fn export(portal: &Portal, who: &Actor) -> Vec<Vec<String>> {
    let csv = portal
        .devices_export_csv(who, &DeviceQuery::default())
        .await
        .expect("export");
    csv.trim_end()
        .split("\r\n")
        .map(|line| line.split(',').map(String::from).collect())
        .collect()
}

#[tokio::test]
async fn a_tenant_admin_imports_creates_and_changes_within_the_tenant_then_exports() {
    let world = support::portal_over_simulator().await;
    let portal = &world.portal;
    let admin = actor(Role::Admin);
    let tenant = actor(Role::TenantAdmin);
    let desk = portal
        .device_create(
            &admin,
            fields(
                json!({"alias": "desk@acme.example", "tag": "acme", "description": "Desk",
                          "username": "desk", "password": "desk-s3cret"}),
            ),
        )
        .await
        .unwrap();
    let lobby = portal
        .device_create(
            &admin,
            fields(json!({"alias": "lobby@globex.example", "tag": "globex"})),
        )
        .await
        .unwrap();

    // v14 order without a header: alias,tag,description,username,password,owner.
    let csv = "new@acme.example,,New desk,new,new-s3cret,it@acme.example\n\
        desk@acme.example,acme,Front desk,desk,,\n\
        lobby@globex.example,,Taken,,,\n\
        out@globex.example,,Outside,,,\n\
        desk@acme.example,,Twice,,,\n\
        bad@acme.example,globex,Other tag,,,\n";
    let preview = portal.devices_import_preview(&tenant, csv).await.unwrap();
    assert!(!preview.has_header);
    assert_eq!(
        error_lines(&preview),
        [
            "line 3, alias: the alias `lobby@globex.example` already exists",
            "line 4, alias: `out@globex.example`: aliases must end in @acme.example",
            "line 5, alias: the alias `desk@acme.example` is already on line 2",
            "line 6, tag: services of your tenant must keep the tag `acme`",
        ]
    );
    let actions: Vec<ImportAction> = preview.valid().map(|item| item.action).collect();
    assert_eq!(
        actions,
        [ImportAction::Create, ImportAction::Update { id: desk }]
    );
    assert_eq!(
        preview.items[0].fields["tag"], "acme",
        "the tenant's tag is forced"
    );
    assert_eq!(
        Value::Object(preview.items[1].fields.clone()),
        json!({"description": "Front desk"}),
        "only what differs is changed"
    );
    // The check wrote nothing.
    let before = export(portal, &admin).await;
    assert_eq!(before.len(), 3, "{before:?}");

    send_all(portal, &tenant, &preview).await;
    let desk_now = portal.device_get(&admin, desk).await.unwrap();
    assert_eq!(desk_now["description"], "Front desk");
    let lobby_now = portal.device_get(&admin, lobby).await.unwrap();
    assert_ne!(
        lobby_now["description"], "Taken",
        "another tenant's device is untouched"
    );

    // Audited: one creation and one change by the tenant admin, under the tenant, with the
    // password masked.
    let (events, total) = audit::list(
        &portal.db,
        &AuditFilter {
            action_prefix: Some("device.".into()),
            username: Some(tenant.principal.username.clone()),
            limit: 50,
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    let mut actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(total, 2, "{actions:?}");
    assert_eq!(actions, ["device.create", "device.update"]);
    assert!(
        events
            .iter()
            .all(|e| e.tenant.as_deref() == Some("acme") && e.result == "ok")
    );
    let trail =
        serde_json::to_string(&events.iter().map(|e| &e.changes).collect::<Vec<_>>()).unwrap();
    assert!(!trail.contains("new-s3cret"), "{trail}");

    // The tenant's export: its two devices only, v14 columns first, passwords encrypted.
    let rows = export(portal, &tenant).await;
    assert_eq!(rows[0], DEVICE_EXPORT_COLUMNS);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let aliases: Vec<&str> = rows[1..].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(aliases, ["desk@acme.example", "new@acme.example"]);
    let text = rows.concat().join(",");
    assert!(
        !text.contains("s3cret"),
        "a clear password left the portal: {text}"
    );
    let password = &rows[2][4];
    assert!(password.starts_with("$~!1"), "{password}");

    // The export imports again as "unchanged" (the encrypted password is the stored one).
    let csv = portal
        .devices_export_csv(&tenant, &DeviceQuery::default())
        .await
        .unwrap();
    let again = portal.devices_import_preview(&tenant, &csv).await.unwrap();
    assert!(again.has_header);
    assert_eq!(error_lines(&again), Vec::<String>::new());
    assert_eq!(again.count(ImportAction::is_unchanged), 2);
    assert_eq!(again.to_send().count(), 0);
}

#[tokio::test]
async fn headers_refusals_and_unreadable_files() {
    let world = support::portal_over_simulator().await;
    let portal = &world.portal;
    let admin = actor(Role::Admin);

    // A header in any order, with device settings beyond the v14 columns and an unknown column.
    let csv = "enable_sip,ALIAS,colour,enable_h323\nno,room1@example.com,blue,maybe\nfalse,room2@example.com,red,true\n";
    let preview = portal.devices_import_preview(&admin, csv).await.unwrap();
    assert_eq!(preview.ignored_columns, ["colour"]);
    assert_eq!(
        error_lines(&preview),
        ["line 2, enable_h323: `maybe` is not a yes/no value (true or false)"]
    );
    send_all(portal, &admin, &preview).await;
    let page = portal
        .devices_list(
            &admin,
            &DeviceQuery {
                alias: Some("room2@".into()),
                limit: 10,
                ..DeviceQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.objects.len(), 1);
    assert_eq!(page.objects[0]["enable_sip"], false);

    // Helpdesk and end users may neither import nor export device aliases.
    for role in [Role::Helpdesk, Role::User] {
        assert!(matches!(
            portal.devices_import_preview(&actor(role), csv).await,
            Err(BffError::Forbidden)
        ));
        assert!(matches!(
            portal
                .devices_export_csv(&actor(role), &DeviceQuery::default())
                .await,
            Err(BffError::Forbidden)
        ));
    }

    match portal
        .devices_import_preview(&admin, "alias,description\nx@example.com,\"never closed\n")
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
    match portal.devices_import_preview(&admin, "alias\n").await {
        Err(BffError::Invalid(fields)) => assert_eq!(
            fields["__all__"],
            ["the file holds no device aliases, only a header"]
        ),
        other => panic!("{other:?}"),
    }
}
