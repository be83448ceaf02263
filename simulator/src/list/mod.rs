//! The list engine behind every list GET (configuration, status, history): filters with every
//! lookup of the guide plus `in` (and `range`, `isnull` where a schema lists them), lookups
//! across relations, `order_by`, `limit`/`offset` and the envelope's `meta`.
//!
//! It is generic over JSON objects and a [`pexip::Schema`]: the schema's `filtering` and
//! `ordering` decide what is allowed, its field types how values compare. Related values may be
//! embedded objects or resource URIs; URIs are resolved through [`Relations`].
//!
//! ```ignore
//! let query = ListQuery::parse(uri.query());
//! let page = list::run(&query, &schema, "/api/admin/history/v1/participant/", objects, &relations)?;
//! let body = page.to_json(|o| Value::Object(o.clone()));
//! ```

pub mod datetime;
pub mod error;
pub mod filter;
pub mod order;
pub mod page;
pub mod query;
pub mod value;

use std::borrow::Cow;

use pexip::{ListMeta, Schema};
use serde_json::{Map, Value, json};

pub use error::ListError;
pub use page::{DEFAULT_LIMIT, MAX_LIMIT};
pub use query::ListQuery;

/// How the engine follows relations.
pub trait Relations {
    /// The schema of the resource that related field `field` of `owner` points to, to check
    /// filters across it; `None` accepts any nested filter unchecked.
    fn related_schema(&self, owner: &Schema, field: &str) -> Option<&Schema> {
        let _ = (owner, field);
        None
    }

    /// The object a resource URI names, if any.
    fn resolve(&self, uri: &str) -> Option<Cow<'_, Map<String, Value>>> {
        let _ = uri;
        None
    }
}

/// Relations that resolve nothing: for resources whose related values are embedded.
pub struct NoRelations;

impl Relations for NoRelations {}

/// One page of a list.
#[derive(Debug)]
pub struct Page<'a> {
    pub meta: ListMeta,
    pub objects: Vec<&'a Map<String, Value>>,
}

impl Page<'_> {
    /// The envelope, each object rendered by `render`.
    pub fn to_json(&self, render: impl Fn(&Map<String, Value>) -> Value) -> Value {
        json!({
            "meta": self.meta,
            "objects": self.objects.iter().map(|o| render(o)).collect::<Vec<_>>(),
        })
    }
}

/// Filters, orders and pages `objects` (given in their default order) for `query`; `endpoint`
/// is the list URI the `next`/`previous` links point to.
pub fn run<'a>(
    query: &ListQuery,
    schema: &Schema,
    endpoint: &str,
    objects: impl IntoIterator<Item = &'a Map<String, Value>>,
    relations: &dyn Relations,
) -> Result<Page<'a>, ListError> {
    let default_limit = schema.default_limit.map_or(DEFAULT_LIMIT, |l| l as usize);
    let (limit, offset) = page::limit_offset(query, default_limit)?;
    let filters = filter::compile(&query.filters, schema, relations)?;
    let order = order::compile(&query.order_by, schema)?;
    let mut selected: Vec<&Map<String, Value>> = objects
        .into_iter()
        .filter(|o| filters.iter().all(|f| f.matches(o, relations)))
        .collect();
    let total = selected.len();
    order::sort_first(&mut selected, &order, offset.saturating_add(limit));
    let meta = page::meta(query, endpoint, limit, offset, total);
    let objects = selected.into_iter().skip(offset).take(limit).collect();
    Ok(Page { meta, objects })
}

#[cfg(test)]
mod tests;
