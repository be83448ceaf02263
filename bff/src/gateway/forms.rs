//! What the form engine needs from the node: the schema of a resource the caller may use (for
//! end users, only the fields they may change), and the options of a related field's picker
//! (only over resources the caller may read).
//!
//! Meeting rooms and their automatic participants follow the rooms policy, device aliases the
//! devices policy; every other resource is the configuration browser's (admins).

use super::{BffError, MAX_PAGE, SERVICE_RESOURCE};
use crate::policy::{Operation, Scope};
use crate::portal::{Actor, Portal};
use crate::requests::RelatedOption;
use pexip::client::Api;
use pexip::{FieldType, Schema};
use serde_json::Value;

/// Resources whose forms the rooms policy governs.
pub const ROOM_RESOURCES: [&str; 2] = [SERVICE_RESOURCE, super::room_participants::RESOURCE];

/// Fields end users see on their rooms without changing them (unless the policy lets them):
/// what the room is and how to reach it. They arrive marked read-only.
pub const OWNER_SEES: [&str; 3] = ["name", "service_type", "aliases"];

/// The most options one picker request returns.
pub const MAX_OPTIONS: u64 = 50;

/// Fields that name an object, in order of preference, for pickers.
const LABEL_FIELDS: [&str; 7] = [
    "name",
    "alias",
    "hostname",
    "address",
    "username",
    "fulfillment_id",
    "filename",
];

impl Portal {
    /// Whether the configuration browser's rules apply to `resource` for this actor.
    fn via_platform(&self, actor: &Actor, resource: &str) -> bool {
        !ROOM_RESOURCES.contains(&resource)
            || self.capabilities(actor).contains(&Operation::PlatformRead)
    }

    /// The schema of `resource` as the actor's forms use it.
    pub async fn form_schema(&self, actor: &Actor, resource: &str) -> Result<Schema, BffError> {
        if resource == super::DEVICE_RESOURCE
            && !self.capabilities(actor).contains(&Operation::PlatformRead)
        {
            // Tenant admins' device forms: the devices policy, not the configuration browser.
            self.scope(actor, Operation::DeviceRead)?;
            return Ok((*self.pexip.schema(Api::Configuration, resource).await?).clone());
        }
        if self.via_platform(actor, resource) {
            return Ok((*self.platform_schema(actor, resource).await?).clone());
        }
        let scope = self.scope(actor, Operation::RoomRead)?;
        let mut schema = (*self.pexip.schema(Api::Configuration, resource).await?).clone();
        if let Scope::Owner {
            editable_fields, ..
        } = &scope
        {
            if resource != SERVICE_RESOURCE {
                return Err(BffError::Forbidden);
            }
            schema.fields.retain(|name, field| {
                if editable_fields.iter().any(|f| f == name) {
                    true
                } else if OWNER_SEES.contains(&name.as_str()) {
                    field.readonly = true;
                    true
                } else {
                    false
                }
            });
        }
        Ok(schema)
    }

    /// Up to `limit` objects a related field of `resource` may point to, whose label contains
    /// `search` (case-insensitive).
    pub async fn form_options(
        &self,
        actor: &Actor,
        resource: &str,
        field: &str,
        search: &str,
        limit: u64,
    ) -> Result<Vec<RelatedOption>, BffError> {
        let schema = if self.via_platform(actor, resource) {
            self.platform_schema(actor, resource).await?
        } else {
            // Options are for changing rooms: whoever may create or change one.
            let scope = self
                .scope(actor, Operation::RoomUpdate)
                .or_else(|_| self.scope(actor, Operation::RoomCreate))?;
            if let Scope::Owner {
                editable_fields, ..
            } = &scope
                && !editable_fields.iter().any(|f| f == field)
            {
                return Err(BffError::Forbidden);
            }
            self.pexip.schema(Api::Configuration, resource).await?
        };
        if schema
            .field(field)
            .is_none_or(|f| f.field_type != FieldType::Related)
        {
            return Err(BffError::NotFound);
        }
        let names: Vec<String> = self
            .pexip
            .discover(Api::Configuration)
            .await?
            .into_keys()
            .collect();
        let target = related_target(field, &names).ok_or(BffError::NotFound)?;
        let target_schema = self.pexip.schema(Api::Configuration, target).await?;
        let label = LABEL_FIELDS
            .into_iter()
            .find(|f| target_schema.field(f).is_some());
        let search = search.trim();
        let limit = limit.clamp(1, MAX_OPTIONS);
        let mut query = super::page(&[], limit, 0);
        let mut filtered = false;
        if let Some(label) = label {
            if !search.is_empty() && target_schema.can_filter(label, "icontains") {
                query = query.filter_lookup(label, "icontains", search);
                filtered = true;
            }
            if target_schema.can_order_by(label) {
                query = query.order_by(label);
            }
        }
        if !search.is_empty() && !filtered {
            // Filtered here instead: fetch a larger page.
            query = super::page(&[], MAX_PAGE, 0);
        }
        let list = self.pexip.list(Api::Configuration, target, &query).await?;
        let needle = search.to_lowercase();
        Ok(list
            .objects
            .iter()
            .filter_map(|object| {
                let uri = object.get("resource_uri")?.as_str()?.to_string();
                let text = label
                    .and_then(|l| object.get(l))
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map_or_else(|| uri.clone(), str::to_string);
                Some(RelatedOption { uri, label: text })
            })
            .filter(|option| filtered || option.label.to_lowercase().contains(&needle))
            .take(limit as usize)
            .collect())
    }
}

/// The resource a related field points to. Tastypie schemas do not say, so it is inferred
/// from the names the node serves: the field's own name (`ivr_theme`), its singular
/// (`event_sinks`), or the longest served name it ends with (`outgoing_location` has none,
/// `host_identity_provider_group` ends with `identity_provider_group`).
pub fn related_target<'a>(field: &str, resources: &'a [String]) -> Option<&'a str> {
    let exact = |name: &str| resources.iter().find(|r| *r == name).map(String::as_str);
    exact(field)
        .or_else(|| field.strip_suffix('s').and_then(exact))
        .or_else(|| {
            resources
                .iter()
                .filter(|r| field.ends_with(&format!("_{r}")))
                .max_by_key(|r| r.len())
                .map(String::as_str)
        })
        .or_else(|| match field {
            // Locations named by their role.
            f if f.ends_with("_location") => exact("system_location"),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::related_target;

    #[test]
    fn targets_follow_the_served_names() {
        let names: Vec<String> = [
            "conference",
            "ivr_theme",
            "system_location",
            "event_sink",
            "identity_provider_group",
            "automatic_participant",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(related_target("ivr_theme", &names), Some("ivr_theme"));
        assert_eq!(related_target("event_sinks", &names), Some("event_sink"));
        assert_eq!(
            related_target("host_identity_provider_group", &names),
            Some("identity_provider_group")
        );
        assert_eq!(
            related_target("outgoing_location", &names),
            Some("system_location")
        );
        assert_eq!(
            related_target("automatic_participants", &names),
            Some("automatic_participant")
        );
        assert_eq!(related_target("mssip_proxy", &names), None);
    }
}
