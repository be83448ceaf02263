//! The gate in front of everything under `/api/`: who may call, and what a server function's
//! arguments must look like, decided before any handler reads them.
//!
//! 1. **Session first.** Every path under `/api/` except the public server functions (sign-in,
//!    sign-out, who is signed in, the sign-in options) needs a signed-in session. Without one the
//!    answer is `401` with `"NotSignedIn"` (the server functions' JSON error shape) and the body is
//!    never read. The principal read here travels on in the request's extensions, so the server
//!    function does not read the session again (`app::api::context::actor`).
//! 2. **Then the body of a server function**: its type (`415` unless it is the encoding the
//!    function takes, `application/json` for `input = Json`, `application/x-www-form-urlencoded`
//!    otherwise, in UTF-8 and without a `Content-Encoding`; no `Content-Type` only for an empty
//!    body), its size (`413` over `server.body_limit_bytes`, announced or streamed) and its
//!    arguments (`400`, naming the argument: not UTF-8, not JSON, not an object, an unknown or
//!    repeated argument, a missing one, a value of the wrong type or out of range). JSON arguments
//!    are decoded here the way server_fn decodes them (serde_json into the function's argument
//!    struct) but with the path of the value at fault (`query.limit`); form arguments are checked
//!    against the kinds of the struct's fields (read from its `Deserialize` impl, see [`probe`]).
//! 3. **Plain routes** under `/api/` (backup files, the rooms export) answer their own errors; a
//!    `text/plain` 4xx of theirs (axum's extractor rejections) is re-sent in the JSON shape.
//!
//! A refusal writes one WARN line (endpoint, status, reason with quoted values elided), never the
//! body. Anything that still fails to decode in server_fn is turned into a 400 by
//! `AppError::from_server_fn_error`.
//!
//! Which server functions exist comes from server_fn's registry; how each takes its input comes
//! from [`described`], one line per argument struct (the type checks the path, encoding and
//! argument names). A registered function without a line there still needs a session, is logged
//! at start-up, and is listed by `server --list-endpoints`, which the malformed-input test reads
//! and fails on (`server/tests/portal/malformed_input.rs`).

use app::api::{
    AppError, audit, auth, backups, config as config_api, forms, history, licence_offline,
    licences, live, room_choices, room_join, rooms, rooms_bulk, status, usage, users,
};
use app::api::{devices, devices_bulk, template_sync};
use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header},
    middleware::Next,
    response::Response,
};
use bff::portal::Portal;
use leptos::server_fn::{ContentType, Http, ServerFn};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use tower::{Layer, Service};
use tower_sessions::Session;

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
/// The header server_fn puts on its error answers (the function's path).
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// The longest message sent back (serde quotes the offending value, which may be long).
const MAX_MESSAGE_CHARS: usize = 400;
/// The longest reason written to the log.
const MAX_LOG_CHARS: usize = 240;
/// The largest plain-text rejection body re-sent as JSON.
const MAX_REJECTION_BYTES: usize = 16 * 1024;

/// The middleware's state: the portal (for the session check), the server functions' inputs and
/// the body limit.
#[derive(Clone)]
pub struct Guard {
    inner: Arc<Inner>,
}

struct Inner {
    portal: Portal,
    endpoints: HashMap<&'static str, Endpoint>,
    /// Every registered server function's path, described or not.
    registered: HashSet<&'static str>,
    body_limit: usize,
}

impl Guard {
    pub fn new(portal: Portal, body_limit: usize) -> Guard {
        let endpoints: HashMap<_, _> = described().into_iter().map(|e| (e.path, e)).collect();
        let registered: HashSet<_> = registered().into_iter().map(|(path, _)| path).collect();
        for path in &registered {
            if !endpoints.contains_key(path) {
                tracing::warn!(
                    endpoint = path,
                    "a server function has no line in api_guard::described: it needs a session, \
                     but its arguments are left to server_fn"
                );
            }
        }
        Guard {
            inner: Arc::new(Inner {
                portal,
                endpoints,
                registered,
                body_limit,
            }),
        }
    }
}

/// How one server function takes its input.
struct Endpoint {
    path: &'static str,
    /// Callable without a session.
    public: bool,
    /// The body's content type.
    input: &'static str,
    args: Vec<Arg>,
    /// Decodes a JSON body into the argument struct (the types' own checks, with paths).
    decode_json: fn(&[u8]) -> Result<(), Refusal>,
}

struct Arg {
    name: &'static str,
    /// `string`, `u64`, `bool`, `option<string>`, `map`, `struct`, `enum`, `any`, ...
    kind: String,
}

