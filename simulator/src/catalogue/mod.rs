//! The configuration resource catalogue: every resource of the configuration API with its
//! tastypie schema, per profile (v14, the guide's version; v40, a newer node).
//!
//! The schemas are [`pexip::Schema`] values, the same model that parses a real node's schemas;
//! they serialize to the real format at `<resource>/schema/`. Beside the schema, each
//! [`Resource`] tells what the schema cannot: the id kind, which resource each relation points
//! to, and (in [`rules`]) the cross-field rules and the defaults that depend on other fields.

mod builder;
mod call_control;
pub mod field;
mod platform;
pub mod rules;
mod services;
mod system;
mod users;
mod utilities;
mod v40;
mod v40_resources;

use indexmap::IndexMap;
use pexip::Schema;
use serde_json::{Map, Value};

pub use builder::ResourceBuilder;

use crate::state::Profile;

/// The root of the configuration API.
pub const CONFIG_ROOT: &str = "/api/admin/configuration/v1/";

/// How objects of a resource are identified in their URIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// An integer `id` handed out by the server (most resources).
    Integer,
    /// A UUID string in `id`.
    Uuid,
    /// A natural key held in the named field (`licence` by `fulfillment_id`,
    /// `system_backup` by `filename`, ...).
    Key(&'static str),
}

/// The section of the guide's "Configuration resources" table a resource belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    System,
    Platform,
    CallControl,
    Service,
    Users,
    Utilities,
}

/// One configuration resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The resource name (`conference`), the last segment of its list endpoint.
    pub name: &'static str,
    /// What the guide's table calls it ("Virtual Meeting Room, ...", "DNS server").
    pub title: &'static str,
    pub section: Section,
    pub id_kind: IdKind,
    /// A singleton (`global`): one object, changed with PATCH, never created or deleted.
    pub singleton: bool,
    pub schema: Schema,
    /// For every related field, the resource its URIs name.
    pub relations: IndexMap<String, &'static str>,
    /// Fields holding secrets: written in clear, read back as opaque encrypted strings
    /// beginning `$~!1`.
    pub secrets: Vec<String>,
    /// Related fields that are not stored but computed when an object is read, from the
    /// objects of another resource that point here: field -> (resource, its field).
    /// (`conference.aliases` lists the `conference_alias` objects whose `conference` is it.)
    pub reverse: IndexMap<String, (&'static str, &'static str)>,
}

impl Resource {
    /// `/api/admin/configuration/v1/<name>/`.
    pub fn list_endpoint(&self) -> String {
        format!("{CONFIG_ROOT}{}/", self.name)
    }

    /// `/api/admin/configuration/v1/<name>/schema/`.
    pub fn schema_endpoint(&self) -> String {
        format!("{CONFIG_ROOT}{}/schema/", self.name)
    }

    /// Whether `field` holds a secret.
    pub fn is_secret(&self, field: &str) -> bool {
        self.secrets.iter().any(|s| s == field)
    }

    /// Whether `field` is computed on read from the objects pointing here (not stored).
    pub fn is_reverse(&self, field: &str) -> bool {
        self.reverse.contains_key(field)
    }

    /// The resource a related field points to.
    pub fn relation(&self, field: &str) -> Option<&'static str> {
        self.relations.get(field).copied()
    }

    /// The object a POST creates before the request's values are applied: every field's
    /// schema default (`creation_time` and `last_updated` set to `now`, a server-owned
    /// `uuid` generated; a field without a default is `null`), then the defaults that depend on the
    /// request's other values (such as `host_view` by `service_type`). `id`, `resource_uri`
    /// and the reverse relations are left out: the store and the reader provide them.
    pub fn defaults_for(&self, request: &Map<String, Value>, now: &str) -> Map<String, Value> {
        let mut object = Map::new();
        for (name, field) in &self.schema.fields {
            if name == "id" || name == "resource_uri" || self.is_reverse(name) {
                continue;
            }
            let stamped = matches!(name.as_str(), "creation_time" | "last_updated");
            let value = match (&field.field_type, &field.default) {
                (pexip::FieldType::Datetime, _) if stamped => Value::from(now),
                (_, Some(default)) => default.clone(),
                (_, None) => Value::Null,
            };
            object.insert(name.clone(), value);
        }
        rules::dependent_defaults(self.name, request, &mut object);
        if self.schema.field("uuid").is_some_and(|f| f.readonly) {
            object.insert(
                "uuid".into(),
                Value::from(rules::server_uuid(self.name, request, now)),
            );
        }
        object
    }
}

