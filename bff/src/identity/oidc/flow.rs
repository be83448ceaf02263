//! The authorization code flow: [`begin`], the provider, [`finish`]; and [`end_session_url`]
//! for signing out at the provider too.

use super::error::{IdTokenError, OidcError};
use super::http::printable;
use super::id_token::{self, Expected};
use super::pending::{self, PENDING_LOGIN_TTL_SECS, PendingLogin};
use super::pkce::{binding_hash, code_challenge, random_token};
use super::provider::Provider;
use crate::constant_time;
use crate::db::{Db, now_unix};
use crate::identity::ExternalIdentity;
use serde::Deserialize;

/// What [`begin`] gives the caller: where to send the browser, and the binding token.
#[derive(Clone, PartialEq, Eq)]
pub struct SignInStart {
    /// The provider's authorization URL with this sign-in's parameters: answer the browser
    /// with a redirect (`303 See Other`) to it.
    pub authorization_url: String,
    /// Ties the sign-in to this browser: put it in a short-lived cookie (`HttpOnly`,
    /// `SameSite=Lax` so that it comes back with the provider's redirect, `Secure` under
    /// HTTPS, `Max-Age` = [`PENDING_LOGIN_TTL_SECS`], path the callback's) and hand it to
    /// [`finish`]. Only its hash is stored.
    pub binding_token: String,
}

impl std::fmt::Debug for SignInStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInStart")
            .field("authorization_url", &self.authorization_url)
            .field("binding_token", &"***")
            .finish()
    }
}

/// A completed sign-in.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// Who signed in, as the provider vouches (email only when verified).
    pub identity: ExternalIdentity,
    /// The validated ID token: keep it with the session as the `id_token_hint` of
    /// [`end_session_url`] (and never log it).
    pub id_token: String,
    /// The local path given to [`begin`], to go to now.
    pub next: String,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("identity", &self.identity)
            .field("id_token", &"***")
            .field("next", &self.next)
            .finish()
    }
}

/// The query of the provider's redirect to the callback: `code` and `state`, or `error` (and
/// `error_description`); `iss` when the provider sends it (RFC 9207). Deserializable from the
/// query string (`axum::extract::Query<CallbackParams>`).
#[derive(Clone, Default, Deserialize)]
pub struct CallbackParams {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub iss: Option<String>,
}

impl std::fmt::Debug for CallbackParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackParams")
            .field("code", &self.code.as_ref().map(|_| "***"))
            .field("state", &self.state.as_ref().map(|_| "***"))
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .field("iss", &self.iss)
            .finish()
    }
}

impl CallbackParams {
    /// The code and state to hand to [`finish`], or why there are none: the provider's
    /// `error=` (`access_denied` → [`OidcError::Denied`], others →
    /// [`OidcError::ProviderError`]), an `iss` other than the provider's issuer (a mix-up
    /// attack), or a missing parameter. Refusals are logged.
    pub fn code_and_state(&self, provider: &Provider) -> Result<(&str, &str), OidcError> {
        if let Some(error) = &self.error {
            let code: String = error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect();
            tracing::info!(
                provider = %provider.id(),
                error = %code,
                description = %printable(self.error_description.as_deref().unwrap_or(""), 200),
                "OpenID sign-in refused by the provider"
            );
            return Err(if code == "access_denied" {
                OidcError::Denied {
                    provider: provider.name().to_owned(),
                }
            } else {
                OidcError::ProviderError {
                    provider: provider.name().to_owned(),
                    code,
                }
            });
        }
        if let Some(iss) = &self.iss
            && iss != &provider.config().issuer
        {
            tracing::warn!(
                provider = %provider.id(),
                iss = %printable(iss, 200),
                "OpenID sign-in refused: the callback's iss is not the provider's issuer"
            );
            return Err(OidcError::StaleLogin);
        }
        match (self.code.as_deref(), self.state.as_deref()) {
            (Some(code), Some(state)) if !code.is_empty() && !state.is_empty() => Ok((code, state)),
            _ => {
                tracing::info!(
                    provider = %provider.id(),
                    "OpenID sign-in refused: the callback has no code or no state"
                );
                Err(OidcError::StaleLogin)
            }
        }
    }
}

