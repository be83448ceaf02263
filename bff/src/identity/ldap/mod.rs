//! The LDAP / Active Directory identity source (`[ldap]`): people sign in with their directory
//! username and password, and the directory says who they are and which groups they are in
//! (an [`ExternalIdentity`](crate::identity::ExternalIdentity) with source [`SOURCE_ID`]).
//!
//! - [`LdapConfig`]: the settings, checked by [`LdapConfig::validate`].
//! - [`Directory`]: the source itself; [`Directory::authenticate`] signs someone in,
//!   [`Directory::check`] tells readiness. Connections are pooled ([`LdapConfig::pool_size`]).
//! - [`LdapError`]: why not, in words fit for the sign-in page.
//! - [`filter`]: RFC 4515 escaping and the `{username}` / `{dn}` filter templates.
//!
//! TLS is rustls on the ring provider: `ldaps://`, or `ldap://` with StartTLS, trusting
//! `ca_file` or the system's roots.

mod config;
mod directory;
mod error;
pub mod filter;
mod pool;
mod source;
mod tls;

pub use config::LdapConfig;
pub use directory::Directory;
pub use error::LdapError;

/// The [`ExternalIdentity::source`](crate::identity::ExternalIdentity::source) of directory
/// people.
pub const SOURCE_ID: &str = "ldap";
