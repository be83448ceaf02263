//! The routes of the live system: the status and history APIs, the command API, and the
//! configuration resources whose behaviour is live (system backups, licences, licence
//! requests).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequest, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use serde_json::Value;

use super::command::{self, form};
use super::handle::Live;
use super::licence::{self, LICENCE, LICENCE_REQUEST};
use super::lists::{self, HistoryRelations};
use super::records;
use crate::catalogue::Catalogue;
use crate::http::response;
use crate::store::ObjectId;

/// The largest command body accepted (a backup package to restore).
const MAX_PACKAGE_BYTES: usize = 256 * 1024 * 1024;

const STATUS: &str = "/api/admin/status/v1/";
const HISTORY: &str = "/api/admin/history/v1/";
const COMMAND: &str = "/api/admin/command/v1/";
const SYSTEM_BACKUP: &str = super::backup::SYSTEM_BACKUP;

#[derive(Clone)]
struct Api {
    live: Live,
    catalogue: Arc<Catalogue>,
    /// `https` (or `http` when serving plain HTTP), for absolute `Location` headers.
    scheme: &'static str,
}

/// Registers `route` at `path` and at `path` without its trailing slash (the guide's licence
/// DELETE has none).
fn both<S: Clone + Send + Sync + 'static>(
    r: Router<S>,
    path: &str,
    route: MethodRouter<S>,
) -> Router<S> {
    r.route(path, route.clone())
        .route(path.trim_end_matches('/'), route)
}

/// The live system's routes, for any outer router state; `plain_http` tells the scheme of
/// the `Location` headers.
pub fn router<S: Clone + Send + Sync + 'static>(
    live: Live,
    catalogue: Arc<Catalogue>,
    plain_http: bool,
) -> Router<S> {
    let mut r: Router<Api> = Router::new();
    r = r
        .route(STATUS, get(status_root))
        .route(HISTORY, get(history_root));
    r = both(r, "/api/admin/status/v1/{resource}/", get(status_list));
    r = both(
        r,
        "/api/admin/status/v1/{resource}/schema/",
        get(status_schema),
    );
    r = both(
        r,
        "/api/admin/status/v1/{resource}/{id}/",
        get(status_detail),
    );
    r = both(
        r,
        "/api/admin/status/v1/{resource}/{id}/{child}/",
        get(status_nested),
    );
    r = both(r, "/api/admin/history/v1/{resource}/", get(history_list));
    r = both(
        r,
        "/api/admin/history/v1/{resource}/schema/",
        get(history_schema),
    );
    r = both(
        r,
        "/api/admin/history/v1/{resource}/{id}/",
        get(history_detail),
    );
    r = both(
        r,
        "/api/admin/history/v1/{resource}/{id}/{child}/",
        get(history_nested),
    );
    r = both(r, "/api/admin/command/v1/{group}/", get(command_root));
    r = both(
        r,
        "/api/admin/command/v1/{group}/{command}/",
        // Backup packages are large (the guide's example is 9 MB): more than axum's 2 MB.
        get(command_get)
            .post(command_post)
            .layer(DefaultBodyLimit::max(MAX_PACKAGE_BYTES)),
    );
    r = both(
        r,
        "/api/admin/command/v1/{group}/{command}/schema/",
        get(command_schema),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/system_backup/",
        get(backup_list),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/system_backup/schema/",
        get(config_schema_of("system_backup")),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/system_backup/{filename}/",
        get(backup_download).delete(backup_delete),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/licence/",
        get(licence_list).post(licence_create),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/licence/schema/",
        get(config_schema_of("licence")),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/licence/{id}/",
        get(licence_detail).delete(licence_delete),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/licence_request/",
        get(request_list),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/licence_request/schema/",
        get(config_schema_of("licence_request")),
    );
    r = both(
        r,
        "/api/admin/configuration/v1/licence_request/{id}/",
        get(request_detail)
            .post(request_complete)
            .patch(request_complete)
            .delete(request_delete),
    );
    let scheme = if plain_http { "http" } else { "https" };
    r.with_state(Api {
        live,
        catalogue,
        scheme,
    })
}

async fn status_root() -> Response {
    lists::root(STATUS, records::STATUS_RESOURCES)
}