/// The server functions, by their argument structs (generated by `#[server]`, named after the
/// function in PascalCase). A new server function needs its line here; `server --list-endpoints`
/// and the malformed-input test name any that is missing.
fn described() -> Vec<Endpoint> {
    vec![
        // Public: the login page needs them.
        public::<auth::Me>(),
        public::<auth::SignInOptions>(),
        public::<auth::Login>(),
        public::<auth::Logout>(),
        signed_in::<audit::ListAudit>(),
        signed_in::<backups::ListBackups>(),
        signed_in::<backups::CreateBackup>(),
        signed_in::<backups::DeleteBackup>(),
        signed_in::<config_api::ConfigResources>(),
        signed_in::<config_api::ConfigList>(),
        signed_in::<config_api::ConfigGet>(),
        signed_in::<config_api::ConfigCreate>(),
        signed_in::<config_api::ConfigUpdate>(),
        signed_in::<config_api::ConfigDelete>(),
        signed_in::<app::api::uploads::UploadLimits>(),
        signed_in::<forms::FormSchema>(),
        signed_in::<forms::RelatedOptions>(),
        signed_in::<history::ListHistory>(),
        signed_in::<history::LoadEndedConference>(),
        signed_in::<licences::LoadLicences>(),
        signed_in::<licences::AddLicence>(),
        signed_in::<licences::RemoveLicence>(),
        signed_in::<licence_offline::LoadLicenceRequests>(),
        signed_in::<licence_offline::RequestOfflineActivation>(),
        signed_in::<licence_offline::RequestOfflineReturn>(),
        signed_in::<licence_offline::CompleteOfflineRequest>(),
        signed_in::<live::LoadLive>(),
        signed_in::<live::ParticipantMedia>(),
        signed_in::<live::CallControl>(),
        signed_in::<live::DialOut>(),
        signed_in::<room_choices::LoadRoomChoices>(),
        signed_in::<room_join::RoomCards>(),
        signed_in::<room_join::SendRoomEmail>(),
        signed_in::<rooms::ListRooms>(),
        signed_in::<rooms::GetRoom>(),
        signed_in::<rooms::CreateRoom>(),
        signed_in::<rooms::UpdateRoom>(),
        signed_in::<rooms::ChangeRoomPins>(),
        signed_in::<rooms::DeleteRoom>(),
        signed_in::<rooms::RoomParticipants>(),
        signed_in::<rooms::AddRoomParticipant>(),
        signed_in::<rooms::RemoveRoomParticipant>(),
        signed_in::<rooms_bulk::PreviewRoomsImport>(),
        signed_in::<devices::ListDevices>(),
        signed_in::<devices::GetDevice>(),
        signed_in::<devices::CreateDevice>(),
        signed_in::<devices::UpdateDevice>(),
        signed_in::<devices::DeleteDevice>(),
        signed_in::<devices_bulk::PreviewDevicesImport>(),
        signed_in::<template_sync::StartTemplateSync>(),
        signed_in::<template_sync::TemplateSyncStatus>(),
        signed_in::<status::StartCloudNode>(),
        signed_in::<status::RegisterEventSink>(),
        signed_in::<usage::LoadUsageReport>(),
        signed_in::<users::ListAccounts>(),
        signed_in::<users::CreateAccount>(),
        signed_in::<users::SetAccountDisabled>(),
        signed_in::<users::EndAccountSessions>(),
        signed_in::<users::DeleteAccount>(),
        signed_in::<users::ListTenants>(),
        signed_in::<users::CreateTenant>(),
        signed_in::<users::DeleteTenant>(),
    ]
}

fn public<T: ServerFn + DeserializeOwned>() -> Endpoint
where
    T::Protocol: InputEncoding,
{
    Endpoint {
        public: true,
        ..signed_in::<T>()
    }
}

fn signed_in<T: ServerFn + DeserializeOwned>() -> Endpoint
where
    T::Protocol: InputEncoding,
{
    Endpoint {
        path: T::PATH,
        public: false,
        input: <T::Protocol as InputEncoding>::CONTENT_TYPE,
        args: probe::args::<T>()
            .into_iter()
            .map(|(name, kind)| Arg { name, kind })
            .collect(),
        decode_json: decode_json::<T>,
    }
}

/// The content type of a server function's input encoding (`Http<Input, Output>`).
trait InputEncoding {
    const CONTENT_TYPE: &'static str;
}

impl<I: ContentType, O> InputEncoding for Http<I, O> {
    const CONTENT_TYPE: &'static str = I::CONTENT_TYPE;
}

/// The registered server functions (path, method), sorted.
fn registered() -> Vec<(&'static str, Method)> {
    let mut paths: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    paths.sort_by_key(|(path, _)| *path);
    paths
}

