//! Demo mode's sample people: one of each role, so that an evaluator can try every view at once.
//! They exist only while the portal runs against the built-in simulator: with a real
//! Management Node they are deleted at start and the login page never shows them.

use super::store::create_password_account;
use super::{AccountError, DEMO_SOURCE, NewAccount, Role};
use crate::db::{Db, with_pool};
use crate::tenants::{self, TenantInput};
use serde::{Deserialize, Serialize};

/// The password of every demo person (shown on the login page in demo mode only).
pub const DEMO_PASSWORD: &str = "demo-password";

/// A demo person, as the login page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoPerson {
    pub username: String,
    pub role: Role,
    /// What they are, for people.
    pub description: String,
}

/// One demo person's definition.
struct Sample {
    username: &'static str,
    role: Role,
    /// The demo tenant's tag, for tenant admins.
    tenant: Option<&'static str>,
    email: Option<&'static str>,
    description: &'static str,
}

/// The end users own demo rooms (the simulator's "Alice Olsen's room" and "Carol Jones's
/// room").
const PEOPLE: &[Sample] = &[
    Sample {
        username: "demo-helpdesk",
        role: Role::Helpdesk,
        tenant: None,
        email: None,
        description: "Helpdesk agent: every room read-only, live calls, history",
    },
    Sample {
        username: "demo-acme-admin",
        role: Role::TenantAdmin,
        tenant: Some("acme"),
        email: None,
        description: "Tenant admin of Acme Corporation",
    },
    Sample {
        username: "demo-globex-admin",
        role: Role::TenantAdmin,
        tenant: Some("globex"),
        email: None,
        description: "Tenant admin of Globex",
    },
    Sample {
        username: "alice.olsen",
        role: Role::User,
        tenant: None,
        email: Some("alice.olsen@example.com"),
        description: "End user who owns Alice Olsen's room",
    },
    Sample {
        username: "carol.jones",
        role: Role::User,
        tenant: None,
        email: Some("carol.jones@acme.example"),
        description: "End user at Acme who owns Carol Jones's room",
    },
];

/// The demo tenants: `(tag, alias domain, name)`, as the simulator's demo data has them.
const TENANTS: &[(&str, &str, &str)] = &[
    ("acme", "acme.example", "Acme Corporation"),
    ("globex", "globex.example", "Globex"),
];

/// Creates the demo people (and the demo tenants they need) that are missing; a name a local
/// account already has is left to that account. Returns who can sign in.
pub async fn ensure_demo_people(db: &Db) -> Result<Vec<DemoPerson>, AccountError> {
    let mut existing = tenants::list_tenants(db)
        .await
        .map_err(|error| AccountError::Invalid(error.to_string()))?;
    for (tag, domain, name) in TENANTS {
        if existing.iter().any(|t| t.tag == *tag) {
            continue;
        }
        let input = TenantInput {
            name: (*name).into(),
            tag: (*tag).into(),
            alias_domains: vec![(*domain).into()],
        };
        match tenants::create_tenant(db, &input).await {
            Ok(tenant) => existing.push(tenant),
            // Another instance made it meanwhile, or a tenant has that name: read them again.
            Err(_) => {
                existing = tenants::list_tenants(db)
                    .await
                    .map_err(|error| AccountError::Invalid(error.to_string()))?;
            }
        }
    }
    let mut people = Vec::new();
    for sample in PEOPLE {
        let tenant_id = match sample.tenant {
            Some(tag) => match existing.iter().find(|t| t.tag == *tag) {
                Some(tenant) => Some(tenant.id),
                None => continue,
            },
            None => None,
        };
        let account = match super::find_account(db, sample.username).await? {
            Some(account) => account,
            None => {
                let new = NewAccount {
                    username: sample.username.into(),
                    password: DEMO_PASSWORD.into(),
                    role: sample.role,
                    tenant_id,
                    email: sample.email.map(String::from),
                };
                match create_password_account(db, &new, DEMO_SOURCE).await {
                    Ok(account) => account,
                    Err(AccountError::Duplicate(_)) => continue,
                    Err(error) => return Err(error),
                }
            }
        };
        if account.source == DEMO_SOURCE {
            people.push(DemoPerson {
                username: account.username,
                role: account.role,
                description: sample.description.into(),
            });
        }
    }
    Ok(people)
}

/// Deletes the demo people (a real Management Node is configured). Returns how many there were.
pub async fn remove_demo_people(db: &Db) -> Result<u64, AccountError> {
    let deleted = with_pool!(db, pool => {
        sqlx::query("DELETE FROM accounts WHERE source = $1")
            .bind(DEMO_SOURCE)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })?;
    crate::principal_cache::everything_changed();
    Ok(deleted)
}
