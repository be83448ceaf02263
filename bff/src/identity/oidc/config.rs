//! `[[oidc.providers]]`: the OpenID providers people may sign in with.

use pexip::client::Secret;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::PathBuf;

/// `[oidc]`: the OpenID Connect providers offered on the sign-in page, in this order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    pub providers: Vec<OidcProviderConfig>,
}

impl OidcConfig {
    /// Whether every provider's settings make sense and the ids are unique. The message names
    /// the key, e.g. ``oidc.providers[1].issuer: …``.
    pub fn validate(&self) -> Result<(), String> {
        let mut ids = HashSet::new();
        for (index, provider) in self.providers.iter().enumerate() {
            provider.validate(index)?;
            if !ids.insert(provider.id.as_str()) {
                return Err(format!(
                    "oidc.providers[{index}].id: `{}` is used by another provider",
                    provider.id
                ));
            }
        }
        Ok(())
    }
}

/// One `[[oidc.providers]]` entry: a provider where the portal is registered as a confidential
/// client (authorization code flow, PKCE S256).
///
/// ```toml
/// [[oidc.providers]]
/// id = "entra"
/// name = "Contoso account"
/// issuer = "https://login.microsoftonline.com/<tenant id>/v2.0"
/// client_id = "6731de76-14a6-49ae-97bc-6eba6914391e"
/// client_secret_file = "/run/secrets/entra-client-secret"
/// groups_claim = "groups"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderConfig {
    /// Short, URL-safe and unique (lowercase letters, digits, `-`, `_`): it is part of the
    /// callback path (`/auth/oidc/<id>/callback`) and is the `source` of the accounts made
    /// through this provider, so changing it later orphans them.
    pub id: String,
    /// Shown on the sign-in page: "Sign in with <name>".
    pub name: String,
    /// The issuer identifier, exactly as the provider's discovery document states it (the
    /// document is read from `<issuer>/.well-known/openid-configuration`). `https://`; plain
    /// `http://` only on 127.0.0.1 or localhost (tests).
    pub issuer: String,
    /// The portal's client id at the provider.
    pub client_id: String,
    /// The client secret (prefer `client_secret_file`). Exactly one of the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    /// A file holding the client secret, read at start (surrounding whitespace ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_file: Option<PathBuf>,
    /// Scopes requested; must include `openid`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The claim holding the username; without it in a token, `sub` is used.
    #[serde(default = "default_username_claim")]
    pub username_claim: String,
    /// The claim holding the email address (used only when verified, see the module docs).
    #[serde(default = "default_email_claim")]
    pub email_claim: String,
    /// The claim holding the groups: an array of strings or a single string. A dotted path
    /// reaches into objects (`realm_access.roles` for Keycloak realm roles); a claim whose own
    /// name contains dots (`https://example.com/groups`) is found as it is first.
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    /// Trust the email claim even without `email_verified: true`. Only for a provider whose
    /// users cannot choose their own address (see the module docs).
    #[serde(default)]
    pub email_authoritative: bool,
    /// PEM of the CA (or certificates) to trust for the provider's HTTPS instead of the
    /// system's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// Timeout of each request to the provider (discovery, keys, token), in seconds.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile"].map(String::from).to_vec()
}

fn default_username_claim() -> String {
    "preferred_username".into()
}

fn default_email_claim() -> String {
    "email".into()
}

fn default_groups_claim() -> String {
    "groups".into()
}

fn default_timeout_secs() -> u64 {
    10
}

/// Account sources that are not OpenID providers.
const RESERVED_IDS: [&str; 2] = ["local", "ldap"];

impl OidcProviderConfig {
    /// A provider with the defaults for everything optional (tests, programmatic set-up).
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            issuer: issuer.into(),
            client_id: client_id.into(),
            client_secret: Some(client_secret),
            client_secret_file: None,
            scopes: default_scopes(),
            username_claim: default_username_claim(),
            email_claim: default_email_claim(),
            groups_claim: default_groups_claim(),
            email_authoritative: false,
            ca_file: None,
            timeout_secs: default_timeout_secs(),
        }
    }

    /// Whether the settings make sense; `index` is the entry's place in `oidc.providers`, used
    /// to name the key in the message (files are read later, by
    /// [`Provider::new`](super::Provider::new)).
    pub fn validate(&self, index: usize) -> Result<(), String> {
        let at = |key: &str| format!("oidc.providers[{index}].{key}");
        let id = self.id.as_str();
        if id.is_empty()
            || id.len() > 64
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(format!(
                "{}: `{id}` must be 1 to 64 lowercase letters, digits, `-` or `_` \
                 (it is part of the callback path)",
                at("id")
            ));
        }
        if RESERVED_IDS.contains(&id) {
            return Err(format!(
                "{}: `{id}` is reserved for the portal's own accounts",
                at("id")
            ));
        }
        if self.name.trim().is_empty() {
            return Err(format!("{}: the name is empty", at("name")));
        }
        check_url(&self.issuer).map_err(|reason| format!("{}: {reason}", at("issuer")))?;
        if self.client_id.trim().is_empty() {
            return Err(format!("{}: the client id is empty", at("client_id")));
        }
        match (&self.client_secret, &self.client_secret_file) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "{}: set client_secret or client_secret_file, not both",
                    at("client_secret")
                ));
            }
            (None, None) => {
                return Err(format!(
                    "{}: the client secret is missing (set client_secret_file or client_secret)",
                    at("client_secret_file")
                ));
            }
            (Some(secret), None) if secret.expose().trim().is_empty() => {
                return Err(format!("{}: the secret is empty", at("client_secret")));
            }
            _ => {}
        }
        if !self.scopes.iter().any(|scope| scope == "openid") {
            return Err(format!("{}: must include `openid`", at("scopes")));
        }
        if let Some(scope) = self
            .scopes
            .iter()
            .find(|scope| scope.is_empty() || scope.chars().any(|c| c.is_whitespace()))
        {
            return Err(format!(
                "{}: `{scope}` is not a scope (one scope per entry, no spaces)",
                at("scopes")
            ));
        }
        for (key, claim) in [
            ("username_claim", &self.username_claim),
            ("email_claim", &self.email_claim),
            ("groups_claim", &self.groups_claim),
        ] {
            if claim.trim().is_empty() {
                return Err(format!("{}: the claim name is empty", at(key)));
            }
        }
        if !(1..=300).contains(&self.timeout_secs) {
            return Err(format!(
                "{}: must be between 1 and 300 seconds",
                at("timeout_secs")
            ));
        }
        Ok(())
    }
}

