//! One configured OpenID provider: its HTTP client, its discovery document and signing keys
//! (fetched when first needed and cached), and the token request.

use super::config::{OidcConfig, OidcProviderConfig};
use super::discovery::{ClientAuth, Discovery, discovery_url};
use super::error::OidcError;
use super::http::{self, FetchError};
use super::jwks::{KeyCache, KeySet};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use pexip::client::Secret;
use reqwest::Url;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The shortest time between two fetches of a provider's keys caused by a token naming an
/// unknown key: a key rotation is picked up at once, a stream of forged `kid`s does not turn
/// into a stream of requests to the provider.
pub const DEFAULT_JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(30);

/// How long a discovery document is used before it is fetched again (the cached one stays in
/// use while the provider does not answer).
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// A configured OpenID provider. Cheap to clone; one per `[[oidc.providers]]` entry, made at
/// start and kept (it caches the provider's discovery document and keys).
#[derive(Clone)]
pub struct Provider {
    inner: Arc<Inner>,
}

struct Inner {
    config: OidcProviderConfig,
    client_secret: Secret,
    discovery_url: Url,
    http: reqwest::Client,
    discovery: Mutex<Option<(Arc<Discovery>, Instant)>>,
    keys: KeyCache,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("id", &self.inner.config.id)
            .field("issuer", &self.inner.config.issuer)
            .finish_non_exhaustive()
    }
}

