//! The role matrix: every role × every public operation of the BFF gateway × an object of the
//! actor's own tenant (or their own room) and one of another tenant, against the Pexip simulator
//! over HTTPS and a real SQLite accounts database. Each cell states the outcome the policy must
//! produce, and the audit trail must hold exactly one entry (with the operation's action) per
//! audited operation that passed the policy, and none for a refused one.
//!
//! `own`/`other` is the actor's tenant or own room against another tenant's for room operations;
//! for device aliases it is a device of the actor's tenant against another tenant's; for the
//! forms it is a room form against a configuration-browser form; for portal-wide objects
//! (backups, licences, configuration, accounts, tenants, the audit trail) both cells use the same
//! kind of object. [`gateway_operations_all_have_matrix_rows`] fails when a `pub async fn`
//! appears in `bff/src/gateway` without a row here.

mod support;

use bff::accounts::{AccountUpdate, NewAccount, Principal, Role};
use bff::db::testing::{TestDataDir, TestDatabase};
use bff::gateway::{BffError, CallCommand};
use bff::portal::{Actor, Portal};
use bff::requests::{DeviceQuery, RoomQuery};
use bff::tenants::{Tenant, TenantInput};
use serde_json::{Map, Value, json};
use simulator::RunningSim;
use std::collections::BTreeSet;

/// How an operation ended, as far as authorization is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Passed the policy (the upstream answer may still be an error of its own, e.g. an unknown
    /// conference: what matters is that the policy let it through).
    Allowed,
    Forbidden,
    NotFound,
    /// Refused by the policy at a field (e.g. moving a room out of a tenant) or by a portal rule
    /// before anything was done (e.g. an admin disabling themselves).
    Refused,
}

/// Fields at which the policy refuses room changes.
const POLICY_FIELDS: [&str; 3] = ["tag", "aliases", "automatic_participants"];