/// `server --list-endpoints`: every registered server function with what it takes, as JSON
/// (`{"endpoints": [...], "undescribed": [...], "unregistered": [...]}`).
pub fn listing() -> String {
    let described: HashMap<_, _> = described().into_iter().map(|e| (e.path, e)).collect();
    let registered = registered();
    let endpoints: Vec<serde_json::Value> = registered
        .iter()
        .filter_map(|(path, method)| {
            let endpoint = described.get(path)?;
            Some(serde_json::json!({
                "path": path,
                "method": method.as_str(),
                "input": endpoint.input,
                "public": endpoint.public,
                "args": endpoint.args.iter().map(|arg| serde_json::json!({
                    "name": arg.name,
                    "kind": arg.kind,
                })).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let undescribed: Vec<&str> = registered
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| !described.contains_key(path))
        .collect();
    let known: HashSet<&str> = registered.iter().map(|(path, _)| *path).collect();
    let mut unregistered: Vec<&str> = described
        .keys()
        .copied()
        .filter(|path| !known.contains(path))
        .collect();
    unregistered.sort_unstable();
    serde_json::json!({
        "endpoints": endpoints,
        "undescribed": undescribed,
        "unregistered": unregistered,
    })
    .to_string()
}

/// The middleware (see the module documentation).
pub async fn check(State(guard): State<Guard>, mut request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let guard = &guard.inner;
    let endpoint = guard.endpoints.get(path.as_str());
    let registered = guard.registered.contains(path.as_str());
    if !endpoint.is_some_and(|e| e.public) {
        let session = request.extensions().get::<Session>().cloned();
        match principal(&guard.portal, session, &path).await {
            Ok(principal) => {
                request.extensions_mut().insert(principal);
            }
            Err(Unread::Refused(error)) => return error_response(&path, registered, error),
            Err(Unread::DatabaseUnavailable) => {
                let mut response = database_unavailable();
                if registered && let Ok(value) = HeaderValue::from_str(&path) {
                    response.headers_mut().insert(SERVER_FN_ERROR_HEADER, value);
                }
                return response;
            }
        }
    }
    if let Some(query) = request.uri().query()
        && let Err(refusal) = check_query(query)
    {
        return refusal.respond(&path, registered);
    }
    let Some(endpoint) = endpoint else {
        let response = next.run(request).await;
        return if registered {
            response
        } else {
            plain_rejection_as_json(&path, response).await
        };
    };
    if request.method() != Method::POST {
        // The router answers 405.
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let body = match read_arguments(endpoint, &parts.headers, body, guard.body_limit).await {
        Ok(body) => body,
        Err(refusal) => return refusal.respond(&path, true),
    };
    // server_fn reads the body through axum's default limit (2 MiB) unless told otherwise; the
    // body is in memory and within `server.body_limit_bytes` already.
    let mut service = DefaultBodyLimit::max(guard.body_limit).layer(next);
    let request = Request::from_parts(parts, Body::from(body));
    match std::future::poll_fn(|cx| service.poll_ready(cx)).await {
        Ok(()) => match service.call(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        Err(never) => match never {},
    }
}

/// Why the signed-in person could not be told.
enum Unread {
    /// Not signed in, or the session is broken: answered with this error.
    Refused(AppError),
    /// The session store or the accounts database could not be reached: `503`.
    DatabaseUnavailable,
}

/// The signed-in person (cached for a few seconds, see `bff::principal_cache`), or why not.
async fn principal(
    portal: &Portal,
    session: Option<Session>,
    path: &str,
) -> Result<bff::accounts::Principal, Unread> {
    let Some(session) = session else {
        tracing::error!("no session layer in front of the API guard");
        return Err(Unread::Refused(AppError::Internal(
            "your session could not be read; sign in again".into(),
        )));
    };
    match bff::sessions::current_principal_cached(&session, &portal.db, &portal.sessions).await {
        Ok(Some(principal)) => Ok(principal),
        Ok(None) => {
            tracing::debug!(endpoint = path, "refused an API call without a session");
            Err(Unread::Refused(AppError::NotSignedIn))
        }
        Err(error) if error.is_unavailable() => {
            tracing::warn!(
                endpoint = path,
                %error,
                "cannot read the session: the database is unavailable"
            );
            Err(Unread::DatabaseUnavailable)
        }
        Err(error) => {
            tracing::error!(%error, "cannot read the session");
            Err(Unread::Refused(AppError::Internal(
                "your session could not be read; sign in again".into(),
            )))
        }
    }
}

/// `503` with `{"Unavailable":"database unavailable, try again"}` and `Retry-After: 1`: the
/// session store or the accounts database could not be reached (restarting, a connection cut).
pub fn database_unavailable() -> Response {
    let mut response = crate::signed_in::error_response(AppError::Unavailable(
        bff::sessions::DATABASE_UNAVAILABLE.into(),
    ));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// An error in the JSON shape of the server functions, with its status (and server_fn's error
/// header on a server function's path).
fn error_response(path: &str, server_fn: bool, error: AppError) -> Response {
    let mut response = crate::signed_in::error_response(error);
    if server_fn && let Ok(value) = HeaderValue::from_str(path) {
        response.headers_mut().insert(SERVER_FN_ERROR_HEADER, value);
    }
    response
}

/// Why a request's arguments are refused: the status, the reason, the argument at fault.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    reason: String,
    field: Option<String>,
}

impl Refusal {
    fn bad(reason: impl Into<String>) -> Refusal {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            reason: reason.into(),
            field: None,
        }
    }

    fn on(field: impl Into<String>, reason: impl Into<String>) -> Refusal {
        Refusal {
            field: Some(field.into()),
            ..Refusal::bad(reason)
        }
    }

    fn with_status(status: StatusCode, reason: impl Into<String>) -> Refusal {
        Refusal {
            status,
            ..Refusal::bad(reason)
        }
    }

    /// The answer (on a server function's path when `server_fn`), logged once at WARN.
    fn respond(self, path: &str, server_fn: bool) -> Response {
        let reason = shorten(&self.reason, MAX_MESSAGE_CHARS);
        tracing::warn!(
            endpoint = path,
            status = self.status.as_u16(),
            reason = %for_log(&reason),
            "refused an API request: invalid input"
        );
        // The field's own message does without the field's name in front.
        let fields = self
            .field
            .map(|field| {
                let own = reason
                    .strip_prefix(&format!("`{field}`: "))
                    .unwrap_or(&reason)
                    .to_string();
                (shorten(&field, 120), vec![own])
            })
            .into_iter()
            .collect();
        let error = AppError::Invalid {
            message: format!("invalid request: {reason}"),
            fields,
        };
        let mut response = error_response(path, server_fn, error);
        *response.status_mut() = self.status;
        response
    }
}

/// Reads and checks a server function's body; returns it for the function.
async fn read_arguments(
    endpoint: &Endpoint,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, Refusal> {
    let declared = content_type(headers, endpoint.input)?;
    if let Some(length) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && length > limit as u64
    {
        return Err(too_large(limit));
    }
    let bytes = read_limited(body, limit).await?;
    if !declared && !bytes.is_empty() {
        return Err(Refusal::with_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "the body has no Content-Type: this endpoint takes `{}`",
                endpoint.input
            ),
        ));
    }
    let text = std::str::from_utf8(&bytes).map_err(|error| {
        Refusal::bad(format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            error.valid_up_to()
        ))
    })?;
    match endpoint.input {
        JSON => check_json(endpoint, text)?,
        FORM => check_form(endpoint, text)?,
        _ => {}
    }
    Ok(bytes)
}

fn too_large(limit: usize) -> Refusal {
    Refusal::with_status(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is larger than {limit} bytes"),
    )
}

/// Checks the body's headers against what the endpoint takes; whether a Content-Type was given.
fn content_type(headers: &HeaderMap, takes: &str) -> Result<bool, Refusal> {
    let unsupported =
        |reason: String| Refusal::with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE, reason);
    if let Some(coding) = headers.get(header::CONTENT_ENCODING) {
        let coding = coding.to_str().unwrap_or("?").trim();
        if !coding.eq_ignore_ascii_case("identity") {
            return Err(unsupported(format!(
                "bodies with Content-Encoding `{}` are not accepted",
                shorten(coding, 40)
            )));
        }
    }
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(false);
    };
    let Ok(value) = value.to_str() else {
        return Err(unsupported(format!(
            "the Content-Type is not readable: this endpoint takes `{takes}`"
        )));
    };
    let mut params = value.split(';');
    let media = params.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case(takes) {
        return Err(unsupported(format!(
            "this endpoint takes `{takes}`, not `{}`",
            shorten(media, 80)
        )));
    }
    for param in params {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        if name.trim().eq_ignore_ascii_case("charset")
            && !value.eq_ignore_ascii_case("utf-8")
            && !value.eq_ignore_ascii_case("utf8")
        {
            return Err(unsupported(format!(
                "only UTF-8 is accepted, not charset `{}`",
                shorten(value, 40)
            )));
        }
    }
    Ok(true)
}

/// The whole body, refused once it passes `limit` bytes.
async fn read_limited(mut body: Body, limit: usize) -> Result<Bytes, Refusal> {
    let mut collected: Vec<u8> = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => return Ok(Bytes::from(collected)),
            Some(Err(error)) => {
                return Err(Refusal::bad(format!("the body could not be read: {error}")));
            }
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    if collected.len() + data.len() > limit {
                        return Err(too_large(limit));
                    }
                    collected.extend_from_slice(&data);
                }
            }
        }
    }
}