/// Every configuration resource of one profile, in the order of the guide's table.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub profile: Profile,
    resources: IndexMap<&'static str, Resource>,
}

impl Catalogue {
    /// The catalogue a node of `profile` serves.
    pub fn for_profile(profile: Profile) -> Catalogue {
        let mut resources: Vec<Resource> = Vec::new();
        resources.extend(system::resources());
        resources.extend(platform::resources());
        resources.extend(call_control::resources());
        resources.extend(services::resources());
        resources.extend(users::resources());
        resources.extend(utilities::resources());
        if profile == Profile::V40 {
            v40::upgrade(&mut resources);
        }
        Catalogue {
            profile,
            resources: resources.into_iter().map(|r| (r.name, r)).collect(),
        }
    }

    /// The resource called `name`.
    pub fn get(&self, name: &str) -> Option<&Resource> {
        self.resources.get(name)
    }

    /// Every resource, in the guide's order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.values()
    }

    /// The names of every resource, in the guide's order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.resources.keys().copied()
    }

    /// The schema root document (`GET /api/admin/configuration/v1/`):
    /// `{"<resource>": {"list_endpoint": "...", "schema": "..."}}`.
    pub fn root_document(&self) -> Value {
        let mut root = Map::new();
        for r in self.resources() {
            root.insert(
                r.name.to_owned(),
                serde_json::json!({
                    "list_endpoint": r.list_endpoint(),
                    "schema": r.schema_endpoint(),
                }),
            );
        }
        Value::Object(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_differ_in_resources() {
        let v14 = Catalogue::for_profile(Profile::V14);
        let v40 = Catalogue::for_profile(Profile::V40);
        assert!(v14.get("host_system").is_some());
        assert!(v14.get("end_user").is_none());
        assert!(v40.get("host_system").is_none());
        assert!(v40.get("end_user").is_some());
        assert_eq!(v14.resources().count(), 38);
        assert_eq!(v40.resources().count(), 47);
    }

    #[test]
    fn relations_point_to_known_resources_of_the_profile() {
        for profile in [Profile::V14, Profile::V40] {
            let cat = Catalogue::for_profile(profile);
            for r in cat.resources() {
                for (field, f) in &r.schema.fields {
                    let is_related = f.field_type == pexip::FieldType::Related;
                    assert_eq!(
                        is_related,
                        r.relations.contains_key(field),
                        "{}.{field}: related fields and relations must match",
                        r.name
                    );
                }
                for (field, target) in &r.relations {
                    assert!(
                        cat.get(target).is_some(),
                        "{:?}: {}.{field} points to unknown {target}",
                        profile,
                        r.name
                    );
                }
            }
        }
    }

    #[test]
    fn id_kinds_shape_the_id_field() {
        let uuid = ResourceBuilder::new("thing", "Thing", Section::Utilities)
            .id_kind(IdKind::Uuid)
            .build();
        let id = uuid.schema.field("id").unwrap();
        assert_eq!(id.field_type, pexip::FieldType::String);
        assert!(id.readonly && id.unique);
        let keyed = ResourceBuilder::new("thing", "Thing", Section::Utilities)
            .id_kind(IdKind::Key("filename"))
            .build();
        assert!(keyed.schema.field("id").is_none());
        let cat = Catalogue::for_profile(Profile::V14);
        assert_eq!(
            cat.get("licence").unwrap().id_kind,
            IdKind::Key("fulfillment_id")
        );
        assert_eq!(
            cat.get("system_backup").unwrap().id_kind,
            IdKind::Key("filename")
        );
        assert_eq!(cat.get("conference").unwrap().id_kind, IdKind::Integer);
    }

    #[test]
    fn conference_defaults_follow_service_type() {
        let cat = Catalogue::for_profile(Profile::V14);
        let conf = cat.get("conference").unwrap();
        let req = serde_json::json!({"name": "A", "service_type": "lecture"});
        let obj = conf.defaults_for(req.as_object().unwrap(), "2026-01-01T00:00:00.000000");
        assert_eq!(obj["guest_view"], "one_main_zero_pips");
        assert_eq!(obj["creation_time"], "2026-01-01T00:00:00.000000");
        assert!(!obj.contains_key("id"));
        let req = serde_json::json!({"name": "B"});
        let obj = conf.defaults_for(req.as_object().unwrap(), "2026-01-01T00:00:00.000000");
        assert_eq!(obj["host_view"], "one_main_seven_pips");
        assert_eq!(obj["guest_view"], Value::Null);
        assert_eq!(obj["service_type"], "conference");
    }
}
