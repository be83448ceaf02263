//! Serving live objects through the list engine: filters, ordering, paging, the envelope.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pexip::Schema;
use serde_json::{Map, Value};

use super::schema::history as hs;
use crate::http::response;
use crate::list::{self, ListQuery, NoRelations, Relations};

/// Relations of the history resources: participants and conferences by URI, media streams
/// embedded.
pub struct HistoryRelations<'a> {
    conference: Schema,
    participant: Schema,
    media_stream: Schema,
    by_uri: HashMap<&'a str, &'a Map<String, Value>>,
}

impl<'a> HistoryRelations<'a> {
    pub fn new(objects: impl IntoIterator<Item = &'a Map<String, Value>>) -> Self {
        let by_uri = objects
            .into_iter()
            .filter_map(|o| Some((o.get("resource_uri")?.as_str()?, o)))
            .collect();
        HistoryRelations {
            conference: hs::conference(),
            participant: hs::participant(),
            media_stream: hs::media_stream("participant"),
            by_uri,
        }
    }
}

impl Relations for HistoryRelations<'_> {
    fn related_schema(&self, _owner: &Schema, field: &str) -> Option<&Schema> {
        match field {
            "conference" => Some(&self.conference),
            "participants" | "participant" => Some(&self.participant),
            "media_streams" => Some(&self.media_stream),
            _ => None,
        }
    }

    fn resolve(&self, uri: &str) -> Option<Cow<'_, Map<String, Value>>> {
        let path = uri.find("/api/admin/").map_or(uri, |i| &uri[i..]);
        self.by_uri.get(path).map(|o| Cow::Borrowed(*o))
    }
}

/// A list response over `objects` (in their default order).
pub fn serve<'a>(
    query: Option<&str>,
    schema: &Schema,
    endpoint: &str,
    objects: impl IntoIterator<Item = &'a Value>,
    relations: &dyn Relations,
) -> Response {
    let query = ListQuery::parse(query);
    let maps = objects.into_iter().filter_map(Value::as_object);
    match list::run(&query, schema, endpoint, maps, relations) {
        Ok(page) => response::json(StatusCode::OK, &page.to_json(|o| Value::Object(o.clone()))),
        Err(e) => e.into_response(),
    }
}

/// A list response for resources without relations to follow.
pub fn serve_plain(
    query: Option<&str>,
    schema: &Schema,
    endpoint: &str,
    objects: &[Value],
) -> Response {
    serve(query, schema, endpoint, objects, &NoRelations)
}

/// The object whose `key` equals `id` (compared as text), or 404.
pub fn detail(objects: &[Value], key: &str, id: &str) -> Response {
    let found = objects.iter().find(|o| match o.get(key) {
        Some(Value::String(s)) => s == id,
        Some(Value::Number(n)) => n.to_string() == id,
        _ => false,
    });
    match found {
        Some(o) => response::json(StatusCode::OK, o),
        None => response::not_found(),
    }
}

/// `{"<name>": {"list_endpoint": "...", "schema": "..."}}` for a schema root.
pub fn root(base: &str, names: &[&str]) -> Response {
    let mut m = Map::new();
    for n in names {
        m.insert(
            (*n).to_owned(),
            serde_json::json!({"list_endpoint": format!("{base}{n}/"), "schema": format!("{base}{n}/schema/")}),
        );
    }
    response::json(StatusCode::OK, &Value::Object(m))
}

/// A schema document.
pub fn schema(s: &Schema) -> Response {
    match serde_json::to_value(s) {
        Ok(v) => response::json(StatusCode::OK, &v),
        Err(_) => response::server_error(),
    }
}
