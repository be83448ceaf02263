//! Directory groups and token claims to portal roles and tenants (`[roles]` in the
//! configuration), evaluated at every sign-in through an identity source.
//!
//! The first rule (in order) whose group the person is in decides; groups are compared without
//! regard to case, and a rule's group matches a whole DN (`CN=Video-Helpdesk,OU=Groups,DC=…`) or
//! the value of its first component (`Video-Helpdesk`). Without a matching rule the person is an
//! end user (`user`) when the source gave an email address, or refused, as `without_group` says.

use crate::accounts::Role;
use serde::{Deserialize, Serialize};

/// `[roles]`: how identity-source people get their role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoleMappingConfig {
    /// Checked in order; the first match decides.
    pub rules: Vec<MappingRule>,
    /// What happens to someone no rule matches.
    pub without_group: WithoutGroup,
}

impl Default for RoleMappingConfig {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            without_group: WithoutGroup::User,
        }
    }
}

/// One `[[roles.rules]]` entry: members of `group` get `role` (of `tenant`, for tenant admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingRule {
    pub group: String,
    pub role: Role,
    /// The tenant's name or tag; required for `tenant_admin`, refused for the other roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// What happens to someone no rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WithoutGroup {
    /// An end user (self-service on the rooms their email owns); refused without an email.
    User,
    /// Refused: only people in a mapped group may sign in.
    Refuse,
}

/// The outcome of the mapping for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappedRole {
    /// `tenant` is the rule's tenant name or tag, for tenant admins.
    Granted { role: Role, tenant: Option<String> },
    /// Why this person may not sign in, fit to show them.
    Refused(String),
}