/// Whether `url` may be one of the provider's addresses: `https://`, or `http://` to the local
/// machine; no credentials, query or fragment.
pub(crate) fn check_url(url: &str) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|error| format!("`{url}` is not a URL ({error})"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(format!(
                "`{url}` must use https:// (http:// only for 127.0.0.1 or localhost)"
            ));
        }
        _ => return Err(format!("`{url}` must be an https:// URL")),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("`{url}` must not hold credentials"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!("`{url}` must not have a query or fragment"));
    }
    Ok(parsed)
}

fn is_loopback(url: &Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> OidcProviderConfig {
        OidcProviderConfig::new(
            "acme",
            "Acme",
            "https://id.acme.example/realms/staff",
            "portal",
            Secret::new("s3cret"),
        )
    }

    fn error_of(edit: impl FnOnce(&mut OidcProviderConfig)) -> String {
        let mut config = valid();
        edit(&mut config);
        config.validate(2).unwrap_err()
    }

    #[test]
    fn defaults() {
        let config: OidcConfig = serde_json::from_str(
            r#"{"providers": [{"id": "kc", "name": "Keycloak",
                "issuer": "https://kc.example/realms/x", "client_id": "portal",
                "client_secret_file": "/run/secret"}]}"#,
        )
        .unwrap();
        config.validate().unwrap();
        let provider = &config.providers[0];
        assert_eq!(provider.scopes, ["openid", "email", "profile"]);
        assert_eq!(provider.username_claim, "preferred_username");
        assert_eq!(provider.email_claim, "email");
        assert_eq!(provider.groups_claim, "groups");
        assert!(!provider.email_authoritative);
        assert_eq!(provider.timeout_secs, 10);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let error = serde_json::from_str::<OidcConfig>(
            r#"{"providers": [{"id": "kc", "name": "Keycloak", "issuer": "https://kc.example",
                "client_id": "portal", "client_secret": "x", "groups_clam": "roles"}]}"#,
        )
        .unwrap_err();
        assert!(error.to_string().contains("groups_clam"), "{error}");
    }

    #[test]
    fn messages_name_the_key() {
        valid().validate(0).unwrap();
        assert!(error_of(|c| c.id = "Acme Corp".into()).starts_with("oidc.providers[2].id:"));
        assert!(error_of(|c| c.id = "local".into()).contains("reserved"));
        assert!(error_of(|c| c.id = "ldap".into()).contains("reserved"));
        assert!(error_of(|c| c.name = " ".into()).starts_with("oidc.providers[2].name:"));
        let error = error_of(|c| c.issuer = "http://id.acme.example".into());
        assert!(error.starts_with("oidc.providers[2].issuer:"), "{error}");
        assert!(error_of(|c| c.issuer = "id.acme.example".into()).contains("not a URL"));
        assert!(error_of(|c| c.issuer = "https://id.example/?x=1".into()).contains("query"));
        assert!(error_of(|c| c.client_id = String::new()).contains("client_id"));
        assert!(error_of(|c| c.client_secret = None).contains("client_secret_file"));
        assert!(error_of(|c| c.client_secret_file = Some("/run/s".into())).contains("not both"));
        assert!(error_of(|c| c.scopes = vec!["email".into()]).contains("openid"));
        assert!(error_of(|c| c.scopes.push("a b".into())).contains("scopes"));
        assert!(error_of(|c| c.groups_claim = String::new()).contains("groups_claim"));
        assert!(error_of(|c| c.timeout_secs = 0).contains("timeout_secs"));
    }

    #[test]
    fn http_only_on_the_local_machine() {
        for issuer in [
            "http://127.0.0.1:8080",
            "http://localhost:9000/realms/x",
            "http://[::1]:5556",
        ] {
            let mut config = valid();
            config.issuer = issuer.into();
            config.validate(0).unwrap();
        }
        assert!(check_url("http://127.0.0.2").is_err());
        assert!(check_url("ftp://id.example").is_err());
        assert!(check_url("https://user:pw@id.example").is_err());
    }

    #[test]
    fn ids_are_unique() {
        let config = OidcConfig {
            providers: vec![valid(), valid()],
        };
        let error = config.validate().unwrap_err();
        assert!(error.starts_with("oidc.providers[1].id:"), "{error}");
    }

    #[test]
    fn the_secret_never_serializes() {
        let text = serde_json::to_string(&OidcConfig {
            providers: vec![valid()],
        })
        .unwrap();
        assert!(!text.contains("s3cret"), "{text}");
    }
}
