//! The one place that decides what a signed-in person may do: every (principal, operation,
//! object) question the BFF asks is answered here.
//!
//! - [`decide`] says whether an operation is allowed at all, and within which [`Scope`].
//! - A [`Scope`] turns into upstream list filters (so paging and counts stay right), tells whether
//!   one object is inside it (objects outside answer 404, so their existence does not leak), and
//!   checks what a create or an update would write.
//!
//! Services (`conference` objects: VMRs, Virtual Auditoriums, Virtual Receptions, Test Call
//! Services) carry their tenant in the `tag` field and their owner in
//! `primary_owner_email_address`.

use crate::accounts::{Principal, Role};
use crate::live::model::{LiveConference, ViewerRights};
use crate::requests::CallCommand;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The field of a service that holds its tenant's tag.
pub const TENANT_FIELD: &str = "tag";
/// The field of a service that names its owner (end users manage the services they own).
pub const OWNER_FIELD: &str = "primary_owner_email_address";

/// Everything the BFF lets people do, by use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// List meeting rooms (services).
    RoomsList,
    /// Read one meeting room, its aliases and automatic participants.
    RoomRead,
    /// Create a meeting room.
    RoomCreate,
    /// Change a meeting room, its aliases or its automatic participants.
    RoomUpdate,
    /// Delete a meeting room.
    RoomDelete,
    /// Have the Management Node email a meeting room's details to its owner.
    RoomSendEmail,
    /// See conferences in progress and their participants.
    LiveView,
    /// Dial, disconnect, mute, lock, transfer.
    CallControl,
    /// Ended conferences and call detail records.
    HistoryView,
    /// Usage reports (conferences, participant minutes, peaks, quality) per tenant and room.
    UsageView,
    /// Create, download, restore and delete backups.
    BackupsManage,
    /// See and change licences.
    LicencesManage,
    /// Read any configuration resource (the configuration browser).
    PlatformRead,
    /// Change any configuration resource.
    PlatformWrite,
    /// Read the audit trail.
    AuditView,
    /// Manage portal accounts and tenants.
    UsersManage,
    /// List device aliases (`device`: registrations of endpoints).
    DevicesList,
    /// Read one device alias.
    DeviceRead,
    /// Create a device alias.
    DeviceCreate,
    /// Change a device alias.
    DeviceUpdate,
    /// Delete a device alias.
    DeviceDelete,
    /// Run an LDAP template sync (`conference/sync`) and read its progress.
    TemplateSync,
}

impl Operation {
    /// Every operation, for matrices and tests.
    pub const ALL: [Operation; 22] = [
        Operation::RoomsList,
        Operation::RoomRead,
        Operation::RoomCreate,
        Operation::RoomUpdate,
        Operation::RoomDelete,
        Operation::RoomSendEmail,
        Operation::LiveView,
        Operation::CallControl,
        Operation::HistoryView,
        Operation::UsageView,
        Operation::BackupsManage,
        Operation::LicencesManage,
        Operation::PlatformRead,
        Operation::PlatformWrite,
        Operation::AuditView,
        Operation::UsersManage,
        Operation::DevicesList,
        Operation::DeviceRead,
        Operation::DeviceCreate,
        Operation::DeviceUpdate,
        Operation::DeviceDelete,
        Operation::TemplateSync,
    ];

    /// Whether the operation changes something (and so is audited and CSRF-checked).
    pub fn is_mutation(self) -> bool {
        matches!(
            self,
            Operation::RoomCreate
                | Operation::RoomUpdate
                | Operation::RoomDelete
                | Operation::RoomSendEmail
                | Operation::CallControl
                | Operation::BackupsManage
                | Operation::LicencesManage
                | Operation::PlatformWrite
                | Operation::UsersManage
                | Operation::DeviceCreate
                | Operation::DeviceUpdate
                | Operation::DeviceDelete
                | Operation::TemplateSync
        )
    }
}

/// Which objects an allowed operation reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Every object.
    All,
    /// Services tagged with the tenant's tag; aliases must use the tenant's domains.
    Tenant {
        tag: String,
        alias_domains: Vec<String>,
    },
    /// Services owned by this email address; only `editable_fields` may change.
    Owner {
        email: String,
        editable_fields: Vec<String>,
    },
}

