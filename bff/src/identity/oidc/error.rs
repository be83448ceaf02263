//! What can go wrong while signing in with an OpenID provider.
//!
//! [`OidcError`]'s messages are written for the sign-in page: they name the provider, never
//! tokens, codes, secrets or library details. The detailed reason of each refusal is logged
//! where it happens.

use crate::db::DbError;

/// Why a sign-in through an OpenID provider failed. `Display` is fit for the sign-in page.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider's settings or files are unusable (at start; the message names the key or
    /// file, for the operator).
    #[error("{0}")]
    Config(String),
    /// The callback or sign-in link names a provider that is not configured.
    #[error("This sign-in provider is not configured.")]
    UnknownProvider,
    /// The provider did not answer (connection, TLS, timeout, HTTP error status).
    #[error(
        "The sign-in provider {provider} cannot be reached. Try again later, or sign in \
         another way."
    )]
    Unreachable { provider: String },
    /// The provider answered with something unusable (not JSON, missing fields, a discovery
    /// document for another issuer, a token response without an ID token).
    #[error(
        "The sign-in provider {provider} sent an answer the portal cannot use. Ask your \
         administrator to check its settings."
    )]
    InvalidAnswer { provider: String },
    /// The person cancelled at the provider, or it refused them (`error=access_denied`).
    #[error("Sign-in with {provider} was cancelled or refused.")]
    Denied { provider: String },
    /// The provider sent the browser back with another `error=` code (a token-like word,
    /// safe to show: only ASCII letters, digits and `_` are kept).
    #[error("The sign-in provider {provider} could not sign you in ({code}).")]
    ProviderError { provider: String, code: String },
    /// No pending sign-in has this state: never started here, already used (a replayed
    /// callback), or older than [`PENDING_LOGIN_TTL_SECS`](super::PENDING_LOGIN_TTL_SECS).
    #[error("This sign-in has expired or was already used. Please sign in again.")]
    StaleLogin,
    /// The pending sign-in was started in another browser (its binding cookie is missing or
    /// different), or for another provider.
    #[error("This sign-in was started in another browser or window. Please sign in again.")]
    WrongBrowser,
    /// The token endpoint refused the code (used, expired, or for another client).
    #[error("The sign-in provider {provider} did not accept the sign-in. Please sign in again.")]
    CodeRejected { provider: String },
    /// The ID token failed validation (the reason is logged, and kept here for tests).
    #[error("The identity sent by {provider} could not be verified. Please sign in again.")]
    InvalidIdToken {
        provider: String,
        reason: IdTokenError,
    },
    /// The database holding pending sign-ins failed.
    #[error("The sign-in could not be completed: the accounts database is unavailable.")]
    Database(#[from] DbError),
}

/// Why an ID token was refused (for logs and tests; the person sees
/// [`OidcError::InvalidIdToken`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    #[error("the token is not a signed JWT ({0})")]
    Malformed(&'static str),
    #[error("the signing algorithm `{0}` is not accepted (RS256, PS256 and ES256 are)")]
    AlgorithmRefused(String),
    #[error(
        "no published key matches the token (kid {kid:?}, after refreshing the keys if allowed)"
    )]
    UnknownKey { kid: Option<String> },
    #[error("the provider's keys cannot be fetched")]
    KeysUnavailable,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the issuer is {found:?}, not the configured issuer")]
    WrongIssuer { found: String },
    #[error("the audience does not include this client")]
    WrongAudience,
    #[error("the authorized party (azp) is not this client")]
    WrongAuthorizedParty,
    #[error("the token has expired")]
    Expired,
    #[error("the token was issued in the future")]
    IssuedInFuture,
    #[error("the `{0}` claim is missing or invalid")]
    MissingClaim(&'static str),
    #[error("the nonce does not match the one of this sign-in")]
    WrongNonce,
}
