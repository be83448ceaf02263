//! The portal's server-side state: the accounts database, the Pexip client and the settings the
//! policy needs. One per server process, shared by every request.

use crate::accounts::Principal;
use crate::db::Db;
use crate::identity::IdentitySources;
use crate::policy::PolicyConfig;
use crate::sessions::SessionConfig;
use crate::throttle::ThrottleConfig;
use pexip::client::Client;
use std::ops::Deref;
use std::sync::Arc;

/// Everything a request handler needs to act for a signed-in person: a handle to the
/// [`PortalParts`] (read through it, `portal.db`), cloned for every request and task, so a clone
/// is one reference count, not a copy of the settings.
#[derive(Debug, Clone)]
pub struct Portal {
    parts: Arc<PortalParts>,
}

impl From<PortalParts> for Portal {
    fn from(parts: PortalParts) -> Self {
        Self {
            parts: Arc::new(parts),
        }
    }
}

impl Deref for Portal {
    type Target = PortalParts;

    fn deref(&self) -> &PortalParts {
        &self.parts
    }
}

/// What a [`Portal`] holds.
#[derive(Debug, Clone)]
pub struct PortalParts {
    pub db: Db,
    pub pexip: Client,
    pub policy: PolicyConfig,
    pub sessions: SessionConfig,
    pub throttle: ThrottleConfig,
    /// The meeting rooms' join details (the web app link).
    pub rooms: crate::join::RoomsConfig,
    /// Whether the Pexip side is the built-in simulator (demo mode).
    pub demo: bool,
    /// Directory and single sign-on sources, the role mapping and demo people.
    pub identity: IdentitySources,
    /// The operational metrics served at `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// The live feed: conferences in progress and the platform's status, for every viewer.
    pub live: crate::live::Live,
}

/// Who is acting, and from where (for the audit trail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub principal: Principal,
    pub client_addr: Option<String>,
}

impl Actor {
    /// The tenant tag recorded with this actor's changes.
    pub fn tenant_tag(&self) -> Option<String> {
        self.principal
            .tenant
            .as_ref()
            .map(|tenant| tenant.tag.clone())
    }
}