/// The answer to "may this principal do this?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow(Scope),
    Deny,
}

impl Decision {
    /// The scope, or `Denied` for the caller to report.
    pub fn scope(self) -> Result<Scope, Denied> {
        match self {
            Decision::Allow(scope) => Ok(scope),
            Decision::Deny => Err(Denied::Forbidden),
        }
    }
}

/// Settings of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// The service fields an end user (`user` role) may change on the rooms they own.
    pub user_editable_fields: Vec<String>,
    /// Whether tenant admins may run call control on their tenant's conferences (otherwise
    /// they watch them read-only).
    pub tenant_admin_call_control: bool,
    /// The host controls end users have in the conferences of the rooms they own: any of
    /// `mute`, `lock` and `disconnect` (empty: they watch read-only).
    pub user_host_controls: Vec<String>,
}

/// The host controls [`PolicyConfig::user_host_controls`] may name.
pub const HOST_CONTROLS: [&str; 3] = ["mute", "lock", "disconnect"];

impl Default for PolicyConfig {
    fn default() -> Self {
        Self {
            user_editable_fields: [
                "description",
                "pin",
                "guest_pin",
                "allow_guests",
                "host_view",
                "guest_view",
            ]
            .map(String::from)
            .to_vec(),
            tenant_admin_call_control: false,
            user_host_controls: HOST_CONTROLS.map(String::from).to_vec(),
        }
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The role may not do this at all (403).
    #[error("your role does not allow this")]
    Forbidden,
    /// The object is outside the principal's scope; reported exactly like a missing object (404).
    #[error("not found")]
    NotFound,
    /// The request would write something the scope does not allow (400, at the field).
    #[error("{message}")]
    Field { field: String, message: String },
}

/// Whether `principal` may perform `operation`, and on which objects.
pub fn decide(principal: &Principal, operation: Operation, config: &PolicyConfig) -> Decision {
    use Operation::*;
    match principal.role {
        Role::Admin => Decision::Allow(Scope::All),
        Role::Helpdesk => match operation {
            // Helpdesk sees every ended conference already; the usage figures are derived
            // from them and help in answering "was it slow for everyone this week?".
            RoomsList | RoomRead | RoomSendEmail | LiveView | CallControl | HistoryView
            | UsageView => Decision::Allow(Scope::All),
            _ => Decision::Deny,
        },
        Role::TenantAdmin => match (operation, &principal.tenant) {
            (
                RoomsList | RoomRead | RoomCreate | RoomUpdate | RoomDelete | RoomSendEmail
                | AuditView | LiveView | UsageView | DevicesList | DeviceRead | DeviceCreate
                | DeviceUpdate | DeviceDelete,
                Some(tenant),
            ) => Decision::Allow(Scope::Tenant {
                tag: tenant.tag.clone(),
                alias_domains: tenant.alias_domains.clone(),
            }),
            (CallControl, Some(tenant)) if config.tenant_admin_call_control => {
                Decision::Allow(Scope::Tenant {
                    tag: tenant.tag.clone(),
                    alias_domains: tenant.alias_domains.clone(),
                })
            }
            _ => Decision::Deny,
        },
        Role::User => match (operation, &principal.email) {
            (RoomsList | RoomRead | RoomUpdate | RoomSendEmail | LiveView, Some(email)) => {
                Decision::Allow(Scope::Owner {
                    email: email.clone(),
                    editable_fields: config.user_editable_fields.clone(),
                })
            }
            (CallControl, Some(email)) if !config.user_host_controls.is_empty() => {
                Decision::Allow(Scope::Owner {
                    email: email.clone(),
                    editable_fields: config.user_editable_fields.clone(),
                })
            }
            _ => Decision::Deny,
        },
    }
}

/// Whether `principal` may run `command`, and on which conferences: call control as
/// [`decide`] grants it, narrowed for end users to their host controls (no dial-out or
/// transfer).
pub fn decide_call_command(
    principal: &Principal,
    command: &CallCommand,
    config: &PolicyConfig,
) -> Result<Scope, Denied> {
    let scope = decide(principal, Operation::CallControl, config).scope()?;
    if principal.role == Role::User {
        let allowed = host_control(command)
            .is_some_and(|control| config.user_host_controls.iter().any(|c| c == control));
        if !allowed {
            return Err(Denied::Forbidden);
        }
    }
    Ok(scope)
}

/// The host control a command belongs to (`None`: not a host control).
fn host_control(command: &CallCommand) -> Option<&'static str> {
    use CallCommand::*;
    match command {
        Mute { .. } | Unmute { .. } | MuteGuests { .. } | UnmuteGuests { .. } => Some("mute"),
        Lock { .. } | Unlock { .. } | UnlockParticipant { .. } => Some("lock"),
        Disconnect { .. } | DisconnectConference { .. } => Some("disconnect"),
        Dial { .. } | Transfer { .. } => None,
    }
}