impl Provider {
    /// The provider of `config` (validated by the caller, see
    /// [`OidcProviderConfig::validate`]): reads `client_secret_file` and `ca_file` now. Makes
    /// no request: the discovery document is fetched at the first sign-in.
    pub fn new(config: &OidcProviderConfig) -> Result<Provider, OidcError> {
        let problem = |reason: String| {
            OidcError::Config(format!("OpenID provider `{}`: {reason}", config.id))
        };
        let client_secret = match (&config.client_secret, &config.client_secret_file) {
            (Some(secret), _) => secret.clone(),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    problem(format!(
                        "cannot read client_secret_file {}: {error}",
                        path.display()
                    ))
                })?;
                let secret = text.trim();
                if secret.is_empty() {
                    return Err(problem(format!(
                        "client_secret_file {} is empty",
                        path.display()
                    )));
                }
                Secret::new(secret)
            }
            (None, None) => return Err(problem("no client secret".into())),
        };
        let http = http::client(
            config.ca_file.as_deref(),
            Duration::from_secs(config.timeout_secs.max(1)),
        )
        .map_err(problem)?;
        Ok(Provider {
            inner: Arc::new(Inner {
                discovery_url: discovery_url(&config.issuer).map_err(problem)?,
                config: config.clone(),
                client_secret,
                http,
                discovery: Mutex::new(None),
                keys: KeyCache::new(DEFAULT_JWKS_REFETCH_INTERVAL),
            }),
        })
    }

    /// Every provider of `[oidc]`, in order, after validating the section.
    pub fn all(config: &OidcConfig) -> Result<Vec<Provider>, OidcError> {
        config.validate().map_err(OidcError::Config)?;
        config.providers.iter().map(Provider::new).collect()
    }

    /// The same provider, with empty caches, and another shortest time between two key
    /// fetches caused by unknown keys (default [`DEFAULT_JWKS_REFETCH_INTERVAL`]; tests rotate
    /// keys faster than that).
    pub fn with_jwks_refetch_interval(&self, interval: Duration) -> Provider {
        let inner = &self.inner;
        Provider {
            inner: Arc::new(Inner {
                config: inner.config.clone(),
                client_secret: inner.client_secret.clone(),
                discovery_url: inner.discovery_url.clone(),
                http: inner.http.clone(),
                discovery: Mutex::new(None),
                keys: KeyCache::new(interval),
            }),
        }
    }

    /// The configured id (callback path, account source).
    pub fn id(&self) -> &str {
        &self.inner.config.id
    }

    /// The name shown to people ("Sign in with <name>").
    pub fn name(&self) -> &str {
        &self.inner.config.name
    }

    /// The configuration this provider was made from.
    pub fn config(&self) -> &OidcProviderConfig {
        &self.inner.config
    }

    fn unreachable(&self) -> OidcError {
        OidcError::Unreachable {
            provider: self.name().to_owned(),
        }
    }

    fn invalid_answer(&self) -> OidcError {
        OidcError::InvalidAnswer {
            provider: self.name().to_owned(),
        }
    }

    /// The provider's discovery document: cached for an hour, fetched when missing or older
    /// (the old one is kept when the provider does not answer).
    pub(crate) async fn discovery(&self) -> Result<Arc<Discovery>, OidcError> {
        let mut cached = self.inner.discovery.lock().await;
        if let Some((discovery, fetched)) = cached.as_ref()
            && fetched.elapsed() < DISCOVERY_TTL
        {
            return Ok(discovery.clone());
        }
        let url = &self.inner.discovery_url;
        let fetched = match http::get_json::<serde_json::Value>(&self.inner.http, url).await {
            Ok(json) => Discovery::parse(&self.inner.config.issuer, json).map_err(|reason| {
                tracing::warn!(provider = %self.id(), %url, "OpenID discovery refused: {reason}");
                self.invalid_answer()
            }),
            Err(error) => {
                tracing::warn!(provider = %self.id(), %url, "OpenID discovery failed: {error}");
                Err(match error {
                    FetchError::Invalid(_) => self.invalid_answer(),
                    _ => self.unreachable(),
                })
            }
        };
        match (fetched, cached.as_ref()) {
            (Ok(discovery), _) => {
                let discovery = Arc::new(discovery);
                *cached = Some((discovery.clone(), Instant::now()));
                Ok(discovery)
            }
            (Err(_), Some((stale, _))) => Ok(stale.clone()),
            (Err(error), None) => Err(error),
        }
    }

    /// The key cache, with the fetch it needs.
    pub(crate) fn keys(&self) -> &KeyCache {
        &self.inner.keys
    }

    /// Fetches the provider's current key set (`jwks_uri`); `None` (logged) when it fails.
    pub(crate) async fn fetch_keys(&self, discovery: &Discovery) -> Option<KeySet> {
        let url = &discovery.jwks_uri;
        let result = match http::get_json::<serde_json::Value>(&self.inner.http, url).await {
            Ok(json) => KeySet::parse(json),
            Err(error) => Err(error.to_string()),
        };
        match result {
            Ok(keys) => {
                tracing::info!(
                    provider = %self.id(),
                    keys = keys.keys.len(),
                    "fetched the OpenID provider's signing keys"
                );
                Some(keys)
            }
            Err(reason) => {
                tracing::warn!(
                    provider = %self.id(),
                    %url,
                    "cannot fetch the OpenID provider's signing keys: {reason}"
                );
                None
            }
        }
    }

    /// Exchanges an authorization code for the ID token at the token endpoint (with the PKCE
    /// verifier and the client's authentication).
    pub(crate) async fn exchange_code(
        &self,
        discovery: &Discovery,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
    ) -> Result<String, OidcError> {
        #[derive(Deserialize)]
        struct TokenResponse {
            id_token: Option<String>,
        }
        let config = &self.inner.config;
        let secret = self.inner.client_secret.expose();
        // The form serializer is not `Send`: it lives in this block only, before any await.
        let (authorization, body) = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "authorization_code")
                .append_pair("code", code)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("code_verifier", code_verifier);
            let authorization = match discovery.client_auth {
                ClientAuth::Basic => {
                    // RFC 6749 §2.3.1: both form-encoded before Basic encoding.
                    let encode =
                        |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                    let credentials = format!("{}:{}", encode(&config.client_id), encode(secret));
                    Some(format!("Basic {}", STANDARD.encode(credentials)))
                }
                ClientAuth::Post => {
                    form.append_pair("client_id", &config.client_id)
                        .append_pair("client_secret", secret);
                    None
                }
            };
            (authorization, form.finish())
        };
        let answer = http::post_form::<TokenResponse>(
            &self.inner.http,
            &discovery.token_endpoint,
            authorization,
            body,
        )
        .await;
        match answer {
            Ok(TokenResponse {
                id_token: Some(id_token),
            }) => Ok(id_token),
            Ok(TokenResponse { id_token: None }) => {
                tracing::warn!(
                    provider = %self.id(),
                    "OpenID sign-in refused: the token response has no ID token \
                     (is `openid` among the scopes?)"
                );
                Err(self.invalid_answer())
            }
            Err(error) => {
                tracing::warn!(
                    provider = %self.id(),
                    url = %discovery.token_endpoint,
                    "OpenID sign-in refused: the token request failed: {error}"
                );
                Err(match error {
                    FetchError::Status {
                        error: Some(code), ..
                    } if code == "invalid_grant" => OidcError::CodeRejected {
                        provider: self.name().to_owned(),
                    },
                    FetchError::Status { status, .. } if status.is_client_error() => {
                        // invalid_client and the like: the portal's registration is wrong.
                        self.invalid_answer()
                    }
                    FetchError::Invalid(_) => self.invalid_answer(),
                    _ => self.unreachable(),
                })
            }
        }
    }
}
