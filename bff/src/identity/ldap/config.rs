//! `[ldap]`: where the directory is, how the portal signs in to it, and how people and their
//! groups are found.

use super::filter::FilterTemplate;
use pexip::client::Secret;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[ldap]`: the LDAP / Active Directory identity source.
///
/// ```toml
/// [ldap]
/// url = "ldaps://dc1.corp.example.com"
/// bind_dn = "CN=svc-portal,OU=Service Accounts,DC=corp,DC=example,DC=com"
/// bind_password_file = "/run/secrets/ldap"
/// user_base = "OU=Staff,DC=corp,DC=example,DC=com"
/// user_filter = "(&(objectCategory=person)(sAMAccountName={username}))"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LdapConfig {
    /// `ldap://host[:port]` or `ldaps://host[:port]`.
    pub url: String,
    /// Upgrade an `ldap://` connection with StartTLS before anything is sent.
    pub starttls: bool,
    /// PEM of the CA(s) to trust for ldaps / StartTLS; unset: the system's roots.
    pub ca_file: Option<PathBuf>,
    /// The service account that searches for people; unset: anonymous searches.
    pub bind_dn: Option<String>,
    /// The service account's password (prefer `bind_password_file`).
    pub bind_password: Option<Secret>,
    /// A file holding the service account's password, read at start.
    pub bind_password_file: Option<PathBuf>,
    /// Where people are searched (the whole subtree).
    pub user_base: String,
    /// The filter that finds one person; `{username}` is what they typed, escaped.
    pub user_filter: String,
    /// The attribute stored as the portal username (e.g. `sAMAccountName`, `uid`); unset: what
    /// the person typed.
    pub username_attribute: Option<String>,
    /// The attribute holding the name to show; `cn` when it is missing.
    pub display_name_attribute: String,
    /// The attribute holding the person's email address (their rooms are found by it).
    pub email_attribute: String,
    /// The person's attribute listing their groups' DNs (`memberOf`); empty: not read.
    pub group_attribute: String,
    /// Where groups are searched, with `group_filter`.
    pub group_base: Option<String>,
    /// The filter that finds a person's groups: `{dn}` is their entry's DN and `{username}` the
    /// portal username, both escaped (e.g. `(&(objectClass=groupOfNames)(member={dn}))`).
    pub group_filter: Option<String>,
    /// The group attribute reported as the group's name (e.g. `cn`); unset: the group's DN.
    pub group_name_attribute: Option<String>,
    /// TCP + TLS (+ StartTLS) connection timeout.
    pub connect_timeout_secs: u64,
    /// Timeout of each directory operation (bind, search), and of the wait for a free connection.
    pub timeout_secs: u64,
    /// Connections kept open; also the most directory operations in flight at once.
    pub pool_size: usize,
    /// The name of the directory on the sign-in page.
    pub name: String,
}

impl Default for LdapConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            starttls: false,
            ca_file: None,
            bind_dn: None,
            bind_password: None,
            bind_password_file: None,
            user_base: String::new(),
            user_filter: "(uid={username})".into(),
            username_attribute: None,
            display_name_attribute: "displayName".into(),
            email_attribute: "mail".into(),
            group_attribute: "memberOf".into(),
            group_base: None,
            group_filter: None,
            group_name_attribute: None,
            connect_timeout_secs: 5,
            timeout_secs: 10,
            pool_size: 4,
            name: "Company directory".into(),
        }
    }
}

/// How the connection is protected, from `url` and `starttls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    Plain,
    StartTls,
    Ldaps,
}

impl LdapConfig {
    /// Whether the settings make sense. Messages name the key (`ldap.url: …`).
    pub fn validate(&self) -> Result<(), String> {
        self.transport()?;
        if let Some(dn) = &self.bind_dn {
            if dn.trim().is_empty() {
                return Err("ldap.bind_dn: empty (remove it for anonymous searches)".into());
            }
            match (&self.bind_password, &self.bind_password_file) {
                (Some(_), Some(_)) => {
                    return Err(
                        "ldap.bind_password and ldap.bind_password_file: set only one".into(),
                    );
                }
                (None, None) => {
                    return Err("ldap.bind_password_file (or ldap.bind_password): required \
                                with ldap.bind_dn"
                        .into());
                }
                (Some(password), None) if password.is_empty() => {
                    return Err("ldap.bind_password: empty".into());
                }
                _ => {}
            }
        } else if self.bind_password.is_some() || self.bind_password_file.is_some() {
            return Err("ldap.bind_dn: required with a bind password".into());
        }
        if self.user_base.trim().is_empty() {
            return Err(
                "ldap.user_base: required (where people are searched, e.g. ou=people,dc=example,dc=com)"
                    .into(),
            );
        }
        let user_filter = FilterTemplate::parse(&self.user_filter, &["username"])
            .map_err(|e| format!("ldap.user_filter: {e}"))?;
        if !user_filter.uses("username") {
            return Err("ldap.user_filter: must use {username}".into());
        }
        self.group_filter()?;
        if let Some(attribute) = &self.username_attribute {
            check_attribute("ldap.username_attribute", attribute)?;
        }
        check_attribute("ldap.display_name_attribute", &self.display_name_attribute)?;
        check_attribute("ldap.email_attribute", &self.email_attribute)?;
        if !self.group_attribute.is_empty() {
            check_attribute("ldap.group_attribute", &self.group_attribute)?;
        }
        if self.connect_timeout_secs == 0 {
            return Err("ldap.connect_timeout_secs: must be at least 1".into());
        }
        if self.timeout_secs == 0 {
            return Err("ldap.timeout_secs: must be at least 1".into());
        }
        if !(1..=64).contains(&self.pool_size) {
            return Err("ldap.pool_size: must be between 1 and 64".into());
        }
        if self.name.trim().is_empty() {
            return Err("ldap.name: empty (it is shown on the sign-in page)".into());
        }
        Ok(())
    }