/// What `principal` may do on the conferences their live stream shows, or `None` when they
/// may not watch live conferences at all.
pub fn viewer_rights(principal: &Principal, config: &PolicyConfig) -> Option<ViewerRights> {
    decide(principal, Operation::LiveView, config)
        .scope()
        .ok()?;
    let call_control = decide(principal, Operation::CallControl, config) != Decision::Deny;
    let everything = matches!(principal.role, Role::Admin | Role::Helpdesk);
    Some(ViewerRights {
        call_control: call_control && principal.role != Role::User,
        host_controls: if principal.role == Role::User && call_control {
            config.user_host_controls.clone()
        } else {
            Vec::new()
        },
        platform: everything,
        start_cloud_nodes: decide(principal, Operation::PlatformWrite, config) != Decision::Deny,
    })
}

impl Scope {
    /// Whether a conference in progress is inside the scope: its service's tag for tenants,
    /// its service's owner for end users (a conference whose owner is unknown is nobody's).
    pub fn contains_conference(&self, conference: &LiveConference) -> bool {
        match self {
            Scope::All => true,
            Scope::Tenant { tag, .. } => !tag.is_empty() && conference.tag == *tag,
            Scope::Owner { email, .. } => conference
                .owner
                .as_deref()
                .is_some_and(|owner| owner.eq_ignore_ascii_case(email)),
        }
    }

    /// The tenant a usage report may cover, given the one `asked` for: any (or every tenant,
    /// `None`) for `All`; a tenant's own tag however it asks, another tenant's never (403, as
    /// for a tenant without a tag); end users get no usage reports.
    pub fn usage_tenant(&self, asked: Option<&str>) -> Result<Option<String>, Denied> {
        match self {
            Scope::All => Ok(asked.map(str::to_string)),
            Scope::Tenant { tag, .. } if !tag.is_empty() && asked.is_none_or(|a| a == tag) => {
                Ok(Some(tag.clone()))
            }
            Scope::Tenant { .. } | Scope::Owner { .. } => Err(Denied::Forbidden),
        }
    }

    /// The upstream list filters that restrict a service list to this scope.
    pub fn room_filters(&self) -> Vec<(String, String)> {
        match self {
            Scope::All => Vec::new(),
            Scope::Tenant { tag, .. } => vec![(TENANT_FIELD.to_string(), tag.clone())],
            Scope::Owner { email, .. } => vec![(OWNER_FIELD.to_string(), email.clone())],
        }
    }

    /// Whether this service object is inside the scope.
    pub fn contains_room(&self, room: &Value) -> bool {
        match self {
            Scope::All => true,
            Scope::Tenant { tag, .. } => {
                room.get(TENANT_FIELD).and_then(Value::as_str) == Some(tag)
            }
            Scope::Owner { email, .. } => room
                .get(OWNER_FIELD)
                .and_then(Value::as_str)
                .is_some_and(|owner| owner.eq_ignore_ascii_case(email)),
        }
    }

    /// `Ok` when the object is in scope, else the 404 answer.
    pub fn require_room(&self, room: &Value) -> Result<(), Denied> {
        if self.contains_room(room) {
            Ok(())
        } else {
            Err(Denied::NotFound)
        }
    }