async fn history_root() -> Response {
    lists::root(HISTORY, records::HISTORY_RESOURCES)
}

async fn status_list(
    State(api): State<Api>,
    Path(resource): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(schema) = records::status_schema(&resource) else {
        return response::not_found();
    };
    advance_syncs(&api, &resource);
    let Some(objects) = api
        .live
        .read(|s, t| records::status_objects(&resource, s, t))
    else {
        return response::not_found();
    };
    lists::serve_plain(
        q.as_deref(),
        &schema,
        &format!("{STATUS}{resource}/"),
        &objects,
    )
}

/// A read of the `conference_sync` status moves the running syncs on ([`super::sync`]).
fn advance_syncs(api: &Api, resource: &str) {
    if resource == "conference_sync" {
        api.live.with_state_and_store(|state, store| {
            let now = state.now;
            state.syncs.advance(store, &api.catalogue, now);
        });
    }
}

async fn status_schema(Path(resource): Path<String>) -> Response {
    records::status_schema(&resource).map_or_else(response::not_found, |s| lists::schema(&s))
}

fn detail_key(resource: &str) -> &'static str {
    if resource == "cloud_node" {
        "aws_instance_id"
    } else {
        "id"
    }
}

async fn status_detail(
    State(api): State<Api>,
    Path((resource, id)): Path<(String, String)>,
) -> Response {
    advance_syncs(&api, &resource);
    let Some(objects) = api
        .live
        .read(|s, t| records::status_objects(&resource, s, t))
    else {
        return response::not_found();
    };
    lists::detail(&objects, detail_key(&resource), &id)
}

