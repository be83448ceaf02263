//! POST, PATCH, PUT and DELETE of the configuration API, with the status codes of a
//! Management Node: 201 + `Location` (empty body), 202, 204, 400 in tastypie's shapes, 404.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pexip::FormErrors;
use serde_json::Value;

use super::deploy;
use super::files;
use super::ops::{self, Bulk};
use super::relations::ConfigRelations;
use super::render::{ReverseIndex, with_reverse_uris};
use crate::catalogue::Resource;
use crate::http::body::RequestBody;
use crate::http::response;
use crate::list::{ListQuery, filter};
use crate::persist;
use crate::state::SimState;
use crate::store::{ConfigStore, Object, ObjectId, split_uri};

/// `POST <resource>/`: 201, empty body, `Location` of the new object.
pub fn create(
    state: &SimState,
    resource: &Resource,
    headers: &HeaderMap,
    body: RequestBody,
) -> Response {
    // A POST ignores files: they are PATCHed onto the object once it exists.
    let request = match files::split(resource, body) {
        Ok(split) => split.fields,
        Err(e) => return response::bad_request(e),
    };
    transact(state, |draft| {
        let id = ops::create(draft, &state.catalogue, resource, &request, None)?;
        let mut response = created(state, headers, resource, &id);
        // A manually deployed Conferencing Node answers with the file to deploy.
        if resource.name == "worker_vm"
            && let Some(download) = draft.get(resource.name, &id).and_then(deploy::download)
        {
            let location = response.headers_mut().remove(header::LOCATION);
            response = download;
            if let Some(location) = location {
                response.headers_mut().insert(header::LOCATION, location);
            }
        }
        Ok(response)
    })
}

/// `PATCH <resource>/<id>/`: 202, empty body.
pub fn update(
    state: &SimState,
    resource: &Resource,
    id: &ObjectId,
    headers: &HeaderMap,
    body: RequestBody,
) -> Response {
    let (request, uploaded) = match with_files(resource, body) {
        Ok(split) => split,
        Err(r) => return *r,
    };
    let answer = transact(state, |draft| {
        Ok(
            if ops::update(draft, &state.catalogue, resource, id, &request)? {
                // The guide's example reads `Location` after a PATCH too.
                located(state, headers, resource, id, StatusCode::ACCEPTED)
            } else {
                response::not_found()
            },
        )
    });
    if answer.status().is_success() {
        keep_files(state, resource, id, &request, &uploaded);
    }
    answer
}

/// The fields of a PATCH or PUT with each file part of a file field checked and written as its
/// file name, and those file parts; a refused file is the node's 400 on its field.
fn with_files(
    resource: &Resource,
    body: RequestBody,
) -> Result<(crate::store::Object, Vec<crate::http::body::UploadedFile>), Box<Response>> {
    let split = files::split(resource, body).map_err(|e| Box::new(response::bad_request(e)))?;
    let mut request = split.fields;
    let mut errors = FormErrors::new(resource.name);
    for file in &split.files {
        match files::check(resource.name, file) {
            Ok(()) => {
                request.insert(file.field.clone(), Value::String(files::stored_name(file)));
            }
            Err(message) => errors.add(file.field.clone(), message),
        }
    }
    if errors.is_empty() {
        Ok((request, split.files))
    } else {
        Err(Box::new(response::json(
            StatusCode::BAD_REQUEST,
            &errors.to_json(),
        )))
    }
}

/// Keeps the bytes of the files written onto object `id` (and forgets cleared ones).
fn keep_files(
    state: &SimState,
    resource: &Resource,
    id: &ObjectId,
    request: &crate::store::Object,
    uploaded: &[crate::http::body::UploadedFile],
) {
    state.files.clear_nulls(resource, id, request);
    for file in uploaded {
        state.files.put(resource.name, id, file);
    }
}

/// `PUT <resource>/<id>/`: 204 when it existed, else 201 creating it with that id.
pub fn replace(
    state: &SimState,
    resource: &Resource,
    id: &ObjectId,
    headers: &HeaderMap,
    body: RequestBody,
) -> Response {
    let (request, uploaded) = match with_files(resource, body) {
        Ok(split) => split,
        Err(r) => return *r,
    };
    let answer = transact(state, |draft| {
        if ops::update(draft, &state.catalogue, resource, id, &request)? {
            Ok(response::empty(StatusCode::NO_CONTENT))
        } else {
            let id = ops::create(
                draft,
                &state.catalogue,
                resource,
                &request,
                Some(id.clone()),
            )?;
            Ok(created(state, headers, resource, &id))
        }
    });
    if answer.status() == StatusCode::NO_CONTENT {
        keep_files(state, resource, id, &request, &uploaded);
    }
    answer
}

/// `PATCH <resource>/` with `{"objects": [...]}`: objects with a `resource_uri` of an existing
/// object update it, the others are created; `deleted_objects` lists URIs to delete. 202.
pub fn bulk(state: &SimState, resource: &Resource, body: RequestBody) -> Response {
    let bulk = match body.into_object().and_then(|b| Bulk::parse(&b)) {
        Ok(b) => b,
        Err(e) => return response::bad_request(e),
    };
    transact(state, |draft| {
        for object in &bulk.objects {
            let existing = existing_id(draft, resource, object);
            match existing {
                Some(id) => {
                    ops::update(draft, &state.catalogue, resource, &id, object)?;
                }
                None => {
                    ops::create(draft, &state.catalogue, resource, object, None)?;
                }
            }
        }
        for uri in &bulk.deleted {
            if let Some((r, id)) = split_uri(uri).filter(|(r, _)| *r == resource.name) {
                ops::delete(draft, &state.catalogue, r, &ObjectId::parse(id));
            }
        }
        Ok(response::empty(StatusCode::ACCEPTED))
    })
}

