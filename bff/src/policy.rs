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
    /// See conferences in progress and their participants.
    LiveView,
    /// Dial, disconnect, mute, lock, transfer.
    CallControl,
    /// Ended conferences and call detail records.
    HistoryView,
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
}

impl Operation {
    /// Every operation, for matrices and tests.
    pub const ALL: [Operation; 14] = [
        Operation::RoomsList,
        Operation::RoomRead,
        Operation::RoomCreate,
        Operation::RoomUpdate,
        Operation::RoomDelete,
        Operation::LiveView,
        Operation::CallControl,
        Operation::HistoryView,
        Operation::BackupsManage,
        Operation::LicencesManage,
        Operation::PlatformRead,
        Operation::PlatformWrite,
        Operation::AuditView,
        Operation::UsersManage,
    ];

    /// Whether the operation changes something (and so is audited and CSRF-checked).
    pub fn is_mutation(self) -> bool {
        matches!(
            self,
            Operation::RoomCreate
                | Operation::RoomUpdate
                | Operation::RoomDelete
                | Operation::CallControl
                | Operation::BackupsManage
                | Operation::LicencesManage
                | Operation::PlatformWrite
                | Operation::UsersManage
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
}

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
            RoomsList | RoomRead | LiveView | CallControl | HistoryView => {
                Decision::Allow(Scope::All)
            }
            _ => Decision::Deny,
        },
        Role::TenantAdmin => match (operation, &principal.tenant) {
            (
                RoomsList | RoomRead | RoomCreate | RoomUpdate | RoomDelete | AuditView,
                Some(tenant),
            ) => Decision::Allow(Scope::Tenant {
                tag: tenant.tag.clone(),
                alias_domains: tenant.alias_domains.clone(),
            }),
            _ => Decision::Deny,
        },
        Role::User => match (operation, &principal.email) {
            (RoomsList | RoomRead | RoomUpdate, Some(email)) => Decision::Allow(Scope::Owner {
                email: email.clone(),
                editable_fields: config.user_editable_fields.clone(),
            }),
            _ => Decision::Deny,
        },
    }
}

impl Scope {
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
            vec![RoomsList, RoomRead, LiveView, CallControl, HistoryView]
        );
        assert_eq!(
            allowed(Role::TenantAdmin),
            vec![
                RoomsList, RoomRead, RoomCreate, RoomUpdate, RoomDelete, AuditView
            ]
        );
        assert_eq!(allowed(Role::User), vec![RoomsList, RoomRead, RoomUpdate]);
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
    fn mutations_are_marked() {
        assert!(Operation::RoomDelete.is_mutation());
        assert!(Operation::CallControl.is_mutation());
        assert!(!Operation::RoomsList.is_mutation());
        assert!(!Operation::AuditView.is_mutation());
    }
}
