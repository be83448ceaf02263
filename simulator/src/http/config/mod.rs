//! The configuration API (`/api/admin/configuration/v1/`): every resource of the catalogue,
//! with its schema, list, detail and the methods its schema allows (405 otherwise).
//!
//! Trailing slashes are optional, as in tastypie's URL patterns.

pub mod deploy;
pub mod files;
pub mod ops;
pub mod read;
pub mod relations;
pub mod render;
pub mod write;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::routing::{any, get};
use pexip::HttpMethod;

use crate::catalogue::Resource;
use crate::http::body::{self, RequestBody};
use crate::http::response;
use crate::state::{AppState, SimState};
use crate::store::ObjectId;

/// The routes of the configuration API.
pub fn routes() -> Router<AppState> {
    const ROOT: &str = "/api/admin/configuration/v1";
    Router::new()
        .route(&format!("{ROOT}/"), get(root))
        .route(ROOT, get(root))
        .route(&format!("{ROOT}/{{resource}}/schema/"), get(schema))
        .route(&format!("{ROOT}/{{resource}}/schema"), get(schema))
        .route(&format!("{ROOT}/{{resource}}/"), any(list))
        .route(&format!("{ROOT}/{{resource}}"), any(list))
        .route(&format!("{ROOT}/{{resource}}/{{id}}/"), any(detail))
        .route(&format!("{ROOT}/{{resource}}/{{id}}"), any(detail))
}

async fn root(State(state): State<AppState>) -> Response {
    read::root(&state)
}

async fn schema(State(state): State<AppState>, Path(resource): Path<String>) -> Response {
    match state.catalogue.get(&resource) {
        Some(r) => read::schema(r),
        None => response::not_found(),
    }
}

/// Any method on a list URI.
pub async fn list(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(resource) = state.catalogue.get(&resource) else {
        return response::not_found();
    };
    if let Some(refused) = refuse_method(&resource.schema.allowed_list_http_methods, &method) {
        return refused;
    }
    let body = match read_body(&method, &headers, bytes).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    dispatch_list(&state, resource, &method, query.as_deref(), &headers, body)
}

/// Any method on a detail URI.
pub async fn detail(
    State(state): State<AppState>,
    Path((resource, id)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(resource) = state.catalogue.get(&resource) else {
        return response::not_found();
    };
    if let Some(refused) = refuse_method(&resource.schema.allowed_detail_http_methods, &method) {
        return refused;
    }
    let body = match read_body(&method, &headers, bytes).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    dispatch_detail(
        &state,
        resource,
        &ObjectId::parse(&id),
        &method,
        &headers,
        body,
    )
}

/// Carries out `method` on the list URI of `resource` (methods already checked).
pub fn dispatch_list(
    state: &SimState,
    resource: &Resource,
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: RequestBody,
) -> Response {
    match *method {
        Method::GET | Method::HEAD => read::list(state, resource, query),
        Method::POST => write::create(state, resource, headers, body),
        Method::PATCH => write::bulk(state, resource, body),
        Method::PUT => write::replace_all(state, resource, body),
        Method::DELETE => write::delete_all(state, resource, query),
        _ => response::method_not_allowed(&[]),
    }
}

/// Carries out `method` on object `id` of `resource` (methods already checked).
pub fn dispatch_detail(
    state: &SimState,
    resource: &Resource,
    id: &ObjectId,
    method: &Method,
    headers: &HeaderMap,
    body: RequestBody,
) -> Response {
    match *method {
        Method::GET | Method::HEAD => read::detail(state, resource, id),
        Method::PATCH => write::update(state, resource, id, headers, body),
        Method::PUT => write::replace(state, resource, id, headers, body),
        Method::DELETE => write::delete(state, resource, id),
        _ => response::method_not_allowed(&[]),
    }
}

/// A 405 naming the allowed methods when the schema does not allow `method`.
pub fn refuse_method(allowed: &[HttpMethod], method: &Method) -> Option<Response> {
    let name = if *method == Method::HEAD {
        "get"
    } else {
        &method.as_str().to_ascii_lowercase()
    };
    if allowed.iter().any(|m| m.as_str() == name) {
        return None;
    }
    let names: Vec<&str> = allowed.iter().map(HttpMethod::as_str).collect();
    Some(response::method_not_allowed(&names))
}

/// The body of a request whose method carries one (`Empty` for the others).
async fn read_body(
    method: &Method,
    headers: &HeaderMap,
    bytes: Bytes,
) -> Result<RequestBody, Response> {
    if matches!(*method, Method::GET | Method::HEAD | Method::DELETE) {
        return Ok(RequestBody::Empty);
    }
    body::decode(headers, bytes)
        .await
        .map_err(response::bad_request)
}
