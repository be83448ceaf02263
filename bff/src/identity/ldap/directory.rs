//! [`Directory`]: signing people in against the directory and reading who they are.

use super::config::{LdapConfig, Transport};
use super::error::{LdapError, operation_error, result_error, result_name};
use super::filter::FilterTemplate;
use super::pool::{Lease, Pool, PoolSettings};
use super::{SOURCE_ID, tls};
use crate::identity::ExternalIdentity;
use ldap3::{Scope, SearchEntry, SearchOptions};
use pexip::client::Secret;
use std::sync::Arc;
use std::time::Duration;

/// The LDAP / Active Directory identity source: cheap to clone (one shared connection pool).
///
/// Sign-in: a bind as the service account, a search for exactly one entry with the escaped
/// `user_filter`, a bind as that entry with the password, then the person's attributes and
/// groups (`memberOf` and/or the group search, read as the service account).
#[derive(Clone)]
pub struct Directory {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    pool: Pool,
    user_base: String,
    user_filter: FilterTemplate,
    /// Asked for in the user search: the display name, `cn`, email, username and group ones.
    user_attributes: Vec<String>,
    username_attribute: Option<String>,
    display_name_attribute: String,
    email_attribute: String,
    group_attribute: Option<String>,
    group_search: Option<GroupSearch>,
}

struct GroupSearch {
    base: String,
    filter: FilterTemplate,
    name_attribute: Option<String>,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("name", &self.inner.name)
            .field("url", &self.inner.pool.url())
            .finish_non_exhaustive()
    }
}

impl Directory {
    /// Checks `config`, reads the service account's password file and the CA file, and sets up
    /// the (still empty) connection pool. Nothing is contacted yet. Errors name the key and the
    /// file (`ldap.ca_file: cannot read /etc/portal/ca.pem: …`).
    pub fn new(config: &LdapConfig) -> Result<Directory, String> {
        config.validate()?;
        let transport = config.transport()?;
        let service = match &config.bind_dn {
            Some(dn) => Some((dn.trim().to_string(), bind_password(config)?)),
            None => None,
        };
        let tls = match transport {
            Transport::Plain => None,
            Transport::StartTls | Transport::Ldaps => {
                Some(tls::client_config(config.ca_file.as_deref())?)
            }
        };
        let url = config.url.trim().to_string();
        if transport == Transport::Plain && !is_loopback(&url) {
            tracing::warn!(%url, "ldap: the directory connection is not encrypted, so passwords \
                cross the network in clear text; use ldaps:// or ldap.starttls = true");
        }
        let user_filter = config.user_filter()?;
        let group_search = config.group_filter()?.map(|(base, filter)| GroupSearch {
            base,
            filter,
            name_attribute: config.group_name_attribute.clone(),
        });
        let group_attribute =
            Some(config.group_attribute.trim().to_string()).filter(|a| !a.is_empty());
        let mut user_attributes = vec![
            config.display_name_attribute.clone(),
            "cn".to_string(),
            config.email_attribute.clone(),
        ];
        user_attributes.extend(config.username_attribute.clone());
        user_attributes.extend(group_attribute.clone());
        let mut seen = std::collections::HashSet::new();
        user_attributes.retain(|attribute| seen.insert(attribute.to_ascii_lowercase()));
        let pool = Pool::new(PoolSettings {
            url,
            transport,
            tls,
            connect_timeout: Duration::from_secs(config.connect_timeout_secs),
            op_timeout: Duration::from_secs(config.timeout_secs),
            service,
            size: config.pool_size,
        });
        Ok(Directory {
            inner: Arc::new(Inner {
                name: config.name.trim().to_string(),
                pool,
                user_base: config.user_base.trim().to_string(),
                user_filter,
                user_attributes,
                username_attribute: config.username_attribute.clone(),
                display_name_attribute: config.display_name_attribute.clone(),
                email_attribute: config.email_attribute.clone(),
                group_attribute,
                group_search,
            }),
        })
    }

    /// The directory's name for the sign-in page (`ldap.name`).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// How many connections to the directory have been opened since the start (the pool keeps
    /// at most `ldap.pool_size` of them open).
    pub fn connections_opened(&self) -> u64 {
        self.inner.pool.opened()
    }

    /// Whether the service account can sign in to the directory now (for readiness checks).
    pub async fn check(&self) -> Result<(), LdapError> {
        match self.inner.pool.acquire().await {
            Ok(lease) => {
                lease.release();
                Ok(())
            }
            Err(error) => {
                self.log_failure("check", None, &error);
                Err(error)
            }
        }
    }

    /// Who `username` is, when `password` is theirs. An empty (or blank) username or password is
    /// refused as [`LdapError::InvalidCredentials`] without contacting the directory: an empty
    /// password would otherwise be an "unauthenticated bind", which many servers accept.
    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<ExternalIdentity, LdapError> {
        let typed = username.trim();
        if typed.is_empty() || password.trim().is_empty() {
            return Err(LdapError::InvalidCredentials);
        }
        let result = self.authenticate_checked(typed, password).await;
        if let Err(error) = &result {
            self.log_failure("sign-in", Some(typed), error);
        }
        result
    }