/// The names the endpoint takes, for messages.
fn takes(endpoint: &Endpoint) -> String {
    if endpoint.args.is_empty() {
        "this endpoint takes no arguments".into()
    } else {
        let names: Vec<String> = endpoint
            .args
            .iter()
            .map(|a| format!("`{}`", a.name))
            .collect();
        format!("this endpoint takes {}", names.join(", "))
    }
}

fn unknown_argument(endpoint: &Endpoint, name: &str) -> Refusal {
    let name = shorten(name, 60);
    Refusal::on(
        name.clone(),
        format!("unknown argument `{name}` ({})", takes(endpoint)),
    )
}

/// JSON arguments: an object whose keys are the arguments, each once, then the argument struct
/// decoded as server_fn decodes it.
fn check_json(endpoint: &Endpoint, text: &str) -> Result<(), Refusal> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let keys: TopLevelKeys =
        serde_path_to_error::deserialize(&mut deserializer).map_err(json_refusal)?;
    deserializer
        .end()
        .map_err(|error| json_refusal_at(None, &error))?;
    let mut seen = HashSet::new();
    for key in &keys.0 {
        if !endpoint.args.iter().any(|a| a.name == key) {
            return Err(unknown_argument(endpoint, key));
        }
        if !seen.insert(key.as_str()) {
            return Err(Refusal::on(key, format!("argument `{key}` is given twice")));
        }
    }
    (endpoint.decode_json)(text.as_bytes())
}

fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<(), Refusal> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer).map_err(json_refusal)?;
    deserializer
        .end()
        .map_err(|error| json_refusal_at(None, &error))
}

/// A JSON decoding error as a refusal naming the value at fault.
fn json_refusal(error: serde_path_to_error::Error<serde_json::Error>) -> Refusal {
    let path = error.path();
    let path = path.iter().next().is_some().then(|| path.to_string());
    json_refusal_at(path, &error.into_inner())
}

/// A JSON decoding error at `path` (`None`: the body itself).
fn json_refusal_at(path: Option<String>, inner: &serde_json::Error) -> Refusal {
    let reason = without_position(&inner.to_string());
    if inner.is_syntax() || inner.is_eof() {
        let place = match &path {
            Some(path) => format!(" in `{path}`"),
            None => String::new(),
        };
        return Refusal {
            field: path,
            ..Refusal::bad(format!(
                "the body is not valid JSON: {reason}{place} (line {}, column {})",
                inner.line(),
                inner.column()
            ))
        };
    }
    match (path, missing_field(&reason)) {
        (None, Some(name)) => Refusal::on(name, format!("missing argument `{name}`")),
        (Some(path), Some(name)) => {
            let field = format!("{path}.{name}");
            Refusal::on(field.clone(), format!("missing field `{field}`"))
        }
        // The body itself has the wrong shape (not an object).
        (None, None) => Refusal::bad(format!(
            "the body must be a JSON object of the arguments: {reason}"
        )),
        (Some(path), None) => Refusal::on(path.clone(), format!("`{path}`: {reason}")),
    }
}

/// serde_json's message without its " at line L column C".
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_string(),
        _ => message.to_string(),
    }
}

/// The name in serde's "missing field `name`".
fn missing_field(reason: &str) -> Option<&str> {
    reason.strip_prefix("missing field `")?.strip_suffix('`')
}

/// The keys of a JSON object, in order, duplicates kept; values skipped.
struct TopLevelKeys(Vec<String>);

impl<'de> de::Deserialize<'de> for TopLevelKeys {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(KeysVisitor)
    }
}

struct KeysVisitor;

impl<'de> Visitor<'de> for KeysVisitor {
    type Value = TopLevelKeys;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("an object of the arguments")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevelKeys, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            keys.push(key);
        }
        Ok(TopLevelKeys(keys))
    }
}

