//! The provider's discovery document (`<issuer>/.well-known/openid-configuration`).

use super::config::check_url;
use reqwest::Url;
use serde::Deserialize;

/// The fields of the discovery document the portal uses.
#[derive(Debug, Clone, Deserialize)]
struct Document {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    end_session_endpoint: Option<String>,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    code_challenge_methods_supported: Option<Vec<String>>,
}

/// How the portal authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientAuth {
    /// HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1).
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Post,
}

/// A checked discovery document.
#[derive(Debug, Clone)]
pub(crate) struct Discovery {
    pub authorization_endpoint: Url,
    pub token_endpoint: Url,
    pub jwks_uri: Url,
    pub end_session_endpoint: Option<Url>,
    pub client_auth: ClientAuth,
}

/// Where the discovery document of `issuer` is (OpenID Connect Discovery §4).
pub(crate) fn discovery_url(issuer: &str) -> Result<Url, String> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    Url::parse(&url).map_err(|error| format!("`{url}`: {error}"))
}

impl Discovery {
    /// Checks a discovery document served for `issuer`: its `issuer` must be exactly the
    /// configured one (OpenID Connect Discovery §4.3), and every endpoint an https:// URL
    /// (http:// only on the local machine).
    pub(crate) fn parse(issuer: &str, json: serde_json::Value) -> Result<Discovery, String> {
        let document: Document = serde_json::from_value(json)
            .map_err(|error| format!("the discovery document is invalid: {error}"))?;
        if document.issuer != issuer {
            return Err(format!(
                "the discovery document is for the issuer `{}`, not the configured `{issuer}` \
                 (they must be exactly equal)",
                super::http::printable(&document.issuer, 200)
            ));
        }
        let endpoint = |name: &str, value: &str| {
            check_url_with_query(value).map_err(|reason| format!("{name}: {reason}"))
        };
        let client_auth = match &document.token_endpoint_auth_methods_supported {
            // Discovery §3: the default is client_secret_basic.
            None => ClientAuth::Basic,
            Some(methods) if methods.iter().any(|m| m == "client_secret_basic") => {
                ClientAuth::Basic
            }
            Some(methods) if methods.iter().any(|m| m == "client_secret_post") => ClientAuth::Post,
            Some(methods) => {
                return Err(format!(
                    "the token endpoint supports neither client_secret_basic nor \
                     client_secret_post (only {})",
                    super::http::printable(&methods.join(", "), 200)
                ));
            }
        };
        if let Some(methods) = &document.code_challenge_methods_supported
            && !methods.iter().any(|m| m == "S256")
        {
            tracing::warn!(
                issuer,
                "the OpenID provider does not list PKCE S256 among its code challenge methods; \
                 the portal sends it anyway"
            );
        }
        Ok(Discovery {
            authorization_endpoint: endpoint(
                "authorization_endpoint",
                &document.authorization_endpoint,
            )?,
            token_endpoint: endpoint("token_endpoint", &document.token_endpoint)?,
            jwks_uri: endpoint("jwks_uri", &document.jwks_uri)?,
            end_session_endpoint: document
                .end_session_endpoint
                .as_deref()
                .map(|url| endpoint("end_session_endpoint", url))
                .transpose()?,
            client_auth,
        })
    }
}

/// Like [`check_url`], but an endpoint may carry a query (some providers add one, e.g.
/// `?p=policy` for Azure AD B2C).
fn check_url_with_query(url: &str) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|error| format!("`{url}` is not a URL ({error})"))?;
    let mut bare = parsed.clone();
    bare.set_query(None);
    check_url(bare.as_str())?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(issuer: &str) -> serde_json::Value {
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/auth"),
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "end_session_endpoint": format!("{issuer}/session/end"),
        })
    }

    #[test]
    fn the_issuer_must_match_exactly() {
        let issuer = "https://id.example/realms/staff";
        let discovery = Discovery::parse(issuer, document(issuer)).unwrap();
        assert_eq!(
            discovery.token_endpoint.as_str(),
            "https://id.example/realms/staff/token"
        );
        assert_eq!(discovery.client_auth, ClientAuth::Basic);
        assert!(discovery.end_session_endpoint.is_some());
        let error =
            Discovery::parse(issuer, document("https://id.example/realms/staff/")).unwrap_err();
        assert!(error.contains("exactly"), "{error}");
        assert!(Discovery::parse(issuer, document("https://evil.example")).is_err());
    }

    #[test]
    fn endpoints_must_be_https() {
        let issuer = "https://id.example";
        let mut doc = document(issuer);
        doc["token_endpoint"] = json!("http://id.example/token");
        let error = Discovery::parse(issuer, doc).unwrap_err();
        assert!(error.starts_with("token_endpoint:"), "{error}");
    }

    #[test]
    fn client_authentication_follows_the_document() {
        let issuer = "https://id.example";
        let mut doc = document(issuer);
        doc["token_endpoint_auth_methods_supported"] = json!(["client_secret_post"]);
        assert_eq!(
            Discovery::parse(issuer, doc.clone()).unwrap().client_auth,
            ClientAuth::Post
        );
        doc["token_endpoint_auth_methods_supported"] =
            json!(["client_secret_post", "client_secret_basic"]);
        assert_eq!(
            Discovery::parse(issuer, doc.clone()).unwrap().client_auth,
            ClientAuth::Basic
        );
        doc["token_endpoint_auth_methods_supported"] = json!(["private_key_jwt"]);
        assert!(Discovery::parse(issuer, doc).is_err());
    }

    #[test]
    fn the_well_known_address() {
        assert_eq!(
            discovery_url("https://id.example/realms/x/")
                .unwrap()
                .as_str(),
            "https://id.example/realms/x/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_url("http://127.0.0.1:4000").unwrap().as_str(),
            "http://127.0.0.1:4000/.well-known/openid-configuration"
        );
    }
}