/// `PUT <resource>/` with `{"objects": [...]}`: replaces every object. 204.
pub fn replace_all(state: &SimState, resource: &Resource, body: RequestBody) -> Response {
    let bulk = match body.into_object().and_then(|b| Bulk::parse(&b)) {
        Ok(b) => b,
        Err(e) => return response::bad_request(e),
    };
    transact(state, |draft| {
        delete_where(draft, state, resource, &[]).map_err(Failure::Filter)?;
        for object in &bulk.objects {
            ops::create(draft, &state.catalogue, resource, object, None)?;
        }
        Ok(response::empty(StatusCode::NO_CONTENT))
    })
}

/// `DELETE <resource>/<id>/`: 204, or 404 when there is no such object.
pub fn delete(state: &SimState, resource: &Resource, id: &ObjectId) -> Response {
    transact(state, |draft| {
        Ok(if ops::delete(draft, &state.catalogue, resource.name, id) {
            response::empty(StatusCode::NO_CONTENT)
        } else {
            response::not_found()
        })
    })
}

/// `DELETE <resource>/`: deletes every object (every object matching the filters, when the
/// query has some, as tastypie does). 204.
pub fn delete_all(state: &SimState, resource: &Resource, raw_query: Option<&str>) -> Response {
    let query = ListQuery::parse(raw_query);
    transact(state, |draft| {
        delete_where(draft, state, resource, &query.filters).map_err(Failure::Filter)?;
        Ok(response::empty(StatusCode::NO_CONTENT))
    })
}

/// Deletes the objects of `resource` matching `filters` (all of them without filters).
fn delete_where(
    draft: &mut ConfigStore,
    state: &SimState,
    resource: &Resource,
    filters: &[(String, String)],
) -> Result<(), crate::list::ListError> {
    let ids: Vec<ObjectId> = {
        let relations = ConfigRelations {
            catalogue: &state.catalogue,
            store: draft,
        };
        let compiled = filter::compile(filters, &resource.schema, &relations)?;
        let index = ReverseIndex::build(resource, draft, &state.reverse_cache);
        let filters_reverse = filters
            .iter()
            .any(|(key, _)| resource.is_reverse(key.split("__").next().unwrap_or("")));
        draft
            .objects(resource.name)
            .filter(|o| {
                // Filters on reverse relations need them on the object, as for a GET.
                let augmented;
                let o = if filters_reverse {
                    augmented = with_reverse_uris(resource, o, &index);
                    &augmented
                } else {
                    *o
                };
                compiled.iter().all(|f| f.matches(o, &relations))
            })
            .filter_map(|o| o.get("id").and_then(ObjectId::from_json))
            .collect()
    };
    for id in ids {
        ops::delete(draft, &state.catalogue, resource.name, &id);
    }
    Ok(())
}

fn existing_id(draft: &ConfigStore, resource: &Resource, object: &Object) -> Option<ObjectId> {
    let uri = object.get("resource_uri").and_then(Value::as_str)?;
    let (r, id) = split_uri(uri)?;
    let id = ObjectId::parse(id);
    (r == resource.name && draft.get(r, &id).is_some()).then_some(id)
}

/// Why a change was refused.
pub enum Failure {
    Form(FormErrors),
    Filter(crate::list::ListError),
}

impl From<FormErrors> for Failure {
    fn from(e: FormErrors) -> Self {
        Failure::Form(e)
    }
}

/// Runs `change` on a draft of the store and keeps it only when it succeeds (then persists it
/// and lets the event sinks follow the new configuration).
fn transact(
    state: &SimState,
    change: impl FnOnce(&mut ConfigStore) -> Result<Response, Failure>,
) -> Response {
    let response = {
        let mut store = state.config.write().unwrap_or_else(|e| e.into_inner());
        let mut draft = store.clone();
        match change(&mut draft) {
            Ok(response) => {
                if !response.status().is_success() {
                    return response;
                }
                *store = draft;
                // Files of objects deleted (directly or by a cascade) go with them.
                state.files.retain(|r, id| store.get(r, id).is_some());
                if let Err(e) = persist::save_if_configured(state, &store) {
                    tracing::error!("cannot write the state file: {e}");
                    return response::server_error();
                }
                response
            }
            Err(Failure::Form(errors)) => {
                return response::json(StatusCode::BAD_REQUEST, &errors.to_json());
            }
            Err(Failure::Filter(e)) => return e.into_response(),
        }
    };
    // The store's lock is released first: the live system takes its own lock, then the store's.
    state.live.reconcile_sinks();
    response
}

/// 201 with an absolute `Location` (as Django writes it) and an empty body.
fn created(state: &SimState, headers: &HeaderMap, resource: &Resource, id: &ObjectId) -> Response {
    located(state, headers, resource, id, StatusCode::CREATED)
}

/// An empty body with `status` and the absolute `Location` of object `id`.
fn located(
    state: &SimState,
    headers: &HeaderMap,
    resource: &Resource,
    id: &ObjectId,
    status: StatusCode,
) -> Response {
    let scheme = if state.options.plain_http {
        "http"
    } else {
        "https"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| state.options.listen.to_string());
    let location = format!(
        "{scheme}://{host}{}",
        crate::store::config_uri(resource.name, id)
    );
    let mut r = response::empty(status);
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}