    async fn authenticate_checked(
        &self,
        typed: &str,
        password: &str,
    ) -> Result<ExternalIdentity, LdapError> {
        let mut lease = self.inner.pool.acquire().await?;
        let result = self.sign_in(&mut lease, typed, password).await;
        match &result {
            // The connection worked: keep it for the next sign-in.
            Ok(_) | Err(LdapError::InvalidCredentials | LdapError::Ambiguous) => lease.release(),
            // Anything else (timeouts, lost connections): discard it.
            Err(_) => drop(lease),
        }
        result
    }

    async fn sign_in(
        &self,
        lease: &mut Lease<'_>,
        typed: &str,
        password: &str,
    ) -> Result<ExternalIdentity, LdapError> {
        let inner = &*self.inner;
        let filter = inner.user_filter.render(&[("username", typed)]);
        let (mut entries, truncated) = self
            .search(
                lease,
                "ldap.user_base",
                &inner.user_base,
                &filter,
                &inner.user_attributes,
                2,
            )
            .await?;
        if entries.len() > 1 || truncated {
            let dns: Vec<&str> = entries.iter().map(|e| e.dn.as_str()).collect();
            tracing::warn!(username = %typed, %filter, matches = ?dns,
                "ldap: the username matches several directory entries; tighten ldap.user_filter");
            return Err(LdapError::Ambiguous);
        }
        let Some(entry) = entries.pop() else {
            tracing::debug!(username = %typed, "ldap: no directory entry for this username");
            return Err(LdapError::InvalidCredentials);
        };
        if entry.dn.trim().is_empty() {
            return Err(LdapError::Misconfigured(
                "the user search returned an entry without a DN".into(),
            ));
        }
        self.bind_person(lease, &entry.dn, password).await?;

        let username = match &inner.username_attribute {
            Some(attribute) => first_value(&entry, attribute).unwrap_or_else(|| {
                tracing::warn!(dn = %entry.dn, %attribute,
                    "ldap: the entry has no ldap.username_attribute; using the typed name");
                typed.to_string()
            }),
            None => typed.to_string(),
        };
        let mut groups = match &inner.group_attribute {
            Some(attribute) => values(&entry, attribute),
            None => Vec::new(),
        };
        if let Some(search) = &inner.group_search {
            // The person's bind replaced the service account's on this connection.
            lease.rebind_service().await?;
            let filter = search
                .filter
                .render(&[("dn", &entry.dn), ("username", &username)]);
            let attributes = match &search.name_attribute {
                Some(attribute) => vec![attribute.clone()],
                None => vec!["1.1".to_string()], // no attributes (RFC 4511 §4.5.1.8)
            };
            let (found, truncated) = self
                .search(
                    lease,
                    "ldap.group_base",
                    &search.base,
                    &filter,
                    &attributes,
                    0,
                )
                .await?;
            if truncated {
                tracing::warn!(dn = %entry.dn, "ldap: the group search was cut short by a \
                    directory size limit; some groups may be missing");
            }
            for group in found {
                let name = search
                    .name_attribute
                    .as_deref()
                    .and_then(|attribute| first_value(&group, attribute))
                    .unwrap_or(group.dn);
                groups.push(name);
            }
        }
        let mut seen = std::collections::HashSet::new();
        groups.retain(|group| seen.insert(group.to_lowercase()));

        Ok(ExternalIdentity {
            source: SOURCE_ID.to_string(),
            external_id: entry.dn.trim().to_lowercase(),
            username,
            display_name: first_value(&entry, &inner.display_name_attribute)
                .or_else(|| first_value(&entry, "cn")),
            email: first_value(&entry, &inner.email_attribute),
            groups,
        })
    }

    /// A subtree search; `key` names the base's setting in messages. Returns the entries
    /// (referrals skipped) and whether a size limit cut the answer short.
    async fn search(
        &self,
        lease: &mut Lease<'_>,
        key: &str,
        base: &str,
        filter: &str,
        attributes: &[String],
        size_limit: i32,
    ) -> Result<(Vec<SearchEntry>, bool), LdapError> {
        let pool = &self.inner.pool;
        let what = if key == "ldap.user_base" {
            "the user search"
        } else {
            "the group search"
        };
        let answer = lease
            .ldap()
            .with_search_options(SearchOptions::new().sizelimit(size_limit))
            .with_timeout(pool.op_timeout())
            .search(base, Scope::Subtree, filter, attributes)
            .await;
        let ldap3::SearchResult(entries, result) = match answer {
            Ok(answer) => answer,
            Err(error) => return Err(operation_error(pool.url(), what, &error)),
        };
        let truncated = match result.rc {
            0 => false,
            4 => true,
            32 => {
                return Err(LdapError::Misconfigured(format!(
                    "{what}: {key} {base:?} does not exist in the directory (result 32 \
                     noSuchObject)"
                )));
            }
            10 => {
                return Err(LdapError::Misconfigured(format!(
                    "{what}: {key} {base:?} is held by another server (referral to {})",
                    result.refs.join(", ")
                )));
            }
            rc => return Err(result_error(what, rc, &result.text)),
        };
        let entries = entries
            .into_iter()
            .filter(|entry| !entry.is_ref())
            .map(SearchEntry::construct)
            .collect();
        Ok((entries, truncated))
    }