    /// The transport `url` and `starttls` ask for.
    pub(crate) fn transport(&self) -> Result<Transport, String> {
        let url = self.url.trim();
        if url.is_empty() {
            return Err("ldap.url: required (ldap://host or ldaps://host)".into());
        }
        let lower = url.to_ascii_lowercase();
        let (transport, rest) = if let Some(rest) = lower.strip_prefix("ldaps://") {
            if self.starttls {
                return Err(
                    "ldap.starttls: only with an ldap:// url (ldaps:// is already encrypted)"
                        .into(),
                );
            }
            (Transport::Ldaps, rest)
        } else if let Some(rest) = lower.strip_prefix("ldap://") {
            let transport = if self.starttls {
                Transport::StartTls
            } else {
                Transport::Plain
            };
            (transport, rest)
        } else {
            return Err(format!(
                "ldap.url: {url:?} must start with ldap:// or ldaps://"
            ));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() || authority.contains(['/', '?', '@', '#', ' ']) {
            return Err(format!(
                "ldap.url: {url:?} must be scheme://host[:port] (no path, user or query)"
            ));
        }
        // An IPv6 literal is bracketed; the port is what follows the last colon outside it.
        let port = match authority.rsplit_once(':') {
            Some((host, port))
                if !port.contains(']') && (!host.starts_with('[') || host.ends_with(']')) =>
            {
                Some(port)
            }
            _ => None,
        };
        if let Some(port) = port
            && !matches!(port.parse::<u16>(), Ok(p) if p > 0)
        {
            return Err(format!("ldap.url: {url:?} has an invalid port"));
        }
        if transport == Transport::Plain && self.ca_file.is_some() {
            return Err(
                "ldap.ca_file: set, but the connection is not encrypted (use ldaps:// or \
                 starttls = true)"
                    .into(),
            );
        }
        Ok(transport)
    }

    /// The parsed user filter (after [`LdapConfig::validate`]).
    pub(crate) fn user_filter(&self) -> Result<FilterTemplate, String> {
        FilterTemplate::parse(&self.user_filter, &["username"])
            .map_err(|e| format!("ldap.user_filter: {e}"))
    }

    /// The group search, when configured: its base and parsed filter.
    pub(crate) fn group_filter(&self) -> Result<Option<(String, FilterTemplate)>, String> {
        match (&self.group_base, &self.group_filter) {
            (None, None) => {
                if self.group_name_attribute.is_some() {
                    return Err(
                        "ldap.group_name_attribute: only used with ldap.group_filter".into(),
                    );
                }
                Ok(None)
            }
            (Some(_), None) => Err("ldap.group_filter: required with ldap.group_base".into()),
            (None, Some(_)) => Err("ldap.group_base: required with ldap.group_filter".into()),
            (Some(base), Some(filter)) => {
                if base.trim().is_empty() {
                    return Err("ldap.group_base: empty".into());
                }
                let template = FilterTemplate::parse(filter, &["dn", "username"])
                    .map_err(|e| format!("ldap.group_filter: {e}"))?;
                if !template.uses("dn") && !template.uses("username") {
                    return Err(
                        "ldap.group_filter: must use {dn} or {username} (else everyone would \
                         be in every group)"
                            .into(),
                    );
                }
                if let Some(attribute) = &self.group_name_attribute {
                    check_attribute("ldap.group_name_attribute", attribute)?;
                }
                Ok(Some((base.trim().to_string(), template)))
            }
        }
    }
}

/// An attribute description: a name or OID, optionally with `;options`.
fn check_attribute(key: &str, value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ';'));
    if ok {
        Ok(())
    } else {
        Err(format!("{key}: {value:?} is not an attribute name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> LdapConfig {
        LdapConfig {
            url: "ldaps://dc1.example.com".into(),
            bind_dn: Some("cn=portal,ou=services,dc=example,dc=com".into()),
            bind_password: Some(Secret::new("pw")),
            user_base: "ou=people,dc=example,dc=com".into(),
            ..LdapConfig::default()
        }
    }

    #[test]
    fn defaults() {
        let c = LdapConfig::default();
        assert_eq!(c.user_filter, "(uid={username})");
        assert_eq!(c.display_name_attribute, "displayName");
        assert_eq!(c.email_attribute, "mail");
        assert_eq!(c.group_attribute, "memberOf");
        assert_eq!(
            (c.connect_timeout_secs, c.timeout_secs, c.pool_size),
            (5, 10, 4)
        );
        assert_eq!(c.name, "Company directory");
        assert_eq!(
            c.validate().unwrap_err(),
            "ldap.url: required (ldap://host or ldaps://host)"
        );
        assert!(valid().validate().is_ok());
    }

    #[test]
    fn parses_with_defaults_and_refuses_unknown_keys() {
        let c: LdapConfig = serde_json::from_str(
            r#"{"url":"ldap://127.0.0.1:3389","starttls":true,"user_base":"dc=x",
                "user_filter":"(sAMAccountName={username})"}"#,
        )
        .unwrap();
        assert!(c.starttls);
        assert_eq!(c.pool_size, 4);
        assert_eq!(c.transport(), Ok(Transport::StartTls));
        assert!(serde_json::from_str::<LdapConfig>(r#"{"uri":"ldap://x"}"#).is_err());
        // The password never prints.
        let text = format!("{:?} {}", valid(), serde_json::to_string(&valid()).unwrap());
        assert!(!text.contains("\"pw\"") && text.contains("***"), "{text}");
    }

    #[test]
    fn urls_and_transports() {
        let with = |url: &str, starttls: bool| {
            LdapConfig {
                url: url.into(),
                starttls,
                ..valid()
            }
            .validate()
        };
        assert!(with("ldap://127.0.0.1:389", false).is_ok());
        assert!(with("LDAPS://dc1:636/", false).is_ok());
        assert!(with("ldap://[::1]:389", true).is_ok());
        assert!(with("ldap://[::1]", false).is_ok());
        assert_eq!(
            with("ldaps://dc1", true).unwrap_err(),
            "ldap.starttls: only with an ldap:// url (ldaps:// is already encrypted)"
        );
        assert!(
            with("https://dc1", false)
                .unwrap_err()
                .starts_with("ldap.url: ")
        );
        assert!(
            with("ldap://dc1/dc=x", false)
                .unwrap_err()
                .contains("no path")
        );
        assert!(
            with("ldap://dc1:99999", false)
                .unwrap_err()
                .contains("invalid port")
        );
        let plain_with_ca = LdapConfig {
            url: "ldap://dc1".into(),
            ca_file: Some("/ca.pem".into()),
            ..valid()
        };
        assert!(
            plain_with_ca
                .validate()
                .unwrap_err()
                .starts_with("ldap.ca_file: ")
        );
    }

    #[test]
    fn bind_settings() {
        let mut c = valid();
        c.bind_password_file = Some("/run/secrets/ldap".into());
        assert_eq!(
            c.validate().unwrap_err(),
            "ldap.bind_password and ldap.bind_password_file: set only one"
        );
        c.bind_password = None;
        assert!(c.validate().is_ok());
        c.bind_password_file = None;
        assert!(
            c.validate()
                .unwrap_err()
                .starts_with("ldap.bind_password_file")
        );
        c.bind_dn = None;
        assert!(c.validate().is_ok(), "anonymous searches");
        c.bind_password = Some(Secret::new("pw"));
        assert_eq!(
            c.validate().unwrap_err(),
            "ldap.bind_dn: required with a bind password"
        );
        let mut c = valid();
        c.bind_password = Some(Secret::new(""));
        assert_eq!(c.validate().unwrap_err(), "ldap.bind_password: empty");
    }

    #[test]
    fn filters_and_attributes() {
        let mut c = valid();
        c.user_filter = "(uid=alice)".into();
        assert_eq!(
            c.validate().unwrap_err(),
            "ldap.user_filter: must use {username}"
        );
        c.user_filter = "(uid={user})".into();
        assert!(
            c.validate()
                .unwrap_err()
                .starts_with("ldap.user_filter: {user}")
        );
        let mut c = valid();
        c.group_base = Some("ou=groups,dc=example,dc=com".into());
        assert_eq!(
            c.validate().unwrap_err(),
            "ldap.group_filter: required with ldap.group_base"
        );
        c.group_filter = Some("(objectClass=groupOfNames)".into());
        assert!(
            c.validate()
                .unwrap_err()
                .contains("must use {dn} or {username}")
        );
        c.group_filter = Some("(&(objectClass=groupOfNames)(member={dn}))".into());
        c.group_name_attribute = Some("cn".into());
        assert!(c.validate().is_ok());
        let mut c = valid();
        c.group_name_attribute = Some("cn".into());
        assert!(
            c.validate()
                .unwrap_err()
                .starts_with("ldap.group_name_attribute")
        );
        let mut c = valid();
        c.group_attribute = String::new();
        assert!(c.validate().is_ok(), "no memberOf");
        c.email_attribute = "mail address".into();
        assert!(
            c.validate()
                .unwrap_err()
                .starts_with("ldap.email_attribute")
        );
        let mut c = valid();
        c.pool_size = 0;
        assert!(c.validate().unwrap_err().starts_with("ldap.pool_size"));
        let mut c = valid();
        c.timeout_secs = 0;
        assert!(c.validate().unwrap_err().starts_with("ldap.timeout_secs"));
    }
}