async fn status_nested(
    State(api): State<Api>,
    Path((resource, id, child)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if child == "statistics" {
        return match api
            .live
            .read(|s, t| records::statistics(&resource, &id, s, t))
        {
            Some(v) => response::json(StatusCode::OK, &v),
            None => response::not_found(),
        };
    }
    let Some(objects) = api
        .live
        .read_state(|s| records::status_nested(&resource, &id, &child, s))
    else {
        return response::not_found();
    };
    let schema = records::nested_schema(true, &resource);
    lists::serve_plain(
        q.as_deref(),
        &schema,
        &format!("{STATUS}{resource}/{id}/{child}/"),
        &objects,
    )
}

async fn history_list(
    State(api): State<Api>,
    Path(resource): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(schema) = records::history_schema(&resource) else {
        return response::not_found();
    };
    let endpoint = format!("{HISTORY}{resource}/");
    api.live.read_state(|s| {
        let h = &s.history;
        let objects: Vec<&Value> = match resource.as_str() {
            "conference" => h.conferences().collect(),
            "participant" => h.participants().collect(),
            "backplane" => h.backplanes().collect(),
            _ => return response::not_found(),
        };
        let relations = HistoryRelations::new(
            h.conferences()
                .chain(h.participants())
                .filter_map(Value::as_object),
        );
        lists::serve(q.as_deref(), &schema, &endpoint, objects, &relations)
    })
}

async fn history_schema(Path(resource): Path<String>) -> Response {
    records::history_schema(&resource).map_or_else(response::not_found, |s| lists::schema(&s))
}

async fn history_detail(
    State(api): State<Api>,
    Path((resource, id)): Path<(String, String)>,
) -> Response {
    let found = api.live.read_state(|s| match resource.as_str() {
        "conference" => s.history.conference(&id).cloned(),
        "participant" => s.history.participant(&id).cloned(),
        "backplane" => s.history.backplane(&id).cloned(),
        _ => None,
    });
    found.map_or_else(response::not_found, |v| response::json(StatusCode::OK, &v))
}

async fn history_nested(
    State(api): State<Api>,
    Path((resource, id, child)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if child != "media_stream" {
        return response::not_found();
    }
    let Some(objects) = api
        .live
        .read_state(|s| records::history_nested(&resource, &id, s))
    else {
        return response::not_found();
    };
    let schema = records::nested_schema(false, &resource);
    lists::serve_plain(
        q.as_deref(),
        &schema,
        &format!("{HISTORY}{resource}/{id}/{child}/"),
        &objects,
    )
}

async fn command_root(Path(group): Path<String>) -> Response {
    let names: Vec<&str> = command_names(&group);
    if names.is_empty() {
        return response::not_found();
    }
    lists::root(&format!("{COMMAND}{group}/"), &names)
}

fn command_names(group: &str) -> Vec<&'static str> {
    super::schema::command::COMMANDS
        .iter()
        .filter(|(g, _)| *g == group)
        .map(|(_, c)| *c)
        .collect()
}

async fn command_schema(Path((group, command)): Path<(String, String)>) -> Response {
    super::schema::command::for_command(&group, &command)
        .map_or_else(response::not_found, |s| lists::schema(&s))
}

async fn command_get(Path((group, command)): Path<(String, String)>) -> Response {
    if super::schema::command::for_command(&group, &command).is_none() {
        return response::not_found();
    }
    response::method_not_allowed(&["post"])
}

async fn command_post(
    State(api): State<Api>,
    Path((group, command)): Path<(String, String)>,
    request: Request,
) -> Response {
    if super::schema::command::for_command(&group, &command).is_none() {
        return response::not_found();
    }
    let headers = request.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A backup to restore may be far larger than what is worth holding: read as it arrives.
    let restore_boundary = (group == "platform" && command == "backup_restore")
        .then(|| multer::parse_boundary(content_type).ok())
        .flatten();
    let form = match restore_boundary {
        Some(boundary) => {
            match command::restore_upload::read(request.into_body(), boundary, MAX_PACKAGE_BYTES)
                .await
            {
                Ok(form) => form,
                Err(refusal) => return refusal,
            }
        }
        None => {
            let body = match Bytes::from_request(request, &api).await {
                Ok(body) => body,
                Err(rejection) => return rejection.into_response(),
            };
            match form::parse(&headers, body).await {
                Ok(f) => f,
                Err(message) => return response::bad_request(message),
            }
        }
    };
    let answer = match group.as_str() {
        "participant" => command::participant::run(&api.live, &command, &form),
        "conference" => command::conference::run(&api.live, &command, &form),
        "platform" => {
            // Backups derive keys with Argon2 (tens of milliseconds): off the async threads.
            let live = api.live.clone();
            tokio::task::spawn_blocking(move || command::platform::run(&live, &command, &form))
                .await
                .unwrap_or_else(|_| Some(response::server_error()))
        }
        _ => None,
    };
    answer.unwrap_or_else(response::not_found)
}

fn config_schema_of(
    resource: &'static str,
) -> impl Fn(State<Api>) -> std::future::Ready<Response> + Clone + Send + 'static {
    move |State(api): State<Api>| {
        std::future::ready(match api.catalogue.get(resource) {
            Some(r) => lists::schema(&r.schema),
            None => response::not_found(),
        })
    }
}

async fn backup_list(State(api): State<Api>, RawQuery(q): RawQuery) -> Response {
    let Some(resource) = api.catalogue.get("system_backup") else {
        return response::not_found();
    };
    let objects: Vec<Value> = api
        .live
        .with_backups(|b| b.items.iter().map(|x| x.json()).collect());
    lists::serve_plain(q.as_deref(), &resource.schema, SYSTEM_BACKUP, &objects)
}

async fn backup_download(State(api): State<Api>, Path(filename): Path<String>) -> Response {
    match api
        .live
        .with_backups(|b| b.get(&filename).map(|x| x.bytes.clone()))
    {
        Some(bytes) => {
            let disposition = format!("attachment; filename=\"{filename}\"");
            let mut r = (StatusCode::OK, bytes).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/octet-stream"),
            );
            if let Ok(v) = header::HeaderValue::from_str(&disposition) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        None => response::not_found(),
    }
}

async fn backup_delete(State(api): State<Api>, Path(filename): Path<String>) -> Response {
    if api.live.with_backups(|b| b.remove(&filename)) {
        response::empty(StatusCode::NO_CONTENT)
    } else {
        response::not_found()
    }
}

fn rendered(api: &Api, resource: &str, base: &str) -> Vec<Value> {
    api.live.read_store(|s| {
        s.objects(resource)
            .map(|o| licence::render(o, base))
            .collect()
    })
}

