//! The tastypie schemas of the status, history and command resources, in the real format
//! (the [`pexip::Schema`] model the configuration catalogue uses too).

pub mod command;
pub mod history;
pub mod status;

use indexmap::IndexMap;
use pexip::{Field, Filtering, HttpMethod, Schema};

/// A schema of a read-only (GET) resource. Fields and filters are sorted by name, as
/// tastypie writes them; `related` fields are filterable across the relation (`2`).
pub fn read_only(
    fields: Vec<(&str, Field)>,
    filter: &[&str],
    related: &[&str],
    ordering: &[&str],
) -> Schema {
    let mut schema = Schema {
        allowed_detail_http_methods: vec![HttpMethod::Get],
        allowed_list_http_methods: vec![HttpMethod::Get],
        default_format: "application/json".to_owned(),
        default_limit: Some(20),
        fields: fields.into_iter().map(|(n, f)| (n.to_owned(), f)).collect(),
        filtering: IndexMap::new(),
        ordering: ordering.iter().map(|o| (*o).to_owned()).collect(),
        extra: IndexMap::new(),
    };
    for f in filter {
        schema.filtering.insert((*f).to_owned(), Filtering::All);
    }
    for f in related {
        schema
            .filtering
            .insert((*f).to_owned(), Filtering::AllWithRelations);
    }
    schema.fields.sort_keys();
    schema.filtering.sort_keys();
    schema
}

/// A command's schema: POST on the list URI only, no filtering or ordering.
pub fn command(fields: Vec<(&str, Field)>) -> Schema {
    let mut s = read_only(fields, &[], &[], &[]);
    s.allowed_list_http_methods = vec![HttpMethod::Post];
    s.allowed_detail_http_methods = Vec::new();
    s
}