/// Form arguments (`name=value&...`, as serde_qs reads them for server_fn): well-formed
/// percent-encoding, known names, each once, values that parse as their argument's kind, and no
/// required argument missing. Arguments of kinds a form cannot carry plainly (structs, maps,
/// lists) are left to serde_qs.
fn check_form(endpoint: &Endpoint, text: &str) -> Result<(), Refusal> {
    let mut seen: HashSet<String> = HashSet::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(raw_key)
            .ok_or_else(|| Refusal::bad("a form field name is not properly percent-encoded"))?;
        let name = key.split('[').next().unwrap_or_default().to_string();
        let Some(arg) = endpoint.args.iter().find(|a| a.name == name) else {
            return Err(unknown_argument(endpoint, &name));
        };
        let value = percent_decode(raw_value).ok_or_else(|| {
            Refusal::on(
                &name,
                format!("the value of `{name}` is not properly percent-encoded"),
            )
        })?;
        let scalar = scalar_kind(&arg.kind);
        if scalar.is_none() {
            continue;
        }
        if key.len() != name.len() {
            return Err(Refusal::on(
                &name,
                format!("`{name}` takes a single value, not a list or a map"),
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(Refusal::on(
                &name,
                format!("argument `{name}` is given twice"),
            ));
        }
        let optional = arg.kind.starts_with("option<");
        if optional && value.is_empty() {
            continue;
        }
        if let Some(kind) = scalar
            && let Err(problem) = parse_scalar(kind, &value)
        {
            return Err(Refusal::on(
                &name,
                format!("`{name}`: {problem} (expected {})", describe_kind(kind)),
            ));
        }
    }
    for arg in &endpoint.args {
        let required = !arg.kind.starts_with("option<") && scalar_kind(&arg.kind).is_some();
        if required && !seen.contains(arg.name) {
            return Err(Refusal::on(
                arg.name,
                format!("missing argument `{}`", arg.name),
            ));
        }
    }
    Ok(())
}

/// The scalar kind a form value carries for an argument of `kind` (`option<u64>` → `u64`), or
/// `None` when it is not a plain value.
fn scalar_kind(kind: &str) -> Option<&str> {
    let inner = kind
        .strip_prefix("option<")
        .and_then(|k| k.strip_suffix('>'))
        .unwrap_or(kind);
    matches!(
        inner,
        "string"
            | "char"
            | "bool"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "f32"
            | "f64"
    )
    .then_some(inner)
}

fn parse_scalar(kind: &str, value: &str) -> Result<(), String> {
    fn check<T: std::str::FromStr>(value: &str) -> Result<(), String>
    where
        T::Err: std::fmt::Display,
    {
        value.parse::<T>().map(drop).map_err(|e| {
            if value.is_empty() {
                "no value".to_string()
            } else {
                e.to_string()
            }
        })
    }
    match kind {
        "bool" => check::<bool>(value),
        "char" => check::<char>(value),
        "u8" => check::<u8>(value),
        "u16" => check::<u16>(value),
        "u32" => check::<u32>(value),
        "u64" => check::<u64>(value),
        "u128" => check::<u128>(value),
        "i8" => check::<i8>(value),
        "i16" => check::<i16>(value),
        "i32" => check::<i32>(value),
        "i64" => check::<i64>(value),
        "i128" => check::<i128>(value),
        "f32" => check::<f32>(value),
        "f64" => check::<f64>(value),
        _ => Ok(()),
    }
}

fn describe_kind(kind: &str) -> String {
    match kind {
        "bool" => "`true` or `false`".into(),
        "char" => "one character".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "i8" | "i16" | "i32" | "i64" | "i128" => {
            format!("an {kind} integer")
        }
        "f32" | "f64" => "a number".into(),
        other => format!("a {other}"),
    }
}

/// A query string must be well-formed: every name and value properly percent-encoded UTF-8 (the
/// routes' own decoders would otherwise replace what they cannot read and go on).
fn check_query(query: &str) -> Result<(), Refusal> {
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(key) = percent_decode(key) else {
            return Err(Refusal::bad(
                "a query parameter's name is not properly percent-encoded UTF-8",
            ));
        };
        if percent_decode(value).is_none() {
            let key = shorten(&key, 60);
            return Err(Refusal::on(
                key.clone(),
                format!("the query parameter `{key}` is not properly percent-encoded UTF-8"),
            ));
        }
    }
    Ok(())
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; the result must
/// be UTF-8. `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A plain-text 4xx from a route under `/api/` (axum's rejections of a path, query or multipart
/// body) re-sent as `{"Invalid": {...}}` with the same status.
async fn plain_rejection_as_json(path: &str, response: Response) -> Response {
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !response.status().is_client_error() || !is_text {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, MAX_REJECTION_BYTES).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let message = if text.is_empty() {
        parts
            .status
            .canonical_reason()
            .unwrap_or("invalid request")
            .to_string()
    } else {
        shorten(&text, MAX_MESSAGE_CHARS)
    };
    tracing::warn!(
        endpoint = path,
        status = parts.status.as_u16(),
        reason = %for_log(&message),
        "refused an API request: invalid input"
    );
    let error = AppError::Invalid {
        message,
        fields: BTreeMap::new(),
    };
    let body = serde_json::to_vec(&error).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    Response::from_parts(parts, Body::from(body))
}

/// `text` cut to at most `max` characters (`…` marks the cut).
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A reason fit for the log: quoted values (`"..."`, which serde copies from the input) elided,
/// control characters dropped, and short.
fn for_log(reason: &str) -> String {
    shorten(&app::api::error::elide_quoted(reason), MAX_LOG_CHARS)
}

/// What a server function's argument struct is made of, read from its `Deserialize` impl: the
/// field names serde_derive passes to `deserialize_struct`, and for each field the
/// `deserialize_*` method its type calls (`u64`, `string`, `option<string>`, `map`, `struct`,
/// ...). Nothing is decoded: every probe stops with an error once it has seen what it needs.
mod probe {
    use serde::de::{
        self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor,
    };
    use std::fmt;

    #[derive(Debug)]
    pub struct Stop;

    impl fmt::Display for Stop {
        fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("probe")
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    /// The fields of `T` (a struct) with their kinds, in declaration order.
    pub fn args<T: DeserializeOwned>() -> Vec<(&'static str, String)> {
        let mut names: &'static [&'static str] = &[];
        let _ = T::deserialize(Names(&mut names));
        names
            .iter()
            .map(|&name| {
                let mut kind = Vec::new();
                let _ = T::deserialize(OneField {
                    name,
                    kind: &mut kind,
                });
                (name, render(&kind))
            })
            .collect()
    }

    fn render(kind: &[&str]) -> String {
        match kind {
            ["option", rest @ ..] => format!("option<{}>", render(rest)),
            [one, ..] => (*one).to_string(),
            [] => "any".into(),
        }
    }

    /// Records the field names of a struct.
    struct Names<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for Names<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    /// A struct with one field, `name`, whose value records its kind.
    struct OneField<'a> {
        name: &'static str,
        kind: &'a mut Vec<&'static str>,
    }

    impl<'de> de::Deserializer<'de> for OneField<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Stop> {
            visitor.visit_map(OneEntry {
                name: Some(self.name),
                kind: self.kind,
            })
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    struct OneEntry<'a> {
        name: Option<&'static str>,
        kind: &'a mut Vec<&'static str>,
    }

    impl<'de> MapAccess<'de> for OneEntry<'_> {
        type Error = Stop;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Stop> {
            match self.name.take() {
                Some(name) => seed
                    .deserialize(IntoDeserializer::<'de, Stop>::into_deserializer(name))
                    .map(Some),
                None => Ok(None),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
            seed.deserialize(Kind(&mut *self.kind))
        }
    }

    /// Records which `deserialize_*` method a type calls.
    struct Kind<'a>(&'a mut Vec<&'static str>);

    macro_rules! record {
        ($($method:ident => $kind:literal),* $(,)?) => {
            $(
                fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
                    self.0.push($kind);
                    Err(Stop)
                }
            )*
        };
    }

    impl<'de> de::Deserializer<'de> for Kind<'_> {
        type Error = Stop;

        record! {
            deserialize_any => "any",
            deserialize_bool => "bool",
            deserialize_i8 => "i8",
            deserialize_i16 => "i16",
            deserialize_i32 => "i32",
            deserialize_i64 => "i64",
            deserialize_i128 => "i128",
            deserialize_u8 => "u8",
            deserialize_u16 => "u16",
            deserialize_u32 => "u32",
            deserialize_u64 => "u64",
            deserialize_u128 => "u128",
            deserialize_f32 => "f32",
            deserialize_f64 => "f64",
            deserialize_char => "char",
            deserialize_str => "string",
            deserialize_string => "string",
            deserialize_bytes => "bytes",
            deserialize_byte_buf => "bytes",
            deserialize_unit => "unit",
            deserialize_seq => "seq",
            deserialize_map => "map",
            deserialize_identifier => "string",
            deserialize_ignored_any => "any",
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            self.0.push("option");
            visitor.visit_some(self)
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.push("unit");
            Err(Stop)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            visitor: V,
        ) -> Result<V::Value, Stop> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Stop> {
            self.0.push("seq");
            Err(Stop)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: usize,
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.push("seq");
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.push("struct");
            Err(Stop)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.push("enum");
            Err(Stop)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint<T: ServerFn + DeserializeOwned>() -> Endpoint
    where
        T::Protocol: InputEncoding,
    {
        signed_in::<T>()
    }

    #[test]
    fn argument_kinds_come_from_the_structs() {
        let list = endpoint::<rooms::ListRooms>();
        assert_eq!(list.input, JSON);
        assert_eq!(list.args.len(), 1);
        assert_eq!(
            (list.args[0].name, list.args[0].kind.as_str()),
            ("query", "struct")
        );
        let login = endpoint::<auth::Login>();
        assert_eq!(login.input, FORM);
        let kinds: Vec<(&str, &str)> = login
            .args
            .iter()
            .map(|a| (a.name, a.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("username", "string"),
                ("password", "string"),
                ("next", "option<string>")
            ]
        );
        let disabled = endpoint::<users::SetAccountDisabled>();
        let kinds: Vec<&str> = disabled.args.iter().map(|a| a.kind.as_str()).collect();
        assert_eq!(kinds, ["i64", "bool"]);
        let update = endpoint::<rooms::UpdateRoom>();
        let kinds: Vec<&str> = update.args.iter().map(|a| a.kind.as_str()).collect();
        assert_eq!(kinds, ["u64", "map"]);
        assert!(endpoint::<auth::Me>().args.is_empty());
    }

    #[test]
    fn every_registered_server_function_is_described() {
        let listing: serde_json::Value = serde_json::from_str(&listing()).unwrap();
        assert_eq!(listing["undescribed"], serde_json::json!([]), "{listing}");
        assert_eq!(listing["unregistered"], serde_json::json!([]), "{listing}");
    }

    fn refusal(result: Result<(), Refusal>) -> Refusal {
        result.expect_err("refused")
    }

    #[test]
    fn json_refusals_name_the_value() {
        let list = endpoint::<rooms::ListRooms>();
        let r = refusal(check_json(
            &list,
            r#"{"query": {"limit": "x", "offset": 0}}"#,
        ));
        assert_eq!(r.field.as_deref(), Some("query.limit"), "{r:?}");
        assert!(r.reason.contains("expected u"), "{r:?}");
        let r = refusal(check_json(&list, r#"{"query": {"offset": 0}}"#));
        assert_eq!(r.field.as_deref(), Some("query.limit"), "{r:?}");
        let r = refusal(check_json(&list, r#"{}"#));
        assert_eq!(r.reason, "missing argument `query`");
        let r = refusal(check_json(&list, r#"{"query": {}, "evil": 1}"#));
        assert_eq!(r.field.as_deref(), Some("evil"));
        let r = refusal(check_json(&list, r#"{"query": 1, "query": 2}"#));
        assert!(r.reason.contains("twice"), "{r:?}");
        let r = refusal(check_json(&list, r#""nonsense""#));
        assert!(r.reason.contains("JSON object"), "{r:?}");
        let r = refusal(check_json(&list, r#"{"query": "#));
        assert!(r.reason.contains("not valid JSON"), "{r:?}");
        let r = refusal(check_json(&list, r#"{"query": {}} x"#));
        assert!(r.reason.contains("not valid JSON"), "{r:?}");
        let get = endpoint::<rooms::GetRoom>();
        let r = refusal(check_json(&get, r#"{"id": 1e999}"#));
        assert_eq!(r.field.as_deref(), Some("id"), "{r:?}");
        let r = refusal(check_json(&get, r#"{"id": 99999999999999999999999}"#));
        assert_eq!(r.field.as_deref(), Some("id"), "{r:?}");
        let deep = format!("{{\"id\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
        let r = refusal(check_json(&get, &deep));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r:?}");
        assert!(check_json(&get, r#"{"id": 7}"#).is_ok());
    }

    #[test]
    fn form_refusals_name_the_argument() {
        let disabled = endpoint::<users::SetAccountDisabled>();
        assert!(check_form(&disabled, "id=3&disabled=true").is_ok());
        let r = refusal(check_form(&disabled, "id=x&disabled=true"));
        assert_eq!(r.field.as_deref(), Some("id"), "{r:?}");
        let r = refusal(check_form(&disabled, "id=3&disabled=maybe"));
        assert_eq!(r.field.as_deref(), Some("disabled"), "{r:?}");
        let r = refusal(check_form(&disabled, "id=3"));
        assert_eq!(r.reason, "missing argument `disabled`");
        let r = refusal(check_form(&disabled, "id=3&id=4&disabled=true"));
        assert!(r.reason.contains("twice"), "{r:?}");
        let r = refusal(check_form(&disabled, "id=3&disabled=true&evil=1"));
        assert_eq!(r.field.as_deref(), Some("evil"));
        let r = refusal(check_form(&disabled, "id[a]=3&disabled=true"));
        assert_eq!(r.field.as_deref(), Some("id"));
        let r = refusal(check_form(&disabled, "id=%zz&disabled=true"));
        assert_eq!(r.field.as_deref(), Some("id"));
        let r = refusal(check_form(
            &disabled,
            "id=99999999999999999999999&disabled=true",
        ));
        assert_eq!(r.field.as_deref(), Some("id"));
        let login = endpoint::<auth::Login>();
        assert!(check_form(&login, "username=a&password=b").is_ok());
        assert!(check_form(&login, "username=a+b&password=%C3%A9&next=").is_ok());
        let r = refusal(check_form(&login, "username=a&password=%ff"));
        assert_eq!(r.field.as_deref(), Some("password"));
    }

    #[test]
    fn query_strings_must_decode() {
        assert!(check_query("name=a+b&alias=%40x&type=").is_ok());
        assert!(check_query("a&&b=").is_ok());
        assert_eq!(
            refusal(check_query("alias=%zz")).field.as_deref(),
            Some("alias")
        );
        assert_eq!(
            refusal(check_query("name=%ff")).field.as_deref(),
            Some("name")
        );
        assert!(check_query("%ff=1").is_err());
    }

    #[test]
    fn content_types() {
        let mut headers = HeaderMap::new();
        assert!(!content_type(&headers, JSON).unwrap());
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=UTF-8"),
        );
        assert!(content_type(&headers, JSON).unwrap());
        let r = content_type(&headers, FORM).unwrap_err();
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=latin1"),
        );
        assert!(content_type(&headers, JSON).is_err());
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert!(content_type(&headers, JSON).is_err());
    }

    #[tokio::test]
    async fn an_unreachable_database_is_503_not_500() {
        let response = database_unavailable();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            serde_json::json!({"Unavailable": "database unavailable, try again"})
        );
    }

    #[test]
    fn log_reasons_hide_quoted_values() {
        assert_eq!(
            for_log(r#"`id`: invalid type: string "hunter2", expected u64"#),
            r#"`id`: invalid type: string "…", expected u64"#
        );
        assert_eq!(shorten("abcdef", 3), "abc…");
    }
}