/// `next` when it is a path on this site (`/rooms?x=1`), else `/`: the portal never sends a
/// signed-in browser to another site (open redirect).
pub fn local_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2048
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if local { next.to_owned() } else { "/".into() }
}

/// Starts a sign-in with `provider`: stores a pending sign-in (random state, nonce and PKCE
/// verifier, `next` made local by [`local_next`], the hash of a new binding token) and returns
/// the authorization URL (`response_type=code`, `client_id`, `redirect_uri`, `scope`, `state`,
/// `nonce`, `code_challenge`, `code_challenge_method=S256`) with the binding token.
///
/// `redirect_uri` is the portal's callback for this provider as registered there (e.g.
/// `https://portal.example.com/auth/oidc/<id>/callback`); [`finish`] must get the same.
/// Fetches the discovery document when it is not cached; also deletes expired pending
/// sign-ins.
pub async fn begin(
    db: &Db,
    provider: &Provider,
    redirect_uri: &str,
    next: &str,
) -> Result<SignInStart, OidcError> {
    let discovery = provider.discovery().await?;
    pending::delete_expired_pending(db).await?;
    let binding_token = random_token();
    let login = PendingLogin {
        state: random_token(),
        provider_id: provider.id().to_owned(),
        nonce: random_token(),
        code_verifier: random_token(),
        next_path: local_next(next),
        binding_hash: binding_hash(&binding_token),
        created_at: now_unix(),
    };
    pending::insert(db, &login).await?;
    let config = provider.config();
    let mut url = discovery.authorization_endpoint.clone();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", &config.scopes.join(" "))
        .append_pair("state", &login.state)
        .append_pair("nonce", &login.nonce)
        .append_pair("code_challenge", &code_challenge(&login.code_verifier))
        .append_pair("code_challenge_method", "S256");
    tracing::info!(provider = %provider.id(), "OpenID sign-in started");
    Ok(SignInStart {
        authorization_url: url.into(),
        binding_token,
    })
}

