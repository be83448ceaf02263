//! Builds a [`Resource`] field by field.

use indexmap::IndexMap;
use pexip::{Field, Filtering, HttpMethod, Schema};

use super::field::{FieldExt, creation_time, id, resource_uri, text};
use super::{IdKind, Resource, Section};

/// Methods of an ordinary resource: everything on list and detail.
pub const ALL_METHODS: &[&str] = &["get", "post", "put", "delete", "patch"];
/// Methods of a read-only resource.
pub const READ_ONLY: &[&str] = &["get"];

/// Accumulates the parts of a resource; [`ResourceBuilder::build`] sorts fields and filters
/// by name, as tastypie's JSON output does.
pub struct ResourceBuilder {
    resource: Resource,
}

impl ResourceBuilder {
    /// A resource with every method allowed, an integer `id` and `resource_uri`.
    pub fn new(name: &'static str, title: &'static str, section: Section) -> Self {
        let schema = Schema {
            allowed_detail_http_methods: methods(ALL_METHODS),
            allowed_list_http_methods: methods(ALL_METHODS),
            default_format: "application/json".to_owned(),
            default_limit: Some(20),
            fields: IndexMap::new(),
            filtering: IndexMap::new(),
            ordering: Vec::new(),
            extra: IndexMap::new(),
        };
        ResourceBuilder {
            resource: Resource {
                name,
                title,
                section,
                id_kind: IdKind::Integer,
                singleton: false,
                schema,
                relations: IndexMap::new(),
                secrets: Vec::new(),
                reverse: IndexMap::new(),
            },
        }
        .field("id", id())
        .field("resource_uri", resource_uri())
    }

    /// Sets the allowed methods on list and detail URIs.
    pub fn methods(mut self, list: &[&str], detail: &[&str]) -> Self {
        self.resource.schema.allowed_list_http_methods = methods(list);
        self.resource.schema.allowed_detail_http_methods = methods(detail);
        self
    }

    /// Marks the resource a singleton (`global`): its one object is read and PATCHed, the
    /// list only read.
    pub fn singleton(mut self) -> Self {
        self.resource.singleton = true;
        self.methods(READ_ONLY, &["get", "patch"])
    }

    /// How objects are identified.
    pub fn id_kind(mut self, kind: IdKind) -> Self {
        self.resource.id_kind = kind;
        if kind != IdKind::Integer {
            self = self.without("id");
        }
        if kind == IdKind::Uuid {
            self = self.field(
                "id",
                super::field::string("The primary key.")
                    .unique()
                    .blank()
                    .readonly(),
            );
        }
        self
    }

    /// Adds (or replaces) a field.
    pub fn field(mut self, name: &str, field: Field) -> Self {
        self.resource.schema.fields.insert(name.to_owned(), field);
        self
    }

    /// Adds a secret (a password, a key): an optional string that reads back encrypted.
    pub fn secret(mut self, name: &str, help: &str) -> Self {
        self.resource.secrets.push(name.to_owned());
        self.field(name, text(help))
    }

    /// Adds the `creation_time` field.
    pub fn created(self) -> Self {
        self.field("creation_time", creation_time())
    }

    /// Adds a related field pointing to `target`.
    pub fn related(mut self, name: &str, target: &'static str, field: Field) -> Self {
        self.resource.relations.insert(name.to_owned(), target);
        self.field(name, field)
    }

    /// Adds a related field computed on read from `source.source_field` pointing here.
    pub fn reverse(
        mut self,
        name: &str,
        source: &'static str,
        source_field: &'static str,
        field: Field,
    ) -> Self {
        self.resource
            .reverse
            .insert(name.to_owned(), (source, source_field));
        self.related(name, source, field)
    }

    /// Removes a field (and its filter, ordering and relation).
    pub fn without(mut self, name: &str) -> Self {
        let r = &mut self.resource;
        r.schema.fields.shift_remove(name);
        r.schema.filtering.shift_remove(name);
        r.schema.ordering.retain(|o| o != name);
        r.relations.shift_remove(name);
        r.secrets.retain(|s| s != name);
        r.reverse.shift_remove(name);
        self
    }

    /// Allows every lookup on each of `fields` (`1`).
    pub fn filter(mut self, fields: &[&str]) -> Self {
        for f in fields {
            self.resource
                .schema
                .filtering
                .insert((*f).to_owned(), Filtering::All);
        }
        self
    }

    /// Allows every lookup, also across the relation, on each of `fields` (`2`).
    pub fn filter_related(mut self, fields: &[&str]) -> Self {
        for f in fields {
            self.resource
                .schema
                .filtering
                .insert((*f).to_owned(), Filtering::AllWithRelations);
        }
        self
    }

    /// Allows only `lookups` on `field`.
    pub fn filter_lookups(mut self, field: &str, lookups: &[&str]) -> Self {
        self.resource.schema.filtering.insert(
            field.to_owned(),
            Filtering::Lookups(lookups.iter().map(|l| (*l).to_owned()).collect()),
        );
        self
    }

    /// Appends fields that `order_by` accepts.
    pub fn order(mut self, fields: &[&str]) -> Self {
        for f in fields {
            if !self.resource.schema.ordering.iter().any(|o| o == f) {
                self.resource.schema.ordering.push((*f).to_owned());
            }
        }
        self
    }

    /// The finished resource.
    pub fn build(mut self) -> Resource {
        let schema = &mut self.resource.schema;
        schema.fields.sort_keys();
        schema.filtering.sort_keys();
        self.resource
    }
}

impl Resource {
    /// Continues building from a finished resource (used for later profiles).
    pub fn rebuild(self) -> ResourceBuilder {
        ResourceBuilder { resource: self }
    }
}

fn methods(names: &[&str]) -> Vec<HttpMethod> {
    names
        .iter()
        .map(|m| HttpMethod::from((*m).to_owned()))
        .collect()
}