    /// Prepares a new service for creation: a tenant's tag is forced onto it and its aliases
    /// must use the tenant's domains.
    pub fn prepare_room_create(&self, room: &mut Map<String, Value>) -> Result<(), Denied> {
        match self {
            Scope::All => Ok(()),
            Scope::Tenant { tag, alias_domains } => {
                match room.get(TENANT_FIELD) {
                    None | Some(Value::Null) => {}
                    Some(Value::String(given)) if given.is_empty() || given == tag => {}
                    Some(_) => return Err(outside_tenant(tag)),
                }
                room.insert(TENANT_FIELD.to_string(), Value::String(tag.clone()));
                check_alias_domains(room.get("aliases"), alias_domains)
            }
            Scope::Owner { .. } => Err(Denied::Forbidden),
        }
    }

    /// Checks a change to an existing service (already known to be in scope): nothing may move
    /// out of a tenant or away from its owner, tenants' aliases stay in their domains, and end
    /// users change only their editable fields.
    pub fn check_room_update(&self, changes: &Map<String, Value>) -> Result<(), Denied> {
        match self {
            Scope::All => Ok(()),
            Scope::Tenant { tag, alias_domains } => {
                if let Some(value) = changes.get(TENANT_FIELD)
                    && value.as_str() != Some(tag.as_str())
                {
                    return Err(outside_tenant(tag));
                }
                check_alias_domains(changes.get("aliases"), alias_domains)
            }
            Scope::Owner {
                editable_fields, ..
            } => {
                match changes
                    .keys()
                    .find(|field| !editable_fields.iter().any(|allowed| allowed == *field))
                {
                    Some(field) => Err(Denied::Field {
                        field: field.clone(),
                        message: "you may not change this field".into(),
                    }),
                    None => Ok(()),
                }
            }
        }
    }

    /// Whether this device alias object is inside the scope: a tenant's devices carry its tag,
    /// like its services (end users have no device scope).
    pub fn contains_device(&self, device: &Value) -> bool {
        match self {
            Scope::Owner { .. } => false,
            scope => scope.contains_room(device),
        }
    }

    /// `Ok` when the device is in scope, else the 404 answer.
    pub fn require_device(&self, device: &Value) -> Result<(), Denied> {
        if self.contains_device(device) {
            Ok(())
        } else {
            Err(Denied::NotFound)
        }
    }

    /// Prepares a new device alias: a tenant's tag is forced onto it and its `alias` must use the
    /// tenant's domains (the rules of services).
    pub fn prepare_device_create(&self, device: &mut Map<String, Value>) -> Result<(), Denied> {
        match self {
            Scope::All => Ok(()),
            Scope::Tenant { tag, alias_domains } => {
                match device.get(TENANT_FIELD) {
                    None | Some(Value::Null) => {}
                    Some(Value::String(given)) if given.is_empty() || given == tag => {}
                    Some(_) => return Err(outside_tenant(tag)),
                }
                device.insert(TENANT_FIELD.to_string(), Value::String(tag.clone()));
                let alias = device
                    .get(DEVICE_ALIAS_FIELD)
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                check_device_alias(alias, alias_domains)
            }
            Scope::Owner { .. } => Err(Denied::Forbidden),
        }
    }

    /// Checks a change to a device alias already known to be in scope: it stays in its tenant
    /// and its alias in the tenant's domains.
    pub fn check_device_update(&self, changes: &Map<String, Value>) -> Result<(), Denied> {
        match self {
            Scope::All => Ok(()),
            Scope::Tenant { tag, alias_domains } => {
                if let Some(value) = changes.get(TENANT_FIELD)
                    && value.as_str() != Some(tag.as_str())
                {
                    return Err(outside_tenant(tag));
                }
                match changes.get(DEVICE_ALIAS_FIELD) {
                    None => Ok(()),
                    Some(alias) => {
                        check_device_alias(alias.as_str().unwrap_or_default(), alias_domains)
                    }
                }
            }
            Scope::Owner { .. } => Err(Denied::Forbidden),
        }
    }

    /// Checks one alias (a new `conference_alias` or an entry of a service's `aliases`).
    pub fn check_alias(&self, alias: &str) -> Result<(), Denied> {
        match self {
            Scope::Tenant { alias_domains, .. } => check_one_alias(alias, alias_domains),
            Scope::All => Ok(()),
            Scope::Owner { .. } => Err(Denied::Field {
                field: "aliases".into(),
                message: "you may not change the aliases of this room".into(),
            }),
        }
    }
}

