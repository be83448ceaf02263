//! Tenants: a name, the Pexip `tag` value that marks a tenant's services, and the alias domains
//! its services may use. Stored in the accounts database; the Users page manages them.
//!
//! The model types and input checks compile without `ssr`; the database functions need it.

use serde::{Deserialize, Serialize};

/// The longest Pexip `tag` value (the field's limit on the Management API).
pub const MAX_TAG_CHARS: usize = 250;
/// The longest tenant name.
pub const MAX_NAME_CHARS: usize = 100;

/// A stored tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: i64,
    /// Unique, for people.
    pub name: String,
    /// Unique; the value of the `tag` field of every service of this tenant.
    pub tag: String,
    /// Lower-case domain names the tenant's aliases must end in (`@domain` or `.domain`).
    pub alias_domains: Vec<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What creating or replacing a tenant needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantInput {
    pub name: String,
    pub tag: String,
    pub alias_domains: Vec<String>,
}

impl TenantInput {
    /// The input in stored form (trimmed, domains lower case, sorted, without duplicates), or
    /// why it is not acceptable.
    pub fn normalized(&self) -> Result<TenantInput, String> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err("the tenant name is empty".into());
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(format!(
                "the tenant name is longer than {MAX_NAME_CHARS} characters"
            ));
        }
        let tag = self.tag.trim().to_string();
        if tag.is_empty() {
            return Err("the tenant tag is empty".into());
        }
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(format!(
                "the tenant tag is longer than {MAX_TAG_CHARS} characters"
            ));
        }
        let mut alias_domains = self
            .alias_domains
            .iter()
            .map(|domain| normalize_domain(domain))
            .collect::<Result<Vec<_>, _>>()?;
        alias_domains.sort();
        alias_domains.dedup();
        Ok(TenantInput {
            name,
            tag,
            alias_domains,
        })
    }
}

/// A domain name in lower case, or why it is not one.
pub fn normalize_domain(raw: &str) -> Result<String, String> {
    let domain = raw.trim().trim_end_matches('.').to_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !domain.is_empty() && domain.len() <= 253 && domain.split('.').all(label_ok) {
        Ok(domain)
    } else {
        Err(format!("`{}` is not a domain name", raw.trim()))
    }
}

#[cfg(feature = "ssr")]
pub use store::*;

#[cfg(feature = "ssr")]
mod store {
    use super::{Tenant, TenantInput};
    use crate::db::{Db, DbError, now_unix, with_pool};

    /// A tenant operation failed.
    #[derive(Debug, thiserror::Error)]
    pub enum TenantError {
        #[error("{0}")]
        Invalid(String),
        #[error("a tenant with the name `{name}` or the tag `{tag}` already exists")]
        Duplicate { name: String, tag: String },
        #[error("no tenant with id {0}")]
        NotFound(i64),
        #[error("the tenant `{name}` still has {accounts} account(s); move or delete them first")]
        InUse { name: String, accounts: i64 },
        #[error(transparent)]
        Db(#[from] DbError),
    }

    #[derive(sqlx::FromRow)]
    struct TenantRow {
        id: i64,
        name: String,
        tag: String,
        alias_domains: String,
        created_at: i64,
        updated_at: i64,
    }

    impl TryFrom<TenantRow> for Tenant {
        type Error = DbError;

        fn try_from(row: TenantRow) -> Result<Tenant, DbError> {
            let alias_domains = serde_json::from_str(&row.alias_domains).map_err(|error| {
                DbError::Corrupt(format!("alias domains of tenant {}: {error}", row.id))
            })?;
            Ok(Tenant {
                id: row.id,
                name: row.name,
                tag: row.tag,
                alias_domains,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        }
    }

    const COLUMNS: &str = "id, name, tag, alias_domains, created_at, updated_at";

    fn domains_json(input: &TenantInput) -> String {
        serde_json::Value::from(input.alias_domains.clone()).to_string()
    }

    fn duplicate_or(error: DbError, input: &TenantInput) -> TenantError {
        if error.is_unique_violation() {
            TenantError::Duplicate {
                name: input.name.clone(),
                tag: input.tag.clone(),
            }
        } else {
            TenantError::Db(error)
        }
    }

    /// Creates a tenant.
    pub async fn create_tenant(db: &Db, input: &TenantInput) -> Result<Tenant, TenantError> {
        let input = input.normalized().map_err(TenantError::Invalid)?;
        let now = now_unix();
        let sql = format!(
            "INSERT INTO tenants (name, tag, alias_domains, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING {COLUMNS}"
        );
        let row: Result<TenantRow, sqlx::Error> = with_pool!(db, pool => {
            sqlx::query_as(&sql)
                .bind(&input.name)
                .bind(&input.tag)
                .bind(domains_json(&input))
                .bind(now)
                .fetch_one(pool)
                .await
        });
        let row = row.map_err(|error| duplicate_or(error.into(), &input))?;
        Ok(row.try_into()?)
    }

    /// The tenant with this id, if any.
    pub async fn get_tenant(db: &Db, id: i64) -> Result<Option<Tenant>, TenantError> {
        let sql = format!("SELECT {COLUMNS} FROM tenants WHERE id = $1");
        let row: Option<TenantRow> = with_pool!(db, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
        })
        .map_err(DbError::from)?;
        Ok(row.map(Tenant::try_from).transpose()?)
    }

