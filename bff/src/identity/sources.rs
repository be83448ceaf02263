//! The identity sources a portal instance has, built at start from the configuration.

use super::oidc::Provider;
use super::{PasswordSource, RoleMappingConfig};
use crate::accounts::{DemoPerson, DirectoryLogin};
use std::fmt;
use std::sync::Arc;

/// Where people may sign in besides local accounts, and how their groups map to roles.
#[derive(Clone, Default)]
pub struct IdentitySources {
    /// The directory usernames and passwords are checked against (names without a local
    /// account).
    pub directory: Option<NamedDirectory>,
    /// The OpenID Connect providers, in the order the login page offers them.
    pub providers: Vec<Provider>,
    /// The portal's address as browsers see it (no trailing `/`): the base of the providers'
    /// callback and post-logout addresses.
    pub public_url: String,
    /// Groups and claims to roles, for every source.
    pub mapping: RoleMappingConfig,
    /// Demo mode's sample people (empty with a real Management Node).
    pub demo_people: Vec<DemoPerson>,
}

/// A password source with the name the login page shows for it.
#[derive(Clone)]
pub struct NamedDirectory {
    pub name: String,
    pub source: Arc<dyn PasswordSource>,
}

impl IdentitySources {
    /// The OpenID provider with this id, if one is configured.
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id() == id)
    }

    /// The origins a sign-out continues to at a provider (RP-initiated logout), one per
    /// distinct issuer origin, e.g. `https://sso.example.com`. A sign-out posted as a plain form
    /// (before the page's wasm runs) is redirected there, and browsers hold a form's redirects to
    /// the Content-Security-Policy's `form-action`: these are its sources besides `'self'`.
    pub fn sign_out_origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = self
            .providers
            .iter()
            .filter_map(|provider| reqwest::Url::parse(&provider.config().issuer).ok())
            .map(|issuer| issuer.origin())
            .filter(|origin| origin.is_tuple())
            .map(|origin| origin.ascii_serialization())
            .collect();
        origins.sort();
        origins.dedup();
        origins
    }

    /// The directory with its mapping, for [`crate::accounts::authenticate_with`].
    pub fn directory_login(&self) -> Option<DirectoryLogin<'_>> {
        self.directory.as_ref().map(|directory| DirectoryLogin {
            source: directory.source.as_ref(),
            mapping: &self.mapping,
        })
    }
}

impl fmt::Debug for IdentitySources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentitySources")
            .field("directory", &self.directory.as_ref().map(|d| &d.name))
            .field("providers", &self.providers)
            .field("public_url", &self.public_url)
            .field("mapping", &self.mapping)
            .field("demo_people", &self.demo_people.len())
            .finish()
    }
}