/// The outcome of one cell; `audited` says whether the operation wrote to the audit trail
/// (a validation error from the node is written, a refusal before the node is asked is not).
fn outcome(result: Result<(), BffError>, audited: bool, audit_row: bool) -> Outcome {
    match result {
        Ok(()) => Outcome::Allowed,
        Err(BffError::Forbidden) => Outcome::Forbidden,
        Err(BffError::NotFound) => Outcome::NotFound,
        Err(BffError::Invalid(fields)) if POLICY_FIELDS.iter().any(|f| fields.contains_key(*f)) => {
            Outcome::Refused
        }
        Err(BffError::Invalid(_)) if audit_row && !audited => Outcome::Refused,
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
    acme_device: u64,
    globex_device: u64,
    /// An LDAP conference sync template (for "Sync now").
    template: u64,
    location: String,
    /// A participant in a conference in progress (in the acme room).
    participant: String,
    backup: String,
    /// The backup's file, downloaded into a folder of its own (a restore reads it from disk).
    backup_package: std::path::PathBuf,
    _backup_dir: TestDataDir,
}

const BACKUP_PASSPHRASE: &str = "matrix backup passphrase";
const PASSWORD: &str = "correct horse battery staple";

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

fn admin() -> Actor {
    actor(Role::Admin)
}

async fn world() -> World {
    let support::SimPortal {
        sim,
        db: db_handle,
        portal,
    } = support::portal_over_simulator().await;
    let acme_room = create_room(
        &portal,
        "Acme room",
        "acme",
        "alice@acme.example",
        "acme-room@acme.example",
    )
    .await;
    let globex_room = create_room(
        &portal,
        "Globex room",
        "globex",
        "bob@globex.example",
        "globex-room@globex.example",
    )
    .await;
    let acme_device = create_device(&portal, "matrix-desk@acme.example", "acme").await;
    let globex_device = create_device(&portal, "matrix-desk@globex.example", "globex").await;
    let template = create_sync_template(&portal).await;
    let location = create_location(&portal, "Matrix location").await;
    let participant = dial_participant(&portal, &location).await;
    let backup = create_backup(&portal).await;
    let mut download = portal
        .backup_download(&admin(), &backup)
        .await
        .expect("admin downloads the backup");
    let mut bytes = Vec::new();
    while let Some(chunk) = download.chunk().await.expect("the backup's bytes") {
        bytes.extend_from_slice(&chunk);
    }
    let backup_dir = TestDataDir::create().expect("a temporary folder");
    let backup_package = backup_dir.path().join(&backup);
    std::fs::write(&backup_package, bytes).expect("the backup saved");
    World {
        _sim: sim,
        _db: db_handle,
        portal,
        acme_room,
        globex_room,
        acme_device,
        globex_device,
        template,
        location,
        participant,
        backup,
        backup_package,
        _backup_dir: backup_dir,
    }
}

async fn create_room(portal: &Portal, name: &str, tag: &str, owner: &str, alias: &str) -> u64 {
    let fields = json!({
        "name": name, "service_type": "conference", "tag": tag,
        "primary_owner_email_address": owner, "aliases": [{"alias": alias}],
    });
    portal
        .room_create(&admin(), object(fields))
        .await
        .expect("admin creates a room")
}

async fn create_device(portal: &Portal, alias: &str, tag: &str) -> u64 {
    portal
        .device_create(
            &admin(),
            object(json!({ "alias": alias, "tag": tag, "description": "Matrix device" })),
        )
        .await
        .expect("admin creates a device alias")
}

/// An LDAP sync source and a conference sync template reading it; returns the template's id.
async fn create_sync_template(portal: &Portal) -> u64 {
    let source = portal
        .platform_create(
            &admin(),
            "ldap_sync_source",
            object(
                json!({"name": "Matrix directory", "ldap_server": "ldap.example.com",
                          "ldap_base_dn": "dc=example,dc=com"}),
            ),
        )
        .await
        .expect("admin creates an LDAP sync source");
    let template = portal
        .platform_create(
            &admin(),
            "conference_sync_template",
            object(
                json!({"name": "Matrix template", "ldap_sync_source": source,
                          "conference_name": "Matrix sync {{uid}}", "tag": "matrix-sync"}),
            ),
        )
        .await
        .expect("admin creates a sync template");
    last_segment(&template).parse().expect("a numeric id")
}

/// A new system location; returns its id.
async fn create_location(portal: &Portal, name: &str) -> String {
    let uri = portal
        .platform_create(&admin(), "system_location", object(json!({ "name": name })))
        .await
        .expect("admin creates a location");
    last_segment(&uri)
}

/// Puts a Conferencing Node and a licence in the location and dials someone into the acme room;
/// returns the participant's id.
async fn dial_participant(portal: &Portal, location: &str) -> String {
    portal
        .platform_create(
            &admin(),
            "worker_vm",
            object(json!({
                "name": "px-matrix-01", "hostname": "px-matrix-01", "domain": "example.com",
                "address": "10.9.0.11", "netmask": "255.255.255.0", "gateway": "10.9.0.1",
                "system_location": format!("/api/admin/configuration/v1/system_location/{location}/"),
                "deployment_type": "MANUAL-PROVISION-ONLY",
            })),
        )
        .await
        .expect("admin adds a Conferencing Node");
    portal
        .licence_add(&admin(), "1000-0000-0000-0000")
        .await
        .expect("admin adds a port licence");
    let data = portal
        .call_control(
            &admin(),
            &CallCommand::Dial {
                conference_alias: "acme-room@acme.example".into(),
                destination: "sip:carol@example.com".into(),
                role: "guest".into(),
                protocol: Some("sip".into()),
                system_location: Some("Matrix location".into()),
                remote_display_name: None,
            },
        )
        .await
        .expect("admin dials a participant");
    data["participant_id"]
        .as_str()
        .expect("the dialled participant's id")
        .to_string()
}

/// A new backup; returns its file name.
async fn create_backup(portal: &Portal) -> String {
    portal
        .backup_create(&admin(), BACKUP_PASSPHRASE)
        .await
        .expect("admin creates a backup");
    let list = portal.backups_list(&admin()).await.expect("backups");
    list.objects
        .last()
        .and_then(|b| b["filename"].as_str())
        .expect("the new backup is listed")
        .to_string()
}

fn last_segment(uri: &str) -> String {
    pexip::uri_id(uri).to_string()
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

/// One row of the matrix: a gateway function (optionally `function:variant`) and the audit
/// action it writes when the policy lets it through (`None` for reads that are not audited).
struct Row {
    name: &'static str,
    audit: Option<&'static str>,
}

const fn row(name: &'static str, audit: Option<&'static str>) -> Row {
    Row { name, audit }
}

const ROWS: [Row; 66] = [
    row("rooms_list", None),
    row("rooms_list_raw", None),
    row("room_get", None),
    row("room_create", Some("room.create")),
    row("room_update", Some("room.update")),
    row("room_update:tag", Some("room.update")),
    row("room_delete", Some("room.delete")),
    row("room_send_email", Some("room.send_email")),
    row("room_participants", None),
    row("room_participant_add", Some("room.participant.add")),
    row("room_participant_remove", Some("room.participant.remove")),
    row("form_schema", None),
    row("form_schema:participant", None),
    row("form_options", None),
    row("rooms_import_preview", None),
    row("rooms_export_csv", None),
    row("devices_list", None),
    row("device_get", None),
    row("device_create", Some("device.create")),
    row("device_update", Some("device.update")),
    row("device_delete", Some("device.delete")),
    row("devices_import_preview", None),
    row("devices_export_csv", None),
    row("template_sync_start", Some("template.sync")),
    row("template_sync_status", None),
    row("live_list", None),
    row("live_media_streams", None),
    row("call_control", Some("call.conference.lock")),
    row("history_list", None),
    row("backups_list", None),
    row("backup_create", Some("backup.create")),
    row("backup_download", Some("backup.download")),
    row("backup_restore", Some("backup.restore")),
    row("backup_delete", Some("backup.delete")),
    row("licences_list", None),
    row("licensing_status", None),
    row("licence_add", Some("licence.add")),
    row("licence_remove", Some("licence.remove")),
    row("licence_requests_list", None),
    row("licence_request_document", None),
    row("licence_offline_activate", Some("licence.offline_activate")),
    row("licence_offline_return", Some("licence.offline_return")),
    row("licence_offline_complete", Some("licence.offline_complete")),
    row("platform_resources", None),
    row("platform_schema", None),
    row("platform_list", None),
    row("platform_get", None),
    row("platform_create", Some("config.system_location.create")),
    row("platform_update", Some("config.system_location.update")),
    row("platform_delete", Some("config.system_location.delete")),
    row("config_file_upload", Some("config.file_upload")),
    row("certificates_import", Some("certificates.import")),
    row("start_cloud_node", Some("platform.start_cloudnode")),
    row("audit_list", None),
    row("accounts_list", None),
    row("account_create", Some("account.create")),
    row("account_update", Some("account.update")),
    row("account_update:self", Some("account.update")),
    row("account_set_password", Some("account.password")),
    row("account_end_sessions", Some("account.end_sessions")),
    row("account_delete", Some("account.delete")),
    row("account_delete:self", Some("account.delete")),
    row("tenants_list", None),
    row("tenant_create", Some("tenant.create")),
    row("tenant_update", Some("tenant.update")),
    row("tenant_delete", Some("tenant.delete")),
];

/// A name unique to one cell, for objects a cell creates.
fn cell_name(prefix: &str, who: &Actor, own: bool) -> String {
    format!(
        "{prefix}-{}-{}",
        who.principal.role.as_str().replace('_', "-"),
        if own { "own" } else { "other" }
    )
}

/// A valid entitlement key unique to one cell.
fn entitlement_key(salt: u16, who: &Actor, own: bool) -> String {
    format!(
        "{salt:04X}-{:04X}-0B7E-D415",
        (who.principal.role as u16) * 2 + u16::from(own)
    )
}

/// Adds the licence `key` online as an admin; answers its fulfillment id.
async fn add_licence(p: &Portal, key: &str) -> String {
    p.licence_add(&admin(), key)
        .await
        .expect("admin adds a licence");
    let list = p.licences_list(&admin()).await.expect("licences");
    list.objects
        .iter()
        .find(|l| l["entitlement_id"] == key)
        .and_then(|l| l["fulfillment_id"].as_str())
        .expect("the new licence is listed")
        .to_string()
}

async fn new_account(world: &World, name: String) -> i64 {
    world
        .portal
        .account_create(
            &admin(),
            &NewAccount {
                username: name,
                password: PASSWORD.into(),
                role: Role::Helpdesk,
                tenant_id: None,
                email: None,
            },
        )
        .await
        .expect("admin creates an account")
        .id
}

fn tenant_input(name: &str) -> TenantInput {
    TenantInput {
        name: name.to_uppercase(),
        tag: name.into(),
        alias_domains: vec![format!("{name}.example")],
    }
}

async fn new_tenant(world: &World, name: &str) -> i64 {
    world
        .portal
        .tenant_create(&admin(), &tenant_input(name))
        .await
        .expect("admin creates a tenant")
        .id
}

/// What a cell acts on, made by the admin before the cell runs (so that the audit trail's
/// count before the cell leaves these out).
#[derive(Default)]
struct Target {
    id: u64,
    key: String,
}

async fn prepare(world: &World, who: &Actor, operation: &str, own: bool) -> Target {
    let p = &world.portal;
    let room = if own {
        world.acme_room
    } else {
        world.globex_room
    };
    match operation {
        "room_delete" => {
            let (tag, owner, domain) = if own {
                ("acme", "alice@acme.example", "acme.example")
            } else {
                ("globex", "bob@globex.example", "globex.example")
            };
            let name = cell_name("victim", who, own);
            let id = create_room(p, &name, tag, owner, &format!("{name}@{domain}")).await;
            Target {
                id,
                ..Target::default()
            }
        }
        "room_participant_remove" => {
            let alias = format!("{}@example.com", cell_name("dialled", who, own));
            let uri = p
                .room_participant_add(
                    &admin(),
                    room,
                    object(json!({ "alias": alias, "role": "chair" })),
                )
                .await
                .expect("admin adds a participant");
            Target {
                id: last_segment(&uri).parse().expect("a numeric id"),
                ..Target::default()
            }
        }
        "device_delete" => {
            let (tag, domain) = if own {
                ("acme", "acme.example")
            } else {
                ("globex", "globex.example")
            };
            let alias = format!("{}@{domain}", cell_name("victim", who, own));
            Target {
                id: create_device(p, &alias, tag).await,
                ..Target::default()
            }
        }
        "backup_delete" => Target {
            key: create_backup(p).await,
            ..Target::default()
        },
        "licence_remove" => {
            let key = entitlement_key(0x5A00, who, own);
            Target {
                key: add_licence(p, &key).await,
                ..Target::default()
            }
        }
        "licence_offline_return" => {
            let key = entitlement_key(0x7A00, who, own);
            Target {
                key: add_licence(p, &key).await,
                ..Target::default()
            }
        }
        // A pending offline activation, made by an admin.
        "licence_request_document" | "licence_offline_complete" => {
            let salt = if operation == "licence_request_document" {
                0x8A00
            } else {
                0x9A00
            };
            let sequence = p
                .licence_offline_activate(&admin(), &entitlement_key(salt, who, own))
                .await
                .expect("admin asks for an offline activation");
            Target {
                key: sequence,
                ..Target::default()
            }
        }
        "platform_delete" => Target {
            key: create_location(p, &cell_name("Victim location", who, own)).await,
            ..Target::default()
        },
        "account_update" | "account_set_password" | "account_end_sessions" | "account_delete" => {
            Target {
                id: new_account(world, cell_name(operation, who, own)).await as u64,
                ..Target::default()
            }
        }
        "tenant_update" | "tenant_delete" => Target {
            id: new_tenant(world, &cell_name(&operation.replace('_', "-"), who, own)).await as u64,
            ..Target::default()
        },
        _ => Target::default(),
    }
}

/// Runs one cell's operation.
async fn run(
    world: &World,
    who: &Actor,
    operation: &str,
    own: bool,
    target: &Target,
) -> Result<(), BffError> {
    let p = &world.portal;
    let room = if own {
        world.acme_room
    } else {
        world.globex_room
    };
    let device = if own {
        world.acme_device
    } else {
        world.globex_device
    };
    let tenant_tag = if own { "acme" } else { "globex" };
    let rooms_page = RoomQuery {
        limit: 50,
        ..RoomQuery::default()
    };
    match operation {
        "rooms_list" => p.rooms_list(who, &rooms_page).await.map(drop),
        "rooms_list_raw" => p.rooms_list_raw(who, &rooms_page).await.map(drop),
        "room_get" => p.room_get(who, room).await.map(drop),
        "room_create" => {
            let fields = json!({"name": cell_name("New", who, own), "service_type": "conference",
                                "tag": tenant_tag,
                                "aliases": [{"alias": format!("{}@{tenant_tag}.example", cell_name("new", who, own))}]});
            p.room_create(who, object(fields)).await.map(drop)
        }
        "room_update" => {
            p.room_update(who, room, object(json!({"description": "changed"})))
                .await
        }
        "room_update:tag" => {
            p.room_update(who, room, object(json!({"tag": "elsewhere"})))
                .await
        }
        "room_delete" => p.room_delete(who, target.id).await,
        "room_send_email" => p.room_send_email(who, room).await.map(drop),
        "room_participants" => p.room_participants(who, room).await.map(drop),
        "room_participant_add" => {
            let alias = format!("{}@example.com", cell_name("added", who, own));
            p.room_participant_add(
                who,
                room,
                object(json!({ "alias": alias, "role": "chair" })),
            )
            .await
            .map(drop)
        }
        "room_participant_remove" => p.room_participant_remove(who, room, target.id).await,
        "form_schema" => {
            let resource = if own { "conference" } else { "system_location" };
            p.form_schema(who, resource).await.map(drop)
        }
        "form_schema:participant" => p.form_schema(who, "automatic_participant").await.map(drop),
        "form_options" => {
            let (resource, field) = if own {
                ("conference", "ivr_theme")
            } else {
                ("conference_alias", "conference")
            };
            p.form_options(who, resource, field, "", 10).await.map(drop)
        }
        "rooms_import_preview" => {
            let name = cell_name("Imported", who, own);
            let csv = format!(
                "name,alias_alias,tag\n{name},{}@{tenant_tag}.example,{tenant_tag}\n",
                name.to_lowercase()
            );
            p.rooms_import_preview(who, &csv).await.map(drop)
        }
        "rooms_export_csv" => p
            .rooms_export_csv(who, &RoomQuery::default())
            .await
            .map(drop),
        "devices_list" => p
            .devices_list(
                who,
                &DeviceQuery {
                    limit: 50,
                    ..DeviceQuery::default()
                },
            )
            .await
            .map(drop),
        "device_get" => p.device_get(who, device).await.map(drop),
        "device_create" => {
            let alias = format!("{}@{tenant_tag}.example", cell_name("new-desk", who, own));
            p.device_create(who, object(json!({ "alias": alias, "tag": tenant_tag })))
                .await
                .map(drop)
        }
        "device_update" => {
            p.device_update(who, device, object(json!({ "description": "changed" })))
                .await
        }
        "device_delete" => p.device_delete(who, target.id).await,
        "devices_import_preview" => {
            let alias = format!(
                "{}@{tenant_tag}.example",
                cell_name("imported-desk", who, own)
            );
            let csv = format!("alias,tag\n{alias},{tenant_tag}\n");
            p.devices_import_preview(who, &csv).await.map(drop)
        }
        "devices_export_csv" => p
            .devices_export_csv(who, &DeviceQuery::default())
            .await
            .map(drop),
        "template_sync_start" => p.template_sync_start(who, world.template).await,
        "template_sync_status" => p.template_sync_status(who, world.template).await.map(drop),
        "live_list" => p.live_list(who, "conference", &[], 10, 0).await.map(drop),
        "live_media_streams" => p
            .live_media_streams(who, &world.participant)
            .await
            .map(drop),
        "call_control" => p
            .call_control(
                who,
                &CallCommand::Lock {
                    conference_id: "00000000-0000-0000-0000-000000000001".into(),
                },
            )
            .await
            .map(drop),
        "history_list" => p
            .history_list(who, "conference", &[], Some("-start_time"), 10, 0)
            .await
            .map(drop),
        "backups_list" => p.backups_list(who).await.map(drop),
        "backup_create" => p.backup_create(who, BACKUP_PASSPHRASE).await.map(drop),
        "backup_download" => p.backup_download(who, &world.backup).await.map(drop),
        "backup_restore" => p
            .backup_restore(who, &world.backup, &world.backup_package, BACKUP_PASSPHRASE)
            .await
            .map(drop),
        "backup_delete" => p.backup_delete(who, &target.key).await,
        "licences_list" => p.licences_list(who).await.map(drop),
        "licensing_status" => p.licensing_status(who).await.map(drop),
        "licence_add" => p.licence_add(who, &entitlement_key(0x3A00, who, own)).await,
        "licence_remove" => p.licence_remove(who, &target.key).await,
        "licence_requests_list" => p.licence_requests_list(who).await.map(drop),
        "licence_request_document" => p.licence_request_document(who, &target.key).await.map(drop),
        "licence_offline_activate" => p
            .licence_offline_activate(who, &entitlement_key(0x6A00, who, own))
            .await
            .map(drop),
        "licence_offline_return" => p.licence_offline_return(who, &target.key).await.map(drop),
        "licence_offline_complete" => {
            p.licence_offline_complete(who, &target.key, "<LicenseResponse/>")
                .await
        }
        "platform_resources" => p.platform_resources(who).await.map(drop),
        "platform_schema" => p.platform_schema(who, "system_location").await.map(drop),
        "platform_list" => p
            .platform_list(who, "system_location", 10, 0)
            .await
            .map(drop),
        "platform_get" => p
            .platform_get(who, "system_location", &world.location)
            .await
            .map(drop),
        "platform_create" => p
            .platform_create(
                who,
                "system_location",
                object(json!({ "name": cell_name("New location", who, own) })),
            )
            .await
            .map(drop),
        "platform_update" => {
            p.platform_update(
                who,
                "system_location",
                &world.location,
                object(json!({ "description": cell_name("changed", who, own) })),
            )
            .await
        }
        "platform_delete" => p.platform_delete(who, "system_location", &target.key).await,
        // The backup file is no theme package: the node refuses it, after the policy.
        "config_file_upload" => {
            // A theme of its own to upload to (made straight on the node, outside the policy).
            let theme = p
                .pexip
                .create(
                    pexip::client::Api::Configuration,
                    "ivr_theme",
                    &json!({ "name": cell_name("Theme", who, own) }),
                )
                .await
                .expect("a theme to upload to");
            p.config_file_upload(
                who,
                "ivr_theme",
                &theme.id.to_string(),
                "package",
                "t.zip",
                &world.backup_package,
            )
            .await
        }
        // Nor a certificate bundle.
        "certificates_import" => p
            .certificates_import(who, "b.pem", &world.backup_package, "")
            .await
            .map(drop),
        // An instance id the node does not know: the node refuses it, after the policy.
        "start_cloud_node" => p.start_cloud_node(who, "i-00000000").await,
        "audit_list" => p
            .audit_list(
                who,
                &bff::audit::AuditFilter {
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        "accounts_list" => p.accounts_list(who).await.map(drop),
        "account_create" => p
            .account_create(
                who,
                &NewAccount {
                    username: cell_name("created", who, own),
                    password: PASSWORD.into(),
                    role: Role::Helpdesk,
                    tenant_id: None,
                    email: None,
                },
            )
            .await
            .map(drop),
        "account_update" => p
            .account_update(
                who,
                target.id as i64,
                &AccountUpdate {
                    disabled: Some(true),
                    ..AccountUpdate::default()
                },
            )
            .await
            .map(drop),
        // Disabling oneself is refused to everyone who may manage accounts.
        "account_update:self" => p
            .account_update(
                who,
                who.principal.account_id,
                &AccountUpdate {
                    disabled: Some(true),
                    ..AccountUpdate::default()
                },
            )
            .await
            .map(drop),
        "account_set_password" => {
            p.account_set_password(who, target.id as i64, "another long password")
                .await
        }
        "account_end_sessions" => p.account_end_sessions(who, target.id as i64).await,
        "account_delete" => p.account_delete(who, target.id as i64).await,
        "account_delete:self" => p.account_delete(who, who.principal.account_id).await,
        "tenants_list" => p.tenants_list(who).await.map(drop),
        "tenant_create" => p
            .tenant_create(who, &tenant_input(&cell_name("created", who, own)))
            .await
            .map(drop),
        "tenant_update" => p
            .tenant_update(
                who,
                target.id as i64,
                &tenant_input(&cell_name("renamed", who, own)),
            )
            .await
            .map(drop),
        "tenant_delete" => p.tenant_delete(who, target.id as i64).await,
        other => panic!("no operation {other}"),
    }
}

/// The expected outcome of one cell.
fn expected(role: Role, operation: &str, own: bool) -> Outcome {
    use Outcome::*;
    let scoped = |inside: Outcome| if own { inside } else { NotFound };
    match (role, operation) {
        // Admins may do everything but lock themselves out.
        (Role::Admin, "account_update:self" | "account_delete:self") => Refused,
        (Role::Admin, _) => Allowed,
        (
            Role::Helpdesk,
            "rooms_list"
            | "rooms_list_raw"
            | "room_get"
            | "room_send_email"
            | "room_participants"
            | "rooms_export_csv"
            | "live_list"
            | "live_media_streams"
            | "call_control"
            | "history_list"
            | "form_schema:participant",
        ) => Allowed,
        // The room form, not the configuration browser's.
        (Role::Helpdesk, "form_schema") => {
            if own {
                Allowed
            } else {
                Forbidden
            }
        }
        (Role::Helpdesk, _) => Forbidden,
        (
            Role::TenantAdmin,
            "rooms_list"
            | "rooms_list_raw"
            | "rooms_export_csv"
            | "audit_list"
            | "rooms_import_preview"
            | "form_schema:participant"
            | "devices_list"
            | "devices_export_csv"
            // The preview itself is allowed; a line outside the tenant is an error of its own.
            | "devices_import_preview",
        ) => Allowed,
        // Their tenant's device aliases; another tenant's do not exist for them.
        (Role::TenantAdmin, "device_get" | "device_update" | "device_delete") => scoped(Allowed),
        // A tenant admin cannot create a device alias in another tenant.
        (Role::TenantAdmin, "device_create") => {
            if own {
                Allowed
            } else {
                Refused
            }
        }
        (
            Role::TenantAdmin,
            "room_get"
            | "room_update"
            | "room_delete"
            | "room_send_email"
            | "room_participants"
            | "room_participant_add"
            | "room_participant_remove",
        ) => scoped(Allowed),
        // Moving a room out of the tenant is refused; another tenant's room does not exist.
        (Role::TenantAdmin, "room_update:tag") => scoped(Refused),
        // A tenant admin cannot create into another tenant.
        (Role::TenantAdmin, "room_create") => {
            if own {
                Allowed
            } else {
                Refused
            }
        }
        // Room forms yes, configuration forms no.
        (Role::TenantAdmin, "form_schema" | "form_options") => {
            if own {
                Allowed
            } else {
                Forbidden
            }
        }
        // Their tenant's conferences (the list is filtered); call control only when the policy
        // grants it (not by default).
        (Role::TenantAdmin, "live_list" | "live_media_streams") => Allowed,
        (Role::TenantAdmin, _) => Forbidden,
        (Role::User, "rooms_list" | "rooms_list_raw" | "rooms_export_csv") => Allowed,
        (Role::User, "room_get" | "room_update" | "room_send_email" | "room_participants") => {
            scoped(Allowed)
        }
        // Owners change only their editable fields: not the tag, not the participants.
        (Role::User, "room_update:tag" | "room_participant_add" | "room_participant_remove") => {
            scoped(Refused)
        }
        // Their room's form (only the editable fields); no configuration forms, and no
        // picker options for fields they may not change.
        (Role::User, "form_schema") => {
            if own {
                Allowed
            } else {
                Forbidden
            }
        }
        // The conferences of their own rooms (the participant is in alice's room; the list is
        // filtered); host controls reach only their conferences, and an unknown one is not found.
        (Role::User, "live_list" | "live_media_streams") => Allowed,
        (Role::User, "call_control") => NotFound,
        (Role::User, _) => Forbidden,
    }
}

/// The newest audit events (newest first) and their total count.
async fn trail(world: &World) -> (Vec<bff::audit::AuditEvent>, i64) {
    world
        .portal
        .audit_list(
            &admin(),
            &bff::audit::AuditFilter {
                limit: 5,
                ..Default::default()
            },
        )
        .await
        .expect("the audit trail")
}

#[tokio::test]
async fn every_role_can_do_exactly_what_it_should() {
    let world = world().await;
    let mut mismatches = Vec::new();
    let mut cells = 0;
    for role in Role::ALL {
        let who = actor(role);
        for row in &ROWS {
            for own in [true, false] {
                let target = prepare(&world, &who, row.name, own).await;
                let (_, before) = trail(&world).await;
                let result = run(&world, &who, row.name, own, &target).await;
                let (events, after) = trail(&world).await;
                if row.name == "room_update:tag" {
                    // Put the room back where it was for the cells that follow.
                    let tag = if own { "acme" } else { "globex" };
                    let room = if own {
                        world.acme_room
                    } else {
                        world.globex_room
                    };
                    world
                        .portal
                        .room_update(&admin(), room, object(json!({ "tag": tag })))
                        .await
                        .expect("restore the tag");
                }
                let written = after - before;
                let got = outcome(result, written > 0, row.audit.is_some());
                cells += 1;
                let cell = format!("{role} {} own={own}", row.name);
                let want = expected(role, row.name, own);
                if got != want {
                    mismatches.push(format!("{cell}: got {got:?}, want {want:?}"));
                }
                match (row.audit, got) {
                    (Some(action), Outcome::Allowed) => {
                        let newest = &events[0];
                        if written != 1
                            || newest.action != action
                            || newest.username != who.principal.username
                        {
                            mismatches.push(format!(
                                "{cell}: {written} audit entries, newest {} by {}; want one {action}",
                                newest.action, newest.username
                            ));
                        }
                    }
                    _ if written != 0 => mismatches.push(format!(
                        "{cell}: {written} audit entries for a read or a refusal"
                    )),
                    _ => {}
                }
            }
        }
    }
    assert_eq!(cells, 4 * ROWS.len() * 2);
    assert!(
        mismatches.is_empty(),
        "policy mismatches:\n{}",
        mismatches.join("\n")
    );
}

/// The public async functions of the gateway's sources (read from the source tree, so that a
/// new file counts too).
fn gateway_operations() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/gateway");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("the gateway sources") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a source file");
        for line in source.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("pub async fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn gateway_operations_all_have_matrix_rows() {
    let operations = gateway_operations();
    assert!(
        operations.len() >= 40,
        "the gateway sources were not read: {operations:?}"
    );
    let rows: BTreeSet<String> = ROWS
        .iter()
        .map(|row| row.name.split(':').next().unwrap_or(row.name).to_string())
        .collect();
    let missing: Vec<&String> = operations.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "gateway operations without a row in the role matrix: {missing:?}"
    );
    let stale: Vec<&String> = rows.difference(&operations).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for operations the gateway no longer has: {stale:?}"
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
async fn the_raw_rooms_list_is_the_parsed_one_unparsed() {
    let world = world().await;
    let query = RoomQuery {
        limit: 50,
        ..RoomQuery::default()
    };
    for role in [Role::Admin, Role::Helpdesk, Role::TenantAdmin, Role::User] {
        let who = actor(role);
        let parsed = world.portal.rooms_list(&who, &query).await.expect("list");
        let raw = world
            .portal
            .rooms_list_raw(&who, &query)
            .await
            .expect("raw list");
        assert_eq!(raw.meta, parsed.meta, "{role:?}");
        let reread: Vec<serde_json::Value> = raw
            .objects
            .iter()
            .map(|room| serde_json::from_str(room.get()).expect("a room is JSON"))
            .collect();
        assert_eq!(reread, parsed.objects, "{role:?}: the same rooms, in order");
    }
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