impl RoleMappingConfig {
    /// Whether the rules make sense (tenant exactly for tenant admins, no empty group).
    pub fn validate(&self) -> Result<(), String> {
        for (index, rule) in self.rules.iter().enumerate() {
            let at = format!("roles.rules[{index}]");
            if rule.group.trim().is_empty() {
                return Err(format!("{at}: the group is empty"));
            }
            match (rule.role, rule.tenant.as_deref().map(str::trim)) {
                (Role::TenantAdmin, None | Some("")) => {
                    return Err(format!("{at}: role tenant_admin needs a tenant"));
                }
                (Role::TenantAdmin, Some(_)) | (_, None) => {}
                (role, Some(_)) => {
                    return Err(format!(
                        "{at}: only tenant_admin takes a tenant, not {role}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The role of someone in `groups`, with `has_email` telling whether the source vouched for
    /// an email address.
    pub fn map(&self, groups: &[String], has_email: bool) -> MappedRole {
        for rule in &self.rules {
            if groups.iter().any(|group| group_matches(&rule.group, group)) {
                return MappedRole::Granted {
                    role: rule.role,
                    tenant: rule.tenant.clone(),
                };
            }
        }
        match self.without_group {
            WithoutGroup::Refuse => MappedRole::Refused(
                "Your account is not in a group that may use this portal. Ask your administrator."
                    .into(),
            ),
            WithoutGroup::User if has_email => MappedRole::Granted {
                role: Role::User,
                tenant: None,
            },
            WithoutGroup::User => MappedRole::Refused(
                "Your account has no verified email address, so the portal cannot find your \
                 meeting rooms. Ask your administrator."
                    .into(),
            ),
        }
    }
}

/// Whether the person's `group` (a DN or a name) is the rule's `wanted` group.
fn group_matches(wanted: &str, group: &str) -> bool {
    let wanted = normalize_dn(wanted);
    let group = normalize_dn(group);
    if wanted == group {
        return true;
    }
    // A rule written as a plain name matches a DN's first component's value.
    !wanted.contains('=') && first_rdn_value(&group).is_some_and(|value| value == wanted)
}

/// Lower case, without spaces around the `,` and `=` of a DN.
fn normalize_dn(value: &str) -> String {
    value
        .trim()
        .split(',')
        .map(|rdn| {
            rdn.split_once('=')
                .map(|(k, v)| format!("{}={}", k.trim(), v.trim()))
                .unwrap_or_else(|| rdn.trim().to_string())
        })
        .collect::<Vec<_>>()
        .join(",")
        .to_lowercase()
}

fn first_rdn_value(dn: &str) -> Option<&str> {
    let first = dn.split(',').next()?;
    first.split_once('=').map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> RoleMappingConfig {
        RoleMappingConfig {
            rules: vec![
                MappingRule {
                    group: "CN=Video-Helpdesk, OU=Groups, DC=example, DC=com".into(),
                    role: Role::Helpdesk,
                    tenant: None,
                },
                MappingRule {
                    group: "acme-video-admins".into(),
                    role: Role::TenantAdmin,
                    tenant: Some("acme".into()),
                },
                MappingRule {
                    group: "video-admins".into(),
                    role: Role::Admin,
                    tenant: None,
                },
            ],
            without_group: WithoutGroup::User,
        }
    }

    #[test]
    fn first_matching_rule_decides() {
        let c = config();
        let helpdesk = vec!["cn=video-helpdesk,ou=groups,dc=example,dc=com".to_string()];
        assert_eq!(
            c.map(&helpdesk, true),
            MappedRole::Granted {
                role: Role::Helpdesk,
                tenant: None
            }
        );
        // A plain name matches a DN's first value; the earlier rule wins over the later one.
        let both = vec![
            "cn=video-admins,ou=groups,dc=example,dc=com".to_string(),
            "CN=acme-video-admins,OU=Groups,DC=example,DC=com".to_string(),
        ];
        assert_eq!(
            c.map(&both, false),
            MappedRole::Granted {
                role: Role::TenantAdmin,
                tenant: Some("acme".into())
            }
        );
        // OIDC groups are plain names.
        assert_eq!(
            c.map(&["Video-Admins".to_string()], false),
            MappedRole::Granted {
                role: Role::Admin,
                tenant: None
            }
        );
        // A DN rule does not match a mere name, nor a name inside another component.
        assert_eq!(
            c.map(&["ou=acme-video-admins,dc=example".to_string()], true),
            MappedRole::Granted {
                role: Role::TenantAdmin,
                tenant: Some("acme".into())
            }
        );
        assert!(matches!(
            c.map(&["cn=other,cn=video-admins,dc=x".to_string()], false),
            MappedRole::Refused(_)
        ));
    }

    #[test]
    fn without_a_group_people_are_end_users_with_an_email_or_refused() {
        let mut c = config();
        assert_eq!(
            c.map(&[], true),
            MappedRole::Granted {
                role: Role::User,
                tenant: None
            }
        );
        let MappedRole::Refused(message) = c.map(&[], false) else {
            panic!("no email must be refused");
        };
        assert!(message.contains("no verified email"), "{message}");
        c.without_group = WithoutGroup::Refuse;
        assert!(matches!(c.map(&[], true), MappedRole::Refused(_)));
    }

    #[test]
    fn rules_are_checked() {
        assert!(config().validate().is_ok());
        let mut c = config();
        c.rules[1].tenant = None;
        assert_eq!(
            c.validate().unwrap_err(),
            "roles.rules[1]: role tenant_admin needs a tenant"
        );
        let mut c = config();
        c.rules[0].tenant = Some("acme".into());
        assert_eq!(
            c.validate().unwrap_err(),
            "roles.rules[0]: only tenant_admin takes a tenant, not helpdesk"
        );
        let parsed: RoleMappingConfig = toml_like(
            r#"{"rules":[{"group":"g","role":"tenant_admin","tenant":"acme"}],"without_group":"refuse"}"#,
        );
        assert_eq!(parsed.without_group, WithoutGroup::Refuse);
        assert_eq!(parsed.rules[0].role, Role::TenantAdmin);
    }

    fn toml_like(json: &str) -> RoleMappingConfig {
        serde_json::from_str(json).unwrap()
    }
}