fn outside_tenant(tag: &str) -> Denied {
    Denied::Field {
        field: TENANT_FIELD.into(),
        message: format!("services of your tenant must keep the tag `{tag}`"),
    }
}

/// The field of a device that holds its alias.
pub const DEVICE_ALIAS_FIELD: &str = "alias";

/// A device's alias must use the tenant's domains; the error names the `alias` field.
fn check_device_alias(alias: &str, domains: &[String]) -> Result<(), Denied> {
    check_one_alias(alias, domains).map_err(|denied| match denied {
        Denied::Field { message, .. } => Denied::Field {
            field: DEVICE_ALIAS_FIELD.into(),
            message,
        },
        other => other,
    })
}

/// Checks the `aliases` of a service body: a list of `{"alias": "..."}` objects (or strings).
fn check_alias_domains(aliases: Option<&Value>, domains: &[String]) -> Result<(), Denied> {
    let Some(aliases) = aliases else {
        return Ok(());
    };
    let Some(list) = aliases.as_array() else {
        return Err(Denied::Field {
            field: "aliases".into(),
            message: "aliases must be a list".into(),
        });
    };
    for entry in list {
        let alias = entry
            .get("alias")
            .and_then(Value::as_str)
            .or_else(|| entry.as_str())
            .unwrap_or_default();
        check_one_alias(alias, domains)?;
    }
    Ok(())
}