    /// The tenant with this name, if any.
    pub async fn find_tenant(db: &Db, name: &str) -> Result<Option<Tenant>, TenantError> {
        let sql = format!("SELECT {COLUMNS} FROM tenants WHERE name = $1");
        let row: Option<TenantRow> = with_pool!(db, pool => {
            sqlx::query_as(&sql).bind(name.trim()).fetch_optional(pool).await
        })
        .map_err(DbError::from)?;
        Ok(row.map(Tenant::try_from).transpose()?)
    }

    /// Every tenant, by name.
    pub async fn list_tenants(db: &Db) -> Result<Vec<Tenant>, TenantError> {
        let sql = format!("SELECT {COLUMNS} FROM tenants ORDER BY name");
        let rows: Vec<TenantRow> = with_pool!(db, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await
        })
        .map_err(DbError::from)?;
        Ok(rows
            .into_iter()
            .map(Tenant::try_from)
            .collect::<Result<_, _>>()?)
    }

    /// Replaces a tenant's name, tag and alias domains.
    pub async fn update_tenant(
        db: &Db,
        id: i64,
        input: &TenantInput,
    ) -> Result<Tenant, TenantError> {
        let input = input.normalized().map_err(TenantError::Invalid)?;
        let sql = format!(
            "UPDATE tenants SET name = $1, tag = $2, alias_domains = $3, updated_at = $4 \
             WHERE id = $5 RETURNING {COLUMNS}"
        );
        let row: Result<Option<TenantRow>, sqlx::Error> = with_pool!(db, pool => {
            sqlx::query_as(&sql)
                .bind(&input.name)
                .bind(&input.tag)
                .bind(domains_json(&input))
                .bind(now_unix())
                .bind(id)
                .fetch_optional(pool)
                .await
        });
        let row = row.map_err(|error| duplicate_or(error.into(), &input))?;
        // Signed-in tenant admins carry the tenant's name and tag.
        crate::principal_cache::everything_changed();
        row.ok_or(TenantError::NotFound(id))?
            .try_into()
            .map_err(TenantError::Db)
    }

    /// Deletes a tenant no account belongs to.
    pub async fn delete_tenant(db: &Db, id: i64) -> Result<(), TenantError> {
        let tenant = get_tenant(db, id).await?.ok_or(TenantError::NotFound(id))?;
        let result = with_pool!(db, pool => {
            sqlx::query("DELETE FROM tenants WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        match result.map_err(DbError::from) {
            Ok(0) => Err(TenantError::NotFound(id)),
            Ok(_) => {
                crate::principal_cache::everything_changed();
                Ok(())
            }
            Err(error) if error.is_foreign_key_violation() => {
                let accounts: i64 = with_pool!(db, pool => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE tenant_id = $1")
                        .bind(id)
                        .fetch_one(pool)
                        .await
                })
                .map_err(DbError::from)?;
                Err(TenantError::InUse {
                    name: tenant.name,
                    accounts,
                })
            }
            Err(error) => Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_normalized() {
        let input = TenantInput {
            name: " Acme ".into(),
            tag: " acme ".into(),
            alias_domains: vec![
                "Video.Acme.COM.".into(),
                "acme.com".into(),
                "acme.com".into(),
            ],
        };
        assert_eq!(
            input.normalized().unwrap(),
            TenantInput {
                name: "Acme".into(),
                tag: "acme".into(),
                alias_domains: vec!["acme.com".into(), "video.acme.com".into()],
            }
        );
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let base = TenantInput {
            name: "A".into(),
            tag: "a".into(),
            alias_domains: vec![],
        };
        let no_name = TenantInput {
            name: " ".into(),
            ..base.clone()
        };
        assert_eq!(
            no_name.normalized().unwrap_err(),
            "the tenant name is empty"
        );
        let no_tag = TenantInput {
            tag: "".into(),
            ..base.clone()
        };
        assert_eq!(no_tag.normalized().unwrap_err(), "the tenant tag is empty");
        for bad in ["", "a..b", "-a.com", "a_b.com", "a b.com", "x@y.com"] {
            let input = TenantInput {
                alias_domains: vec![bad.into()],
                ..base.clone()
            };
            assert!(input.normalized().is_err(), "{bad}");
        }
    }
}