/// Completes a sign-in at the callback of `provider_id` (one of `providers`):
///
/// 1. takes the pending sign-in of `state` (deleting it: a replayed callback fails with
///    [`OidcError::StaleLogin`]), and checks it is for this provider, from this browser
///    (`binding_token`, the cookie set after [`begin`]; compared in constant time) and younger
///    than [`PENDING_LOGIN_TTL_SECS`];
/// 2. exchanges `code` at the token endpoint with the PKCE verifier and the client's
///    authentication (`client_secret_basic`, or `client_secret_post` when the provider
///    supports only that), with the same `redirect_uri` as [`begin`];
/// 3. validates the ID token: an RS256, PS256 or ES256 signature by the provider's key for
///    its `kid` (keys fetched again once when the `kid` is unknown, see
///    [`DEFAULT_JWKS_REFETCH_INTERVAL`](super::DEFAULT_JWKS_REFETCH_INTERVAL)), `iss`, `aud`
///    and `azp`, `exp` and `iat` with 60 s of leeway, and the `nonce`;
/// 4. returns the identity: `sub`, the username claim (else `sub`), `name`, the groups claim,
///    and the email only when `email_verified` is true or the provider is authoritative.
///
/// Every refusal is logged with its reason (never a token, code or secret).
pub async fn finish(
    db: &Db,
    providers: &[Provider],
    provider_id: &str,
    code: &str,
    state: &str,
    binding_token: Option<&str>,
    redirect_uri: &str,
) -> Result<SignedIn, OidcError> {
    let Some(provider) = providers.iter().find(|p| p.id() == provider_id) else {
        tracing::info!(
            provider = %printable(provider_id, 64),
            "OpenID sign-in refused: no such provider"
        );
        return Err(OidcError::UnknownProvider);
    };
    let id = provider.id();
    let Some(login) = pending::take(db, state).await? else {
        tracing::info!(
            provider = %id,
            "OpenID sign-in refused: no pending sign-in has this state (never started, \
             already used, or expired and deleted)"
        );
        return Err(OidcError::StaleLogin);
    };
    if login.provider_id != id {
        tracing::warn!(
            provider = %id,
            started_with = %login.provider_id,
            "OpenID sign-in refused: the sign-in was started with another provider"
        );
        return Err(OidcError::WrongBrowser);
    }
    let same_browser = binding_token.is_some_and(|token| {
        constant_time::eq(
            binding_hash(token).as_bytes(),
            login.binding_hash.as_bytes(),
        )
    });
    if !same_browser {
        tracing::warn!(
            provider = %id,
            cookie = binding_token.is_some(),
            "OpenID sign-in refused: the browser's binding cookie is missing or is not the \
             one of this sign-in"
        );
        return Err(OidcError::WrongBrowser);
    }
    let age = now_unix() - login.created_at;
    if !(-60..=PENDING_LOGIN_TTL_SECS).contains(&age) {
        tracing::info!(
            provider = %id,
            age_secs = age,
            "OpenID sign-in refused: the sign-in was started too long ago"
        );
        return Err(OidcError::StaleLogin);
    }
    let discovery = provider.discovery().await?;
    let id_token = provider
        .exchange_code(&discovery, code, redirect_uri, &login.code_verifier)
        .await?;
    let config = provider.config();
    let expected = Expected {
        issuer: &config.issuer,
        client_id: &config.client_id,
        nonce: &login.nonce,
        now: now_unix(),
    };
    let claims = id_token::validate(
        &id_token,
        provider.keys(),
        || provider.fetch_keys(&discovery),
        &expected,
    )
    .await
    .map_err(|reason| {
        tracing::warn!(provider = %id, "OpenID sign-in refused: invalid ID token: {reason}");
        match reason {
            IdTokenError::KeysUnavailable => OidcError::Unreachable {
                provider: provider.name().to_owned(),
            },
            reason => OidcError::InvalidIdToken {
                provider: provider.name().to_owned(),
                reason,
            },
        }
    })?;
    let identity = id_token::identity(&claims, config);
    tracing::info!(
        provider = %id,
        sub = %identity.external_id,
        username = %identity.username,
        groups = identity.groups.len(),
        email = identity.email.is_some(),
        "OpenID sign-in validated"
    );
    Ok(SignedIn {
        identity,
        id_token,
        next: login.next_path,
    })
}

/// Where to send the browser to sign out at the provider too (OpenID Connect RP-Initiated
/// Logout): the provider's `end_session_endpoint` with `client_id`, `id_token_hint` (the
/// [`SignedIn::id_token`] of the session) and `post_logout_redirect_uri` (registered at the
/// provider) when given. `None` when the provider has no such endpoint or cannot be reached
/// (then only the portal's session ends).
pub async fn end_session_url(
    provider: &Provider,
    id_token_hint: Option<&str>,
    post_logout_redirect_uri: Option<&str>,
) -> Option<String> {
    let discovery = provider.discovery().await.ok()?;
    let mut url = discovery.end_session_endpoint.clone()?;
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("client_id", &provider.config().client_id);
        if let Some(hint) = id_token_hint {
            query.append_pair("id_token_hint", hint);
        }
        if let Some(uri) = post_logout_redirect_uri {
            query.append_pair("post_logout_redirect_uri", uri);
        }
    }
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flow's futures are `Send` (axum handlers need it): checked when this compiles.
    #[allow(dead_code)]
    fn futures_are_send(db: &Db, provider: &Provider, providers: &[Provider]) {
        fn send<T: Send>(_: T) {}
        send(begin(db, provider, "", ""));
        send(finish(db, providers, "", "", "", None, ""));
        send(end_session_url(provider, None, None));
        send(super::super::delete_expired_pending(db));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(local_next("/rooms?name=a"), "/rooms?name=a");
        assert_eq!(local_next("/"), "/");
        for outside in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/ok\\..",
            "rooms",
            "",
            "/a\nb",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_next(outside), "/", "{outside:?}");
        }
    }
}
