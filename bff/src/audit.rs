//! The audit trail: every mutation made through the portal — who, in which role and tenant, did
//! what to which resource, what changed (secrets masked), how it ended, when and from where.
//! Stored in the accounts database so every portal instance writes to one trail.

//!
//! The event types and the diff helpers compile without `ssr` (the UI shows events); storing and
//! listing need the database.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What replaces a secret value in the trail.
pub const MASK: &str = "••••••";

/// One recorded mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    /// Unix milliseconds.
    pub at: i64,
    pub username: String,
    pub role: String,
    pub tenant: Option<String>,
    /// What was done, e.g. `room.update`, `call.disconnect`, `backup.restore`.
    pub action: String,
    pub resource_uri: Option<String>,
    /// `{field: {"before": .., "after": ..}}` with secrets masked.
    pub changes: Value,
    /// `ok`, or the error the change ended with.
    pub result: String,
    pub client_addr: Option<String>,
}

/// What a caller records; the id and time are added by [`record`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewAuditEvent {
    pub username: String,
    pub role: String,
    pub tenant: Option<String>,
    pub action: String,
    pub resource_uri: Option<String>,
    pub changes: Value,
    pub result: String,
    pub client_addr: Option<String>,
}

/// Which events to list. `tenant: Some` restricts to one tenant (tenant admins always get theirs).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditFilter {
    pub tenant: Option<String>,
    pub username: Option<String>,
    /// Matches actions starting with this (e.g. `room.` for every room change).
    pub action_prefix: Option<String>,
    /// Unix milliseconds, inclusive.
    pub since: Option<i64>,
    /// Unix milliseconds, exclusive.
    pub until: Option<i64>,
    pub limit: u32,
    pub offset: u32,
}

/// The largest page [`list`] returns.
pub const MAX_PAGE: u32 = 500;

/// Whether a field holds a secret whose value must not be stored in the trail.
pub fn is_secret_field(field: &str) -> bool {
    let field = field.to_ascii_lowercase();
    [
        "pin",
        "password",
        "passphrase",
        "secret",
        "credential",
        "token",
        "private_key",
    ]
    .iter()
    .any(|word| {
        field == *word
            || field.ends_with(&format!("_{word}"))
            || field.starts_with(&format!("{word}_"))
    })
}

/// The field-by-field difference between `before` and the `changes` applied to it, with
/// secrets masked (their change is still visible, their values are not).
pub fn diff(before: Option<&Map<String, Value>>, changes: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (field, after) in changes {
        let old = before
            .and_then(|b| b.get(field))
            .cloned()
            .unwrap_or(Value::Null);
        if before.is_some() && &old == after {
            continue;
        }
        let (old, new) = if is_secret_field(field) {
            (mask(&old), mask(after))
        } else {
            (old, after.clone())
        };
        out.insert(
            field.clone(),
            serde_json::json!({ "before": old, "after": new }),
        );
    }
    Value::Object(out)
}

/// The fields of a deleted object, as a diff to nothing.
pub fn removed(before: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (field, old) in before {
        let old = if is_secret_field(field) {
            mask(old)
        } else {
            old.clone()
        };
        out.insert(
            field.clone(),
            serde_json::json!({ "before": old, "after": Value::Null }),
        );
    }
    Value::Object(out)
}

fn mask(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::String(s) if s.is_empty() => Value::String(String::new()),
        _ => Value::String(MASK.into()),
    }
}

#[cfg(feature = "ssr")]
pub use store::{list, record};

#[cfg(feature = "ssr")]
mod store {
    use super::{AuditEvent, AuditFilter, MAX_PAGE, NewAuditEvent};
    use crate::db::{Db, DbError, with_pool};
    use serde_json::Value;

