//! Signing in with an OpenID Connect provider (Entra ID, Okta, Keycloak, Google Workspace…):
//! the authorization code flow with PKCE, for a confidential client.
//!
//! 1. [`begin`] stores a pending sign-in (state, nonce, PKCE verifier, where to go afterwards,
//!    a hash of a browser binding token) and gives the provider's authorization URL plus the
//!    binding token, which the caller puts in a short-lived `HttpOnly`, `SameSite=Lax` cookie.
//! 2. The provider sends the browser back to the callback with `code` and `state`
//!    ([`CallbackParams`]); [`finish`] takes the pending sign-in (once: a replayed callback
//!    fails), checks that this browser started it, exchanges the code at the token endpoint and
//!    validates the ID token (signature with the provider's published keys, issuer, audience,
//!    expiry, nonce). The result is an [`ExternalIdentity`](super::ExternalIdentity).
//! 3. Signing out may also end the session at the provider: [`end_session_url`].
//!
//! The identity comes from the ID token's claims alone (no userinfo request): the provider must
//! put the username, email and groups claims into the ID token (Keycloak, Entra ID and Okta can;
//! see their "ID token claims" settings).
//!
//! **Email addresses.** End users' rooms are found by their email address, so an address a
//! person could set for themselves at the provider would let them take over someone else's
//! rooms. The identity carries the email only when the token says `email_verified: true`, or
//! when the provider is configured `email_authoritative = true` (for a provider whose addresses
//! are assigned by the organisation and cannot be changed by users, such as a company's own
//! directory behind Entra ID). Otherwise the email is `None`.

mod config;
mod discovery;
mod error;
mod flow;
mod http;
mod id_token;
mod jwks;
mod pending;
mod pkce;
mod provider;

pub use config::{OidcConfig, OidcProviderConfig};
pub use error::{IdTokenError, OidcError};
pub use flow::{CallbackParams, SignInStart, SignedIn, begin, end_session_url, finish, local_next};
pub use pending::{PENDING_LOGIN_TTL_SECS, delete_expired_pending};
pub use provider::{DEFAULT_JWKS_REFETCH_INTERVAL, Provider};