/// An alias of a tenant must be `something@domain` (optionally with a `sip:`/`sips:`/`h323:`
/// scheme) where the domain is one of the tenant's domains or a subdomain of one.
fn check_one_alias(alias: &str, domains: &[String]) -> Result<(), Denied> {
    let bare = alias.trim();
    let bare = ["sip:", "sips:", "h323:"]
        .iter()
        .find_map(|scheme| bare.strip_prefix(scheme))
        .unwrap_or(bare);
    let domain = bare
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_ascii_lowercase());
    let allowed = domain.as_deref().is_some_and(|domain| {
        domains.iter().any(|d| {
            domain == d
                || domain
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    });
    if allowed {
        Ok(())
    } else {
        let expected = match domains {
            [] => "your tenant has no alias domains: ask an administrator to add one".to_string(),
            [one] => format!("aliases must end in @{one}"),
            many => format!(
                "aliases must end in one of: {}",
                many.iter()
                    .map(|d| format!("@{d}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Err(Denied::Field {
            field: "aliases".into(),
            message: format!("`{}`: {expected}", alias.trim()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::Tenant;
    use serde_json::json;

    fn principal(role: Role) -> Principal {
        Principal {
            account_id: 1,
            username: "someone".into(),
            role,
            tenant: (role == Role::TenantAdmin).then(|| Tenant {
                id: 7,
                name: "Acme".into(),
                tag: "acme".into(),
                alias_domains: vec!["acme.example".into()],
                created_at: 0,
                updated_at: 0,
            }),
            email: (role == Role::User).then(|| "alice@acme.example".to_string()),
        }
    }

    fn allowed(role: Role) -> Vec<Operation> {
        let config = PolicyConfig::default();
        Operation::ALL
            .into_iter()
            .filter(|op| decide(&principal(role), *op, &config) != Decision::Deny)
            .collect()
    }

    #[test]
    fn role_matrix() {
        use Operation::*;
        assert_eq!(allowed(Role::Admin), Operation::ALL.to_vec());
        assert_eq!(
            allowed(Role::Helpdesk),
            vec![
                RoomsList,
                RoomRead,
                RoomSendEmail,
                LiveView,
                CallControl,
                HistoryView,
                UsageView
            ]
        );
        assert_eq!(
            allowed(Role::TenantAdmin),
            vec![
                RoomsList,
                RoomRead,
                RoomCreate,
                RoomUpdate,
                RoomDelete,
                RoomSendEmail,
                LiveView,
                UsageView,
                AuditView,
                DevicesList,
                DeviceRead,
                DeviceCreate,
                DeviceUpdate,
                DeviceDelete
            ]
        );
        assert_eq!(
            allowed(Role::User),
            vec![
                RoomsList,
                RoomRead,
                RoomUpdate,
                RoomSendEmail,
                LiveView,
                CallControl
            ]
        );
    }

    #[test]
    fn usage_reports_stay_in_the_tenant() {
        let config = PolicyConfig::default();
        let scope = |role| decide(&principal(role), Operation::UsageView, &config);
        let all = scope(Role::Admin).scope().unwrap();
        assert_eq!(all.usage_tenant(None), Ok(None));
        assert_eq!(all.usage_tenant(Some("beta")), Ok(Some("beta".into())));
        assert_eq!(
            scope(Role::Helpdesk).scope().unwrap().usage_tenant(None),
            Ok(None)
        );
        let tenant = scope(Role::TenantAdmin).scope().unwrap();
        assert_eq!(tenant.usage_tenant(None), Ok(Some("acme".into())));
        assert_eq!(tenant.usage_tenant(Some("acme")), Ok(Some("acme".into())));
        assert_eq!(tenant.usage_tenant(Some("beta")), Err(Denied::Forbidden));
        let untagged = Scope::Tenant {
            tag: String::new(),
            alias_domains: vec![],
        };
        assert_eq!(untagged.usage_tenant(None), Err(Denied::Forbidden));
        assert_eq!(scope(Role::User), Decision::Deny);
    }

    #[test]
    fn live_rights_follow_the_policy_settings() {
        use crate::live::model::ViewerRights;
        let mut config = PolicyConfig::default();
        let rights = |role, config: &PolicyConfig| viewer_rights(&principal(role), config);
        assert_eq!(
            rights(Role::Admin, &config),
            Some(ViewerRights {
                call_control: true,
                host_controls: vec![],
                platform: true,
                start_cloud_nodes: true,
            })
        );
        let helpdesk = rights(Role::Helpdesk, &config).unwrap();
        assert!(helpdesk.call_control && helpdesk.platform && !helpdesk.start_cloud_nodes);
        assert_eq!(
            rights(Role::TenantAdmin, &config),
            Some(ViewerRights::default()),
            "tenant admins watch read-only by default"
        );
        assert_eq!(
            rights(Role::User, &config).unwrap().host_controls,
            ["mute", "lock", "disconnect"]
        );

        config.tenant_admin_call_control = true;
        config.user_host_controls = vec!["mute".into()];
        assert!(rights(Role::TenantAdmin, &config).unwrap().call_control);
        let user = principal(Role::User);
        let mute = CallCommand::Mute {
            participant_id: "p".into(),
        };
        let kick = CallCommand::Disconnect {
            participant_id: "p".into(),
        };
        assert!(decide_call_command(&user, &mute, &config).is_ok());
        assert_eq!(
            decide_call_command(&user, &kick, &config),
            Err(Denied::Forbidden)
        );
        config.user_host_controls.clear();
        assert_eq!(
            rights(Role::User, &config).unwrap(),
            ViewerRights::default()
        );
        assert_eq!(
            decide_call_command(&user, &mute, &config),
            Err(Denied::Forbidden)
        );
        assert!(
            decide_call_command(&principal(Role::TenantAdmin), &kick, &config).is_ok(),
            "granted above"
        );
    }

    #[test]
    fn live_scopes_pick_conferences_by_tag_or_owner() {
        let config = PolicyConfig::default();
        let conference = |tag: &str, owner: Option<&str>| LiveConference {
            tag: tag.into(),
            owner: owner.map(String::from),
            ..Default::default()
        };
        let tenant = decide(&principal(Role::TenantAdmin), Operation::LiveView, &config)
            .scope()
            .unwrap();
        assert!(tenant.contains_conference(&conference("acme", None)));
        assert!(!tenant.contains_conference(&conference("globex", None)));
        assert!(!tenant.contains_conference(&conference("", None)));
        let user = decide(&principal(Role::User), Operation::LiveView, &config)
            .scope()
            .unwrap();
        assert!(user.contains_conference(&conference("x", Some("ALICE@acme.example"))));
        assert!(!user.contains_conference(&conference("acme", Some("bob@acme.example"))));
        assert!(!user.contains_conference(&conference("acme", None)));
    }

    #[test]
    fn tenant_admin_without_tenant_and_user_without_email_get_nothing() {
        let config = PolicyConfig::default();
        let mut lost = principal(Role::TenantAdmin);
        lost.tenant = None;
        let mut anonymous = principal(Role::User);
        anonymous.email = None;
        for op in Operation::ALL {
            assert_eq!(decide(&lost, op, &config), Decision::Deny, "{op:?}");
            assert_eq!(decide(&anonymous, op, &config), Decision::Deny, "{op:?}");
        }
    }

    #[test]
    fn list_filters_follow_the_scope() {
        let config = PolicyConfig::default();
        let scope = |role| {
            decide(&principal(role), Operation::RoomsList, &config)
                .scope()
                .unwrap()
        };
        assert!(scope(Role::Admin).room_filters().is_empty());
        assert_eq!(
            scope(Role::TenantAdmin).room_filters(),
            vec![("tag".into(), "acme".into())]
        );
        assert_eq!(
            scope(Role::User).room_filters(),
            vec![(
                "primary_owner_email_address".into(),
                "alice@acme.example".into()
            )]
        );
    }

    #[test]
    fn objects_outside_the_scope_are_not_found() {
        let tenant = Scope::Tenant {
            tag: "acme".into(),
            alias_domains: vec![],
        };
        assert_eq!(tenant.require_room(&json!({"tag": "acme"})), Ok(()));
        assert_eq!(
            tenant.require_room(&json!({"tag": "globex"})),
            Err(Denied::NotFound)
        );
        assert_eq!(
            tenant.require_room(&json!({"name": "untagged"})),
            Err(Denied::NotFound)
        );
        let owner = Scope::Owner {
            email: "alice@acme.example".into(),
            editable_fields: vec![],
        };
        assert!(owner.contains_room(&json!({"primary_owner_email_address": "Alice@Acme.example"})));
        assert!(!owner.contains_room(&json!({"primary_owner_email_address": "bob@acme.example"})));
        assert!(!owner.contains_room(&json!({"primary_owner_email_address": null})));
    }

    #[test]
    fn tenant_creates_are_forced_into_the_tenant() {
        let scope = Scope::Tenant {
            tag: "acme".into(),
            alias_domains: vec!["acme.example".into()],
        };
        let mut room = json!({"name": "Board", "aliases": [{"alias": "board@acme.example"}, {"alias": "sip:b@video.acme.example"}]});
        let map = room.as_object_mut().unwrap();
        scope.prepare_room_create(map).unwrap();
        assert_eq!(map["tag"], "acme");

        let mut other = json!({"name": "X", "tag": "globex"})
            .as_object()
            .unwrap()
            .clone();
        assert!(
            matches!(scope.prepare_room_create(&mut other), Err(Denied::Field { field, .. }) if field == "tag")
        );

        let mut bad_alias = json!({"name": "X", "aliases": [{"alias": "x@globex.example"}]})
            .as_object()
            .unwrap()
            .clone();
        let error = scope.prepare_room_create(&mut bad_alias).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`x@globex.example`: aliases must end in @acme.example"
        );
        // A look-alike domain is not a subdomain.
        assert!(scope.check_alias("x@evilacme.example").is_err());
        assert!(scope.check_alias("12345").is_err());
        assert!(scope.check_alias("x@ACME.example").is_ok());
    }

    #[test]
    fn tenant_updates_cannot_move_services_out() {
        let scope = Scope::Tenant {
            tag: "acme".into(),
            alias_domains: vec!["acme.example".into()],
        };
        let ok = json!({"description": "x", "tag": "acme"});
        assert_eq!(scope.check_room_update(ok.as_object().unwrap()), Ok(()));
        for bad in [
            json!({"tag": "globex"}),
            json!({"tag": ""}),
            json!({"tag": null}),
        ] {
            assert!(
                scope.check_room_update(bad.as_object().unwrap()).is_err(),
                "{bad}"
            );
        }
        let alias = json!({"aliases": [{"alias": "y@globex.example"}]});
        assert!(scope.check_room_update(alias.as_object().unwrap()).is_err());
    }

    #[test]
    fn end_users_change_only_their_fields() {
        let config = PolicyConfig::default();
        let scope = decide(&principal(Role::User), Operation::RoomUpdate, &config)
            .scope()
            .unwrap();
        assert_eq!(
            scope.check_room_update(
                json!({"pin": "1234", "guest_pin": null})
                    .as_object()
                    .unwrap()
            ),
            Ok(())
        );
        for field in [
            "name",
            "primary_owner_email_address",
            "tag",
            "aliases",
            "service_type",
        ] {
            let change = json!({ field: "x" });
            assert!(
                matches!(scope.check_room_update(change.as_object().unwrap()), Err(Denied::Field { field: f, .. }) if f == field),
                "{field}"
            );
        }
        assert!(scope.prepare_room_create(&mut Map::new()).is_err());
    }

    #[test]
    fn tenant_devices_keep_the_tag_and_domains() {
        let config = PolicyConfig::default();
        let scope = decide(
            &principal(Role::TenantAdmin),
            Operation::DeviceCreate,
            &config,
        )
        .scope()
        .unwrap();
        assert_eq!(scope.room_filters(), vec![("tag".into(), "acme".into())]);
        let mut device = json!({"alias": "sip:desk@video.acme.example"})
            .as_object()
            .unwrap()
            .clone();
        scope.prepare_device_create(&mut device).unwrap();
        assert_eq!(device["tag"], "acme");
        for (bad, field) in [
            (json!({"alias": "desk@globex.example"}), "alias"),
            (json!({"alias": ""}), "alias"),
            (
                json!({"alias": "desk@acme.example", "tag": "globex"}),
                "tag",
            ),
        ] {
            let mut bad = bad.as_object().unwrap().clone();
            assert!(
                matches!(scope.prepare_device_create(&mut bad), Err(Denied::Field { field: f, .. }) if f == field),
                "{bad:?}"
            );
        }
        assert_eq!(scope.require_device(&json!({"tag": "acme"})), Ok(()));
        assert_eq!(
            scope.require_device(&json!({"tag": "globex", "alias": "x@acme.example"})),
            Err(Denied::NotFound)
        );
        let update = |changes: Value| scope.check_device_update(changes.as_object().unwrap());
        assert_eq!(update(json!({"description": "x", "tag": "acme"})), Ok(()));
        assert!(update(json!({"tag": ""})).is_err());
        assert!(update(json!({"alias": "x@globex.example"})).is_err());
        assert_eq!(update(json!({"alias": "x@acme.example"})), Ok(()));
        // Admins are not narrowed.
        let mut anything = json!({"alias": "x@globex.example", "tag": "globex"})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(Scope::All.prepare_device_create(&mut anything), Ok(()));
        assert!(Scope::All.contains_device(&json!({"tag": "globex"})));
    }

    #[test]
    fn only_admins_sync_and_nobody_else_reaches_devices() {
        let config = PolicyConfig::default();
        for role in [Role::Helpdesk, Role::TenantAdmin, Role::User] {
            assert_eq!(
                decide(&principal(role), Operation::TemplateSync, &config),
                Decision::Deny,
                "{role:?}"
            );
        }
        for role in [Role::Helpdesk, Role::User] {
            assert_eq!(
                decide(&principal(role), Operation::DevicesList, &config),
                Decision::Deny,
                "{role:?}"
            );
        }
        let owner = Scope::Owner {
            email: "alice@acme.example".into(),
            editable_fields: vec![],
        };
        assert!(
            !owner.contains_device(&json!({"primary_owner_email_address": "alice@acme.example"}))
        );
        assert_eq!(
            owner.prepare_device_create(&mut Map::new()),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn mutations_are_marked() {
        assert!(Operation::DeviceCreate.is_mutation());
        assert!(Operation::TemplateSync.is_mutation());
        assert!(!Operation::DevicesList.is_mutation());
        assert!(Operation::RoomDelete.is_mutation());
        assert!(Operation::CallControl.is_mutation());
        assert!(Operation::RoomSendEmail.is_mutation());
        assert!(!Operation::RoomsList.is_mutation());
        assert!(!Operation::AuditView.is_mutation());
    }
}