    /// Binds as the person's entry with their password.
    async fn bind_person(
        &self,
        lease: &mut Lease<'_>,
        dn: &str,
        password: &str,
    ) -> Result<(), LdapError> {
        let pool = &self.inner.pool;
        let answer = lease
            .ldap()
            .with_timeout(pool.op_timeout())
            .simple_bind(dn, password)
            .await;
        match answer {
            Ok(result) if result.rc == 0 => Ok(()),
            // Wrong password, and the refusals a directory gives for locked, expired or
            // disabled accounts: all the same to the person signing in.
            Ok(result) if matches!(result.rc, 19 | 48 | 49 | 50 | 53) => {
                tracing::info!(%dn, rc = result.rc, result = result_name(result.rc),
                    text = %result.text.trim(), "ldap: the directory refused the person's bind");
                Err(LdapError::InvalidCredentials)
            }
            Ok(result) => Err(result_error("the user bind", result.rc, &result.text)),
            Err(error) => Err(operation_error(pool.url(), "the user bind", &error)),
        }
    }

    fn log_failure(&self, operation: &str, username: Option<&str>, error: &LdapError) {
        let url = self.inner.pool.url();
        match error {
            // Logged where they happen, with what they need.
            LdapError::InvalidCredentials | LdapError::Ambiguous => {}
            LdapError::Timeout => tracing::warn!(%url, username, operation,
                timeout_secs = self.inner.pool.op_timeout().as_secs(),
                "ldap: the directory did not answer in time"),
            LdapError::Unreachable(detail) => tracing::warn!(%url, username, operation,
                %detail, "ldap: the directory cannot be reached"),
            LdapError::Misconfigured(detail) => tracing::warn!(%url, username, operation,
                %detail, "ldap: the directory refused the portal's set-up"),
        }
    }
}

/// The service account's password: `bind_password`, or the first line of `bind_password_file`.
fn bind_password(config: &LdapConfig) -> Result<Secret, String> {
    if let Some(password) = &config.bind_password {
        return Ok(password.clone());
    }
    let Some(path) = &config.bind_password_file else {
        return Err(
            "ldap.bind_password_file (or ldap.bind_password): required with ldap.bind_dn".into(),
        );
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "ldap.bind_password_file: cannot read {}: {e}",
            path.display()
        )
    })?;
    let password = text.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(format!(
            "ldap.bind_password_file: {} is empty",
            path.display()
        ));
    }
    Ok(Secret::new(password))
}

/// Whether the url's host is this machine (plain LDAP there does not cross a network).
fn is_loopback(url: &str) -> bool {
    let rest = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(url)
        .trim_end_matches('/')
        .to_ascii_lowercase();
    let host = match rest.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => rest.split(':').next().unwrap_or(""),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The values of `attribute` (case-insensitive name), trimmed, without empty ones.
fn values(entry: &SearchEntry, attribute: &str) -> Vec<String> {
    entry
        .attrs
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case(attribute))
        .flat_map(|(_, values)| values.iter())
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
        .collect()
}

fn first_value(entry: &SearchEntry, attribute: &str) -> Option<String> {
    values(entry, attribute).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> LdapConfig {
        LdapConfig {
            url: "ldap://127.0.0.1:1".into(),
            user_base: "dc=example,dc=com".into(),
            ..LdapConfig::default()
        }
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("ldap://localhost:389"));
        assert!(is_loopback("ldap://127.0.0.1"));
        assert!(is_loopback("ldap://[::1]:389/"));
        assert!(!is_loopback("ldap://dc1.example.com"));
        assert!(!is_loopback("ldap://10.0.0.1:389"));
    }

    #[test]
    fn files_are_named_in_errors() {
        let mut c = config();
        c.bind_dn = Some("cn=portal,dc=example,dc=com".into());
        c.bind_password_file = Some("/nonexistent/ldap-password".into());
        let err = Directory::new(&c).unwrap_err();
        assert!(
            err.starts_with("ldap.bind_password_file: cannot read /nonexistent/ldap-password"),
            "{err}"
        );
        let mut c = config();
        c.url = "ldaps://127.0.0.1:1".into();
        c.ca_file = Some("/nonexistent/ca.pem".into());
        let err = Directory::new(&c).unwrap_err();
        assert!(
            err.starts_with("ldap.ca_file: cannot read /nonexistent/ca.pem"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn blank_credentials_are_refused_without_a_connection() {
        // The port is closed: contacting it would give Unreachable, not InvalidCredentials.
        let directory = Directory::new(&config()).unwrap();
        for (user, password) in [("alice", ""), ("alice", "   "), ("", "pw"), (" \t", "pw")] {
            assert_eq!(
                directory.authenticate(user, password).await,
                Err(LdapError::InvalidCredentials)
            );
        }
        assert_eq!(directory.connections_opened(), 0);
    }
}