    /// Stores one event.
    pub async fn record(db: &Db, event: &NewAuditEvent) -> Result<i64, DbError> {
        let at = now_millis();
        let sql = "INSERT INTO audit_events (at, username, role, tenant, action, resource_uri, changes, result, client_addr) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let id: (i64,) = with_pool!(db, pool => {
            sqlx::query_as(sql)
                .bind(at)
                .bind(&event.username)
                .bind(&event.role)
                .bind(&event.tenant)
                .bind(&event.action)
                .bind(&event.resource_uri)
                .bind(event.changes.to_string())
                .bind(&event.result)
                .bind(&event.client_addr)
                .fetch_one(pool)
                .await
        })?;
        Ok(id.0)
    }

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        at: i64,
        username: String,
        role: String,
        tenant: Option<String>,
        action: String,
        resource_uri: Option<String>,
        changes: String,
        result: String,
        client_addr: Option<String>,
    }

    /// One page of events, newest first, and how many match in all.
    pub async fn list(db: &Db, filter: &AuditFilter) -> Result<(Vec<AuditEvent>, i64), DbError> {
        let mut conditions = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        let mut add = |condition: &str, bind: Bind| {
            binds.push(bind);
            conditions.push(condition.replace('?', &format!("${}", binds.len())));
        };
        if let Some(tenant) = &filter.tenant {
            add("tenant = ?", Bind::Text(tenant.clone()));
        }
        if let Some(username) = &filter.username {
            add("username = ?", Bind::Text(username.clone()));
        }
        if let Some(prefix) = &filter.action_prefix {
            let escaped = prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            add(
                "action LIKE ? ESCAPE '\\'",
                Bind::Text(format!("{escaped}%")),
            );
        }
        if let Some(since) = filter.since {
            add("at >= ?", Bind::Int(since));
        }
        if let Some(until) = filter.until {
            add("at < ?", Bind::Int(until));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let limit = filter.limit.clamp(1, MAX_PAGE) as i64;
        let page_sql = format!(
            "SELECT id, at, username, role, tenant, action, resource_uri, changes, result, client_addr \
             FROM audit_events{where_clause} ORDER BY at DESC, id DESC LIMIT {limit} OFFSET {}",
            filter.offset
        );
        let count_sql = format!("SELECT COUNT(*) FROM audit_events{where_clause}");

        let (rows, total): (Vec<Row>, (i64,)) = with_pool!(db, pool => {
            let mut page = sqlx::query_as::<_, Row>(&page_sql);
            let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
            for bind in &binds {
                match bind {
                    Bind::Text(text) => {
                        page = page.bind(text.clone());
                        count = count.bind(text.clone());
                    }
                    Bind::Int(int) => {
                        page = page.bind(*int);
                        count = count.bind(*int);
                    }
                }
            }
            (page.fetch_all(pool).await?, count.fetch_one(pool).await?)
        });
        let events = rows
            .into_iter()
            .map(|row| AuditEvent {
                id: row.id,
                at: row.at,
                username: row.username,
                role: row.role,
                tenant: row.tenant,
                action: row.action,
                resource_uri: row.resource_uri,
                changes: serde_json::from_str(&row.changes).unwrap_or(Value::String(row.changes)),
                result: row.result,
                client_addr: row.client_addr,
            })
            .collect();
        Ok((events, total.0))
    }

    enum Bind {
        Text(String),
        Int(i64),
    }

    fn now_millis() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_recognised() {
        for field in [
            "pin",
            "guest_pin",
            "password",
            "admin_password",
            "passphrase",
            "client_secret",
            "token",
        ] {
            assert!(is_secret_field(field), "{field}");
        }
        for field in [
            "name",
            "pinned",
            "spin",
            "description",
            "allow_guests",
            "tokenizer",
        ] {
            assert!(!is_secret_field(field), "{field}");
        }
    }

    #[test]
    fn diff_keeps_changed_fields_and_masks_secrets() {
        let before = json!({"name": "Board", "pin": "1234", "description": "old"});
        let changes =
            json!({"name": "Board", "pin": "5678", "description": "new", "guest_pin": null});
        let d = diff(before.as_object(), changes.as_object().unwrap());
        assert_eq!(
            d,
            json!({
                "pin": {"before": MASK, "after": MASK},
                "description": {"before": "old", "after": "new"},
            })
        );
        assert!(!d.to_string().contains("5678"));
        assert!(!d.to_string().contains("1234"));
    }

    #[test]
    fn creation_diff_has_every_field_and_deletion_lists_the_old_values() {
        let created = json!({"name": "Board", "pin": "1234"});
        assert_eq!(
            diff(None, created.as_object().unwrap()),
            json!({"name": {"before": null, "after": "Board"}, "pin": {"before": null, "after": MASK}})
        );
        assert_eq!(
            removed(created.as_object().unwrap()),
            json!({"name": {"before": "Board", "after": null}, "pin": {"before": MASK, "after": null}})
        );
    }
}
