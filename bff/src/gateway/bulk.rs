//! Bulk work on meeting rooms: the import preview (read and check a CSV file, create nothing)
//! and the CSV export of a filtered list. The rooms of a preview are created one by one through
//! [`Portal::room_create`], so each creation is policy-checked and audited on its own.

use super::error::NON_FIELD;
use super::{BffError, MAX_PAGE, SERVICE_RESOURCE};
use crate::bulk::validate::{self, Checks};
use crate::bulk::{ImportPreview, columns, export, table};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use crate::requests::RoomQuery;
use pexip::client::Api;
use pexip::query::Query;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The resource of service aliases.
const ALIAS_RESOURCE: &str = "conference_alias";
/// The resource of IVR themes.
const THEME_RESOURCE: &str = "ivr_theme";
/// The longest `field__in=` value sent in one upstream query.
const MAX_IN_LENGTH: usize = 1500;

impl Portal {
    /// Reads and checks a rooms CSV file for `actor` to import: every room with its fields or
    /// its errors. Nothing is created.
    pub async fn rooms_import_preview(
        &self,
        actor: &Actor,
        csv: &str,
    ) -> Result<ImportPreview, BffError> {
        let scope = self.scope(actor, Operation::RoomCreate)?;
        let table = table::read(csv).map_err(|message| BffError::field(NON_FIELD, message))?;
        let schema = self
            .pexip
            .schema(Api::Configuration, SERVICE_RESOURCE)
            .await?;
        let alias_schema = self
            .pexip
            .schema(Api::Configuration, ALIAS_RESOURCE)
            .await?;
        let (names, aliases) = validate::mentioned(&table);
        let existing_names = self
            .existing_values(SERVICE_RESOURCE, "name", &names)
            .await?;
        let existing_aliases: HashSet<String> = self
            .existing_values(ALIAS_RESOURCE, "alias", &aliases)
            .await?
            .into_iter()
            .map(|alias| alias.to_lowercase())
            .collect();
        let themes = if table.columns.iter().any(|c| c == columns::IVR_THEME_NAME) {
            self.themes().await?
        } else {
            HashMap::new()
        };
        let checks = Checks {
            schema: &schema,
            alias_schema: Some(alias_schema.as_ref()),
            themes: &themes,
            existing_names: &existing_names,
            existing_aliases: &existing_aliases,
            scope: &scope,
        };
        let preview = validate::preview(&table, &checks)
            .map_err(|message| BffError::field(NON_FIELD, message))?;
        tracing::info!(
            user = %actor.principal.username,
            rooms = preview.items.len(),
            valid = preview.valid().count(),
            "rooms import checked"
        );
        Ok(preview)
    }

    /// Every room matching `request` (all pages; `limit` and `offset` are ignored) that the
    /// actor may see, as CSV in the import format.
    pub async fn rooms_export_csv(
        &self,
        actor: &Actor,
        request: &RoomQuery,
    ) -> Result<String, BffError> {
        let mut rooms: Vec<Value> = Vec::new();
        loop {
            let page = self
                .rooms_list(
                    actor,
                    &RoomQuery {
                        limit: MAX_PAGE,
                        offset: rooms.len() as u64,
                        ..request.clone()
                    },
                )
                .await?;
            let done = page.objects.is_empty() || !page.has_next();
            rooms.extend(page.objects);
            if done {
                break;
            }
        }
        let uses_themes = rooms
            .iter()
            .any(|room| room.get("ivr_theme").is_some_and(Value::is_string));
        let theme_names: HashMap<String, String> = if uses_themes {
            self.themes()
                .await?
                .into_iter()
                .map(|(name, uri)| (uri, name))
                .collect()
        } else {
            HashMap::new()
        };
        tracing::info!(user = %actor.principal.username, rooms = rooms.len(), "rooms exported");
        Ok(export::write(&rooms, &theme_names))
    }

    /// Which of `values` the `field` of some `resource` object already holds.
    async fn existing_values(
        &self,
        resource: &str,
        field: &str,
        values: &[String],
    ) -> Result<HashSet<String>, BffError> {
        Ok(self
            .existing_objects(resource, field, values)
            .await?
            .iter()
            .filter_map(|object| object.get(field).and_then(Value::as_str))
            .map(String::from)
            .collect())
    }

    /// The `resource` objects whose `field` holds one of `values` (looked up with `field__in`,
    /// a few values per query; values with a comma one by one).
    pub(super) async fn existing_objects(
        &self,
        resource: &str,
        field: &str,
        values: &[String],
    ) -> Result<Vec<Value>, BffError> {
        let (single, listable): (Vec<&String>, Vec<&String>) =
            values.iter().partition(|value| value.contains(','));
        let mut queries: Vec<Query> = single
            .into_iter()
            .map(|value| Query::new().filter(field, value))
            .collect();
        let mut chunk: Vec<&String> = Vec::new();
        let mut length = 0;
        for value in listable {
            if length + value.len() > MAX_IN_LENGTH && !chunk.is_empty() {
                queries.push(Query::new().filter_in(field, chunk.drain(..)));
                length = 0;
            }
            length += value.len() + 1;
            chunk.push(value);
        }
        if !chunk.is_empty() {
            queries.push(Query::new().filter_in(field, chunk));
        }
        let mut found = Vec::new();
        for query in queries {
            let page = self
                .pexip
                .list(Api::Configuration, resource, &query.limit(MAX_PAGE))
                .await?;
            found.extend(page.objects);
        }
        Ok(found)
    }

    /// The IVR themes: name → resource URI.
    async fn themes(&self) -> Result<HashMap<String, String>, BffError> {
        let mut themes = HashMap::new();
        let mut offset = 0;
        loop {
            let page = self
                .pexip
                .list(
                    Api::Configuration,
                    THEME_RESOURCE,
                    &Query::new().limit(MAX_PAGE).offset(offset),
                )
                .await?;
            for theme in &page.objects {
                if let (Some(name), Some(uri)) = (
                    theme.get("name").and_then(Value::as_str),
                    theme.get("resource_uri").and_then(Value::as_str),
                ) {
                    themes.insert(name.to_string(), uri.to_string());
                }
            }
            match page.next_offset() {
                Some(next) if !page.objects.is_empty() => offset = next,
                _ => return Ok(themes),
            }
        }
    }
}
