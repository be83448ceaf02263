//! Signing in with the organisation's identity: LDAP / Active Directory and OpenID Connect
//! beside the local accounts. An identity source only says who someone is
//! ([`ExternalIdentity`]); [`mapping`] turns their groups into a role and tenant, and
//! [`crate::accounts::sign_in_external`] makes or refreshes their portal account. What that
//! account may do is still decided by [`crate::policy`] alone.

pub mod ldap;
pub mod mapping;
pub mod oidc;
mod sources;

pub use mapping::{MappedRole, MappingRule, RoleMappingConfig, WithoutGroup};
pub use sources::{IdentitySources, NamedDirectory};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// A source that checks a username and password itself (LDAP / Active Directory).
#[async_trait]
pub trait PasswordSource: Send + Sync {
    /// Who `username` is, when `password` is theirs.
    async fn verify(
        &self,
        username: &str,
        password: &str,
    ) -> Result<ExternalIdentity, SourceRefusal>;

    /// Whether the source answers now (for readiness reports); the message says why not.
    async fn ping(&self) -> Result<(), String>;
}

/// Why a [`PasswordSource`] did not vouch for someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRefusal {
    /// Unknown name or wrong password (not told apart).
    InvalidCredentials,
    /// The source cannot answer now; the message is fit to show the person.
    Unavailable(String),
}

/// What an identity source vouches for about a person who has just proven who they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalIdentity {
    /// The source's configured id: `ldap`, or an OpenID provider's `id`.
    pub source: String,
    /// The person's stable id at the source: the directory entry's DN, the provider's `sub`.
    pub external_id: String,
    /// The name the person is known by at the source (what they typed, `preferred_username`).
    pub username: String,
    pub display_name: Option<String>,
    /// Only an address the source vouches for: the directory's `mail`, or a provider's email
    /// claim when `email_verified` is true (or the provider is configured as authoritative).
    /// End users' rooms are found by this address, so an unverified one must never get here.
    pub email: Option<String>,
    /// The groups the source reports (DNs or names, as the source writes them).
    pub groups: Vec<String>,
}
