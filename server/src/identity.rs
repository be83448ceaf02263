//! The identity sources of this instance, built from `[ldap]`, `[oidc]` and `[roles]`, and
//! demo mode's sample people.

use crate::config::Config;
use bff::db::Db;
use bff::identity::ldap::Directory;
use bff::identity::oidc::Provider;
use bff::identity::{IdentitySources, NamedDirectory};
use std::sync::Arc;

/// Builds the identity sources; a configuration that cannot work stops the start with a
/// message naming the key. `public_url` is the portal's address as browsers see it.
pub async fn sources(
    config: &Config,
    db: &Db,
    demo: bool,
    public_url: &str,
) -> Result<IdentitySources, String> {
    config.roles.validate()?;
    let directory = if config.ldap.url.trim().is_empty() {
        None
    } else {
        let directory = Directory::new(&config.ldap)?;
        tracing::info!(url = %config.ldap.url.trim(), name = directory.name(),
            "directory sign-in (LDAP) enabled");
        Some(NamedDirectory {
            name: directory.name().to_string(),
            source: Arc::new(directory),
        })
    };
    let providers = Provider::all(&config.oidc).map_err(|error| error.to_string())?;
    for provider in &providers {
        tracing::info!(provider = provider.id(),
            callback = %crate::sso::redirect_uri(public_url, provider.id()),
            "single sign-on (OpenID Connect) enabled");
    }
    let demo_people = if demo {
        let people = bff::accounts::ensure_demo_people(db)
            .await
            .map_err(|error| format!("cannot create the demo people: {error}"))?;
        tracing::info!(
            people = people.len(),
            "demo people can sign in (listed on the login page, password `{}`)",
            bff::accounts::DEMO_PASSWORD
        );
        people
    } else {
        let removed = bff::accounts::remove_demo_people(db)
            .await
            .map_err(|error| format!("cannot remove the demo people: {error}"))?;
        if removed > 0 {
            tracing::warn!(
                removed,
                "a real Management Node is configured: the demo people were deleted"
            );
        }
        Vec::new()
    };
    Ok(IdentitySources {
        directory,
        providers,
        public_url: public_url.trim_end_matches('/').to_string(),
        mapping: config.roles.clone(),
        demo_people,
    })
}
