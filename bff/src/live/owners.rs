//! Who owns each conference in progress, and its tenant: the configuration `conference` object
//! of that name (`primary_owner_email_address`, `tag`), read once per new name by the leader
//! and kept, so that viewers are filtered without any request of theirs.

use super::model::LiveConference;
use super::status::read_all_filtered;
use crate::policy::{OWNER_FIELD, TENANT_FIELD};
use pexip::client::{Api, Client, ClientError};
use pexip::query::Query;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Names looked up in one request (`name__in`).
const BATCH: usize = 50;
/// The cache is emptied when it grows past this many names (it refills from the next reads).
const MAX_NAMES: usize = 20_000;

/// What the configuration says about a service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ServiceFacts {
    pub owner: Option<String>,
    pub tag: String,
}

/// The services' owners and tags by conference name (names with no service, such as
/// gateway rules, are kept as `None`).
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnerCache {
    known: Arc<Mutex<HashMap<String, Option<ServiceFacts>>>>,
}

impl OwnerCache {
    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<ServiceFacts>>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fills `owner` (and `tag` where the source left it empty) of each conference, reading
    /// the names not seen before. A failed read leaves those conferences without an owner
    /// (visible to admins and helpdesk only) and is tried again next time.
    pub(crate) async fn fill<'a>(
        &self,
        client: &Client,
        conferences: impl IntoIterator<Item = &'a mut LiveConference>,
    ) {
        let mut conferences: Vec<&mut LiveConference> = conferences.into_iter().collect();
        let unknown: Vec<String> = {
            let known = self.known();
            let mut names: Vec<String> = conferences
                .iter()
                .map(|c| c.name.clone())
                .filter(|name| !known.contains_key(name))
                .collect();
            names.sort();
            names.dedup();
            names
        };
        if !unknown.is_empty() {
            match lookup(client, &unknown).await {
                Ok(found) => {
                    let mut known = self.known();
                    if known.len() + unknown.len() > MAX_NAMES {
                        known.clear();
                    }
                    for name in unknown {
                        let facts = found.get(&name).cloned();
                        known.insert(name, facts);
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "live feed: cannot read the owners of new conferences")
                }
            }
        }
        let known = self.known();
        for conference in conferences.iter_mut() {
            if let Some(Some(facts)) = known.get(&conference.name) {
                conference.owner = facts.owner.clone();
                if conference.tag.is_empty() {
                    conference.tag = facts.tag.clone();
                }
            }
        }
    }
}

/// The services with these names (names with a comma are looked up one by one: `__in`
/// splits on commas).
async fn lookup(
    client: &Client,
    names: &[String],
) -> Result<HashMap<String, ServiceFacts>, ClientError> {
    let (plain, with_comma): (Vec<&String>, Vec<&String>) =
        names.iter().partition(|name| !name.contains(','));
    let mut queries: Vec<Query> = plain
        .chunks(BATCH)
        .map(|chunk| Query::new().filter_in("name", chunk))
        .collect();
    queries.extend(
        with_comma
            .into_iter()
            .map(|name| Query::new().filter("name", name)),
    );
    let mut found = HashMap::new();
    for query in queries {
        for record in read_all_filtered(client, Api::Configuration, "conference", query).await? {
            let (name, facts) = facts(&record);
            found.insert(name, facts);
        }
    }
    Ok(found)
}

fn facts(record: &Value) -> (String, ServiceFacts) {
    let text = |key| super::fields::text(record, key);
    let owner = text(OWNER_FIELD);
    (
        text("name"),
        ServiceFacts {
            owner: (!owner.is_empty()).then_some(owner),
            tag: text(TENANT_FIELD),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_read_owner_and_tag() {
        assert_eq!(
            facts(&json!({"name": "Board", "primary_owner_email_address": "a@x", "tag": "acme"})),
            (
                "Board".to_string(),
                ServiceFacts {
                    owner: Some("a@x".into()),
                    tag: "acme".into()
                }
            )
        );
        assert_eq!(
            facts(&json!({"name": "Lobby", "primary_owner_email_address": "", "tag": null})).1,
            ServiceFacts::default()
        );
    }
}