async fn licence_list(State(api): State<Api>, RawQuery(q): RawQuery) -> Response {
    let Some(resource) = api.catalogue.get("licence") else {
        return response::not_found();
    };
    lists::serve_plain(
        q.as_deref(),
        &resource.schema,
        LICENCE,
        &rendered(&api, "licence", LICENCE),
    )
}

async fn licence_detail(State(api): State<Api>, Path(id): Path<String>) -> Response {
    lists::detail(&rendered(&api, "licence", LICENCE), "fulfillment_id", &id)
}

fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "True" | "1"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// An empty answer with an absolute `Location` (as Django writes it) of `path`.
fn created(api: &Api, headers: &HeaderMap, status: StatusCode, path: &str) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let location = format!("{}://{host}{path}", api.scheme);
    let mut r = response::empty(status);
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn licence_create(State(api): State<Api>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return response::bad_request("The request body must be a JSON object."),
    };
    let offline = is_true(request.get("offline_mode"));
    let key = request.get("entitlement_id").and_then(Value::as_str);
    let made: Result<String, licence::LicenceError> =
        api.live.with_store_and_rng(|store, rng, now| {
            let key = licence::check_entitlement(store, key)?;
            Ok(if offline {
                format!(
                    "{LICENCE_REQUEST}{}/",
                    licence::request(store, rng, "activate", &key, now)
                )
            } else {
                format!(
                    "{LICENCE}{}/",
                    licence::activate(store, rng, &key, false, now)
                )
            })
        });
    let location = match made {
        Ok(l) => l,
        Err(e) => return command::form_error("licence", "entitlement_id", e.message()),
    };
    let status = if offline {
        StatusCode::ACCEPTED
    } else {
        StatusCode::CREATED
    };
    created(&api, &headers, status, &location)
}

async fn licence_delete(
    State(api): State<Api>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let offline = q.as_deref().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes())
            .any(|(k, v)| k == "offline_mode" && matches!(v.as_ref(), "true" | "True" | "1"))
    });
    let live = &api.live;
    let exists = live.read_store(|s| s.get("licence", &ObjectId::parse(&id)).is_some());
    if !exists {
        return response::not_found();
    }
    if !offline {
        live.change_store(|s| s.remove("licence", &ObjectId::parse(&id)));
        return response::empty(StatusCode::NO_CONTENT);
    }
    let seq = live.with_store_and_rng(|s, rng, now| licence::request(s, rng, "return", &id, now));
    created(
        &api,
        &headers,
        StatusCode::ACCEPTED,
        &format!("{LICENCE_REQUEST}{seq}/"),
    )
}

async fn request_list(State(api): State<Api>, RawQuery(q): RawQuery) -> Response {
    let Some(resource) = api.catalogue.get("licence_request") else {
        return response::not_found();
    };
    lists::serve_plain(
        q.as_deref(),
        &resource.schema,
        LICENCE_REQUEST,
        &rendered(&api, "licence_request", LICENCE_REQUEST),
    )
}

async fn request_detail(State(api): State<Api>, Path(id): Path<String>) -> Response {
    lists::detail(
        &rendered(&api, "licence_request", LICENCE_REQUEST),
        "sequence_number",
        &id,
    )
}

async fn request_complete(
    State(api): State<Api>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match form::parse(&headers, body).await {
        Ok(f) => f,
        Err(message) => return response::bad_request(message),
    };
    let response_doc = form
        .fields
        .get("response")
        .cloned()
        .or_else(|| {
            form.files
                .get("response")
                .map(|b| String::from_utf8_lossy(b).into_owned())
        })
        .unwrap_or_default();
    let live = &api.live;
    if !live.read_store(|s| s.get("licence_request", &ObjectId::parse(&id)).is_some()) {
        return response::not_found();
    }
    let done =
        live.with_store_and_rng(|s, rng, now| licence::complete(s, rng, &id, &response_doc, now));
    match done {
        Ok(()) => response::empty(StatusCode::ACCEPTED),
        Err(message) => command::form_error("licence_request", "response", message),
    }
}

async fn request_delete(State(api): State<Api>, Path(id): Path<String>) -> Response {
    if api
        .live
        .change_store(|s| s.remove("licence_request", &ObjectId::parse(&id)).is_some())
    {
        response::empty(StatusCode::NO_CONTENT)
    } else {
        response::not_found()
    }
}
