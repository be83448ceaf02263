//! GETs of the configuration API: the schema root, a resource's schema, a list, one object.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::relations::ConfigRelations;
use super::render::{ReverseIndex, render, with_reverse_uris};
use crate::catalogue::Resource;
use crate::http::response;
use crate::list::{self, ListQuery, datetime};
use crate::state::SimState;
use crate::store::{Object, ObjectId};

/// `GET /api/admin/configuration/v1/`.
pub fn root(state: &SimState) -> Response {
    response::json(StatusCode::OK, &state.catalogue.root_document())
}

/// `GET <resource>/schema/`: the schema with defaults rendered now (`creation_time`).
pub fn schema(resource: &Resource) -> Response {
    let mut schema = resource.schema.clone();
    for (name, field) in schema.fields.iter_mut() {
        if name == "creation_time" && field.default.is_some() {
            field.default = Some(Value::String(datetime::now()));
        }
    }
    match serde_json::to_value(&schema) {
        Ok(v) => response::json(StatusCode::OK, &v),
        Err(_) => response::server_error(),
    }
}

/// `GET <resource>/`: filtered, ordered, paged.
pub fn list(state: &SimState, resource: &Resource, raw_query: Option<&str>) -> Response {
    let query = ListQuery::parse(raw_query);
    let store = state.config.read().unwrap_or_else(|e| e.into_inner());
    let relations = ConfigRelations {
        catalogue: &state.catalogue,
        store: &store,
    };
    let endpoint = resource.list_endpoint();
    // Filters on reverse relations need them on the objects: add them only then.
    let filters_reverse = query
        .filters
        .iter()
        .any(|(key, _)| resource.is_reverse(key.split("__").next().unwrap_or("")));
    let augmented: Vec<Object>;
    let page = if filters_reverse {
        let index = ReverseIndex::build(resource, &store, &state.reverse_cache);
        augmented = store
            .objects(resource.name)
            .map(|o| with_reverse_uris(resource, o, &index))
            .collect();
        list::run(&query, &resource.schema, &endpoint, &augmented, &relations)
    } else {
        list::run(
            &query,
            &resource.schema,
            &endpoint,
            store.objects(resource.name),
            &relations,
        )
    };
    match page {
        Ok(page) => {
            let index = ReverseIndex::build(resource, &store, &state.reverse_cache);
            response::json(
                StatusCode::OK,
                &page.to_json(|o| render(&state.catalogue, resource, o, &index)),
            )
        }
        Err(e) => e.into_response(),
    }
}

/// `GET <resource>/<id>/`; 404 with an empty body when there is no such object.
pub fn detail(state: &SimState, resource: &Resource, id: &ObjectId) -> Response {
    let store = state.config.read().unwrap_or_else(|e| e.into_inner());
    match store.get(resource.name, id) {
        Some(object) => {
            let index = ReverseIndex::build(resource, &store, &state.reverse_cache);
            response::json(
                StatusCode::OK,
                &render(&state.catalogue, resource, object, &index),
            )
        }
        None => response::not_found(),
    }
}
