//! Backup files over plain HTTP (server functions do not carry files well), admins only:
//!
//! - `GET /api/backups/download/{filename}`: the file as an attachment, passed on from the
//!   Management Node as it arrives (never held whole);
//! - `POST /api/backups/restore`: a multipart form with `package` (the file) and `passphrase`.
//!   The file is written chunk by chunk to a temporary file under `<data_dir>/uploads/`, at most
//!   `backups.max_upload_bytes` of it (`413` as soon as it is more, or at once when the request
//!   announces more), then streamed from that file to the node. The temporary file is deleted
//!   when the request ends, however it ends (an upload cut short included); leftovers of a
//!   stopped server are deleted at start-up.
//!
//! Both authenticate the session here and go through the BFF gateway, which applies the policy
//! and writes the audit trail. Unsafe methods pass the CSRF check of every route first.

use crate::signed_in::{SignedIn, error_response};
use app::api::AppError;
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Extension, Multipart, Path, State, multipart::Field},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use bff::portal::Portal;
use serde::{Deserialize, Serialize};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncWriteExt, BufWriter};

/// The room the multipart framing around the file (boundaries, part headers, the passphrase)
/// may take beyond the file itself.
const FRAMING_BYTES: u64 = 64 * 1024;
/// The longest passphrase accepted.
const MAX_PASSPHRASE_BYTES: usize = 1024;
/// What is written to the temporary file at a time.
const WRITE_BUFFER_BYTES: usize = 256 * 1024;
/// The folder under the data dir holding uploads while they are received.
const UPLOADS_DIR: &str = "uploads";

/// `[backups]`: backup files sent through the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupsConfig {
    /// The largest backup file accepted for a restore, in bytes.
    pub max_upload_bytes: u64,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        Self {
            max_upload_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Where restore uploads are received, and how large they may be.
#[derive(Debug, Clone)]
pub struct Uploads {
    dir: Arc<PathBuf>,
    max_bytes: u64,
}

impl Uploads {
    /// The uploads folder under `data_dir`, created if missing and emptied of the files a
    /// stopped server left behind. A folder that cannot be prepared is logged; restores then
    /// fail with a clear message until it can.
    pub fn prepare(data_dir: &FsPath, config: &BackupsConfig) -> Uploads {
        let dir = data_dir.join(UPLOADS_DIR);
        match remove_leftovers(&dir) {
            Ok(0) => {}
            Ok(removed) => {
                tracing::info!(removed, dir = %dir.display(), "removed unfinished backup uploads")
            }
            Err(error) => {
                tracing::error!(%error, dir = %dir.display(), "cannot prepare the folder for backup uploads")
            }
        }
        Uploads {
            dir: Arc::new(dir),
            max_bytes: config.max_upload_bytes,
        }
    }

    /// The folder holding uploads being received.
    pub fn dir(&self) -> &FsPath {
        &self.dir
    }

    /// The same folder with another cap (the configuration browser's file uploads).
    pub fn with_max_bytes(&self, max_bytes: u64) -> Uploads {
        Uploads {
            dir: self.dir.clone(),
            max_bytes,
        }
    }

    /// The largest file accepted, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    fn too_large(&self) -> Response {
        let message = format!(
            "the file is larger than the {} a restore accepts",
            size_text(self.max_bytes)
        );
        tracing::info!(
            max_upload_bytes = self.max_bytes,
            "refused a backup upload: too large"
        );
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(invalid("package", &message)),
        )
            .into_response()
    }
}

/// Creates `dir` if needed and deletes the files in it; returns how many were deleted.
fn remove_leftovers(dir: &FsPath) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// `bytes` for people: whole MiB when it is a whole number of them, else bytes.
pub(crate) fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The routes, receiving restore uploads into `uploads`.
pub fn router(portal: Portal, uploads: Uploads) -> Router {
    // A backstop for the whole form; the file itself is counted while it is written.
    let limit =
        usize::try_from(uploads.max_bytes.saturating_add(FRAMING_BYTES)).unwrap_or(usize::MAX);
    let uploads = Router::new()
        .route("/api/backups/restore", post(restore))
        .layer(DefaultBodyLimit::max(limit))
        .layer(Extension(uploads));
    Router::new()
        .route("/api/backups/download/{filename}", get(download))
        .merge(uploads)
        .with_state(portal)
}

/// A backup's file name as the Management Node writes them: a letter or digit first, then
/// letters, digits, `.`, `_`, `-`; no `..`; at most 255 bytes. Anything else (paths, encoded
/// separators, control characters) is refused before it reaches a header or the node.
pub fn check_filename(name: &str) -> Result<&str, AppError> {
    let ok = !name.is_empty()
        && name.len() <= 255
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !name.contains("..");
    if ok {
        Ok(name)
    } else {
        Err(invalid("filename", "not a backup file name"))
    }
}

pub(crate) fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid {
        message: message.to_string(),
        fields: [(field.to_string(), vec![message.to_string()])].into(),
    }
}

async fn download(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Path(filename): Path<String>,
) -> Response {
    let filename = match check_filename(&filename) {
        Ok(name) => name,
        Err(error) => {
            tracing::info!(user = %actor.principal.username, "refused a backup download: bad file name");
            return error_response(error);
        }
    };
    match portal.backup_download(&actor, filename).await {
        Ok(file) => {
            let length = file.length();
            // Chunks go to the browser as they come from the node; a failure midway (logged by
            // the client) cuts the connection, so a partial file is never taken for a whole one.
            let mut response = Body::from_stream(file).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            if let Some(length) = length {
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            // The name was checked above: it is safe inside the quotes.
            if let Ok(value) =
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => error_response(AppError::from(error)),
    }
}

/// The uploaded file's own name, reduced to a safe backup file name.
fn upload_name(given: Option<&str>) -> String {
    let base = given
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    match check_filename(base) {
        Ok(name) => name.to_string(),
        Err(_) => "backup.tar".to_string(),
    }
}

/// A file being received, deleted when dropped (the request finished, failed or was cut short).
pub(crate) struct TempUpload {
    path: PathBuf,
}

impl TempUpload {
    /// A new, empty file with a random name in `dir`, open for writing.
    async fn create(dir: &FsPath) -> std::io::Result<(TempUpload, tokio::fs::File)> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(std::io::Error::other)?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let path = dir.join(format!("restore-{name}.part"));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await?;
        Ok((TempUpload { path }, file))
    }
}

impl TempUpload {
    /// Where the file is.
    pub(crate) fn path(&self) -> &FsPath {
        &self.path
    }
}

impl Drop for TempUpload {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_file(&self.path)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::error!(%error, path = %self.path.display(), "cannot delete a backup upload");
        }
    }
}

/// Why a file part was not received whole.
pub(crate) enum Receive {
    TooLarge,
    Multipart(axum::extract::multipart::MultipartError),
    Disk(std::io::Error),
}

/// Writes the file part `field` to a new temporary file in `uploads`, counting its bytes
/// against the cap as they arrive.
pub(crate) async fn receive(
    uploads: &Uploads,
    field: &mut Field<'_>,
) -> Result<TempUpload, Receive> {
    let (upload, file) = TempUpload::create(uploads.dir())
        .await
        .map_err(Receive::Disk)?;
    let mut file = BufWriter::with_capacity(WRITE_BUFFER_BYTES, file);
    let mut received: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(Receive::Multipart)? {
        received += chunk.len() as u64;
        if received > uploads.max_bytes {
            return Err(Receive::TooLarge);
        }
        file.write_all(&chunk).await.map_err(Receive::Disk)?;
    }
    file.flush().await.map_err(Receive::Disk)?;
    file.into_inner().sync_all().await.map_err(Receive::Disk)?;
    Ok(upload)
}

/// A text part of at most `max` bytes; `None` when it is longer or not UTF-8.
pub(crate) async fn short_text(
    field: &mut Field<'_>,
    max: usize,
) -> Result<Option<String>, axum::extract::multipart::MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > max {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8(bytes).ok())
}

async fn restore(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Extension(uploads): Extension<Uploads>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    // Refuse early, before reading a large body, when the role may not restore at all.
    if let Err(error) = portal.scope(&actor, bff::policy::Operation::BackupsManage) {
        return error_response(AppError::from(error));
    }
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > uploads.max_bytes.saturating_add(FRAMING_BYTES)) {
        return uploads.too_large();
    }
    let mut package: Option<(String, TempUpload)> = None;
    let mut passphrase = String::new();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return multipart_error(&uploads, error),
        };
        match field.name() {
            Some("package") => {
                let name = upload_name(field.file_name());
                match receive(&uploads, &mut field).await {
                    Ok(upload) => package = Some((name, upload)),
                    Err(Receive::TooLarge) => return uploads.too_large(),
                    Err(Receive::Multipart(error)) => return multipart_error(&uploads, error),
                    Err(Receive::Disk(error)) => {
                        tracing::error!(%error, dir = %uploads.dir().display(), "cannot save a backup upload");
                        return error_response(AppError::Internal(
                            "the portal could not store the uploaded file; try again later".into(),
                        ));
                    }
                }
            }
            Some("passphrase") => match short_text(&mut field, MAX_PASSPHRASE_BYTES).await {
                Ok(Some(text)) => passphrase = text,
                Ok(None) => {
                    tracing::info!("refused a backup upload: passphrase too long or not text");
                    return error_response(invalid(
                        "passphrase",
                        "the passphrase is too long or not text",
                    ));
                }
                Err(error) => return multipart_error(&uploads, error),
            },
            _ => {}
        }
    }
    let Some((filename, upload)) = package else {
        return error_response(invalid("package", "choose a backup file"));
    };
    if passphrase.is_empty() {
        return error_response(invalid("passphrase", "enter the backup's passphrase"));
    }
    let outcome = portal
        .backup_restore(&actor, &filename, &upload.path, &passphrase)
        .await;
    drop(upload);
    match outcome {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error_response(AppError::from(error)),
    }
}

fn multipart_error(uploads: &Uploads, error: axum::extract::multipart::MultipartError) -> Response {
    let status = error.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return uploads.too_large();
    }
    tracing::info!(%status, error = %error.body_text(), "refused a backup upload");
    error_response(invalid(
        "package",
        "the upload could not be read; try again",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_name_paths() {
        for good in [
            "pexip_backup_10-44-1-10_14_1_0_17_01_09_10_15_00.tar",
            "a",
            "backup.tar.gz",
            "9f3c",
        ] {
            assert_eq!(check_filename(good), Ok(good), "{good}");
        }
        let long = "a".repeat(256);
        for bad in [
            "",
            "..",
            "../etc/passwd",
            "a/../../b",
            "a/b",
            "a\\b",
            ".hidden",
            "-rf",
            "a..b",
            "a b",
            "a\"b",
            "a\r\nSet-Cookie: x",
            "ä.tar",
            long.as_str(),
        ] {
            let error = check_filename(bad).unwrap_err();
            assert!(!error.field("filename").is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn uploaded_names_are_reduced_to_safe_names() {
        assert_eq!(upload_name(Some("C:\\Users\\me\\b1.tar")), "b1.tar");
        assert_eq!(upload_name(Some("/home/me/b2.tar")), "b2.tar");
        assert_eq!(upload_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(upload_name(Some("evil\"name")), "backup.tar");
        assert_eq!(upload_name(None), "backup.tar");
    }
}

/// The routes as the server mounts them (session layer, CSRF check) against a simulator and a
/// real SQLite accounts database, with a test-only sign-in route.
#[cfg(test)]
pub(crate) mod route_tests {
    use super::*;
    use axum::extract::Path as UrlPath;
    use axum::http::{Request, header::COOKIE, header::SET_COOKIE};
    use bff::accounts::{NewAccount, Role};
    use bff::db::testing::{TestDataDir, TestDatabase};
    use bff::portal::PortalParts;
    use bff::sessions::SessionConfig;
    use pexip::client::{Client, PexipConfig, Secret};
    use simulator::{RunningSim, SimOptions};
    use tower::ServiceExt;
    use tower_sessions::Session;

    const PASSWORD: &str = "route-test-password";

    pub(crate) struct World {
        router: Router,
        pub(crate) portal: Portal,
        uploads: TestDataDir,
        _sim: RunningSim,
        _db: TestDatabase,
    }

    /// The backup routes and the configuration browser's upload routes (as the server mounts
    /// them), both capped at `max_upload` bytes.
    pub(crate) async fn world(max_upload: u64) -> World {
        let sim = simulator::start(SimOptions {
            tick_ms: 0,
            admin_password: "sim-pw".into(),
            ..SimOptions::default()
        })
        .await
        .expect("simulator starts");
        let config = PexipConfig {
            url: Some(sim.url().to_string()),
            password: Some(Secret::new("sim-pw")),
            ..PexipConfig::default()
        };
        let pexip = Client::with_ca_pem(&config, sim.cert_pem().expect("https")).expect("client");
        let handle = TestDatabase::sqlite().expect("temp dir");
        let db = handle.open().await.expect("database");
        for (username, role) in [("root", Role::Admin), ("desk", Role::Helpdesk)] {
            let new = NewAccount {
                username: username.into(),
                password: PASSWORD.into(),
                role,
                tenant_id: None,
                email: None,
            };
            bff::accounts::create_account(&db, &new)
                .await
                .expect("account");
        }
        let sessions = SessionConfig::default();
        let store = bff::sessions::open_session_store(&sessions, &db)
            .await
            .expect("session store");
        let portal = Portal::from(PortalParts {
            db,
            pexip,
            policy: Default::default(),
            sessions: sessions.clone(),
            throttle: Default::default(),
            rooms: Default::default(),
            demo: true,
            identity: Default::default(),
            metrics: Default::default(),
            live: Default::default(),
        });
        let sign_in = {
            let portal = portal.clone();
            move |session: Session, UrlPath(username): UrlPath<String>| async move {
                let auth = bff::accounts::authenticate(
                    &portal.db,
                    &portal.throttle,
                    &username,
                    PASSWORD,
                    [127, 0, 0, 1].into(),
                )
                .await
                .expect("signs in");
                bff::sessions::log_in(&session, &auth)
                    .await
                    .expect("session");
            }
        };
        let uploads_in = TestDataDir::create().expect("temp dir");
        let uploads = Uploads::prepare(
            uploads_in.path(),
            &BackupsConfig {
                max_upload_bytes: max_upload,
            },
        );
        let config_files = crate::file_uploads::router(
            portal.clone(),
            &uploads,
            &crate::file_uploads::UploadsConfig {
                max_file_bytes: max_upload,
            },
        );
        let router = router(portal.clone(), uploads)
            .merge(config_files)
            .route("/test/sign-in/{username}", post(sign_in))
            .layer(axum::middleware::from_fn(crate::csrf::check))
            .layer(bff::sessions::session_layer(store, &sessions, false));
        World {
            router,
            _sim: sim,
            portal,
            uploads: uploads_in,
            _db: handle,
        }
    }

    impl World {
        /// The files in the uploads folder.
        pub(crate) fn upload_files(&self) -> Vec<String> {
            std::fs::read_dir(self.uploads.path().join(UPLOADS_DIR))
                .expect("the uploads folder")
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        }

        pub(crate) async fn send(&self, request: Request<Body>) -> Response {
            self.router.clone().oneshot(request).await.expect("answer")
        }

        /// The session cookie of a signed-in `username`.
        pub(crate) async fn cookie(&self, username: &str) -> String {
            let answer = self
                .send(
                    Request::post(format!("/test/sign-in/{username}"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            let set = answer.headers().get(SET_COOKIE).expect("a session cookie");
            set.to_str().unwrap().split(';').next().unwrap().to_string()
        }
    }

    pub(crate) async fn json(answer: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).expect("a JSON error")
    }

    fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    }

    /// A multipart restore request with these parts (name, file name, bytes).
    fn restore_request(
        cookie: Option<&str>,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Request<Body> {
        multipart_request("/api/backups/restore", cookie, parts)
    }

    /// A multipart POST to `path` with these parts (name, file name, bytes).
    pub(crate) fn multipart_request(
        path: &str,
        cookie: Option<&str>,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Request<Body> {
        let boundary = "XyZboundary";
        let mut body = Vec::new();
        for (name, file, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(file) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.body(Body::from(body)).unwrap()
    }

    #[tokio::test]
    async fn signed_out_requests_get_401() {
        let world = world(1024).await;
        let answer = world.send(get("/api/backups/download/a.tar", None)).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        // The same JSON as the server functions' errors, which the UI reads back.
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert_eq!(error, AppError::NotSignedIn);
        let answer = world
            .send(restore_request(None, &[("passphrase", None, b"x")]))
            .await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn helpdesk_gets_403() {
        let world = world(1024).await;
        let cookie = world.cookie("desk").await;
        let answer = world
            .send(get("/api/backups/download/a.tar", Some(&cookie)))
            .await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        let answer = world
            .send(restore_request(
                Some(&cookie),
                &[
                    ("package", Some("b.tar"), b"x"),
                    ("passphrase", None, b"pw"),
                ],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn file_names_are_checked_before_anything_is_fetched() {
        let world = world(1024).await;
        let cookie = world.cookie("root").await;
        for path in ["..%2F..%2Fetc%2Fpasswd", ".hidden", "a%20b", "a%22b"] {
            let answer = world
                .send(get(&format!("/api/backups/download/{path}"), Some(&cookie)))
                .await;
            assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{path}");
        }
        let answer = world
            .send(get("/api/backups/download/missing.tar", Some(&cookie)))
            .await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn uploads_over_the_cap_get_413_and_incomplete_forms_400() {
        let world = world(1024).await;
        let cookie = world.cookie("root").await;
        let big = vec![7u8; 200 * 1024];
        let answer = world
            .send(restore_request(
                Some(&cookie),
                &[
                    ("package", Some("b.tar"), &big),
                    ("passphrase", None, b"pw"),
                ],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert_eq!(
            error.field("package"),
            ["the file is larger than the 1024 bytes a restore accepts"]
        );

        // Without a Content-Length the file is counted as it arrives: 40 KiB is within the
        // room left for the form's framing, so only that count can refuse it.
        let mut request = restore_request(
            Some(&cookie),
            &[
                ("package", Some("b.tar"), &big[..40 * 1024]),
                ("passphrase", None, b"pw"),
            ],
        );
        request.headers_mut().remove(header::CONTENT_LENGTH);
        let answer = world.send(request).await;
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);

        let answer = world
            .send(restore_request(
                Some(&cookie),
                &[("package", Some("b.tar"), b"data")],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert!(!error.field("passphrase").is_empty(), "{error:?}");

        // A file that is no backup: the node's refusal comes back as a field error.
        let answer = world
            .send(restore_request(
                Some(&cookie),
                &[
                    ("package", Some("b.tar"), b"not a backup"),
                    ("passphrase", None, b"pw"),
                ],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert!(!error.field("package").is_empty(), "{error:?}");
        assert_eq!(world.upload_files(), Vec::<String>::new());
    }

    #[tokio::test]
    async fn a_backup_downloads_and_restores_through_a_file_that_does_not_stay() {
        let world = world(1024 * 1024).await;
        let cookie = world.cookie("root").await;
        let pexip = &world.portal.pexip;
        pexip
            .command(
                "platform",
                "backup_create",
                &serde_json::json!({"passphrase": "route pw"}),
            )
            .await
            .expect("a backup is made");
        let list = pexip
            .list(
                pexip::client::Api::Configuration,
                "system_backup",
                &pexip::query::Query::new(),
            )
            .await
            .expect("the backups");
        let filename = list.objects[0]["filename"].as_str().unwrap().to_string();
        let size = list.objects[0]["size"].as_u64().unwrap();

        let answer = world
            .send(get(
                &format!("/api/backups/download/{filename}"),
                Some(&cookie),
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(
            answer.headers()[header::CONTENT_LENGTH].to_str().unwrap(),
            size.to_string()
        );
        assert_eq!(
            answer.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap(),
            format!("attachment; filename=\"{filename}\"")
        );
        let file = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(file.len() as u64, size);

        let answer = world
            .send(restore_request(
                Some(&cookie),
                &[
                    ("package", Some(&filename), &file),
                    ("passphrase", None, b"wrong pw"),
                ],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert!(!error.field("package").is_empty(), "{error:?}");

        let answer = world
            .send(restore_request(
                Some(&cookie),
                &[
                    ("package", Some(&filename), &file),
                    ("passphrase", None, b"route pw"),
                ],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
        assert_eq!(world.upload_files(), Vec::<String>::new());
    }

    #[test]
    fn leftover_uploads_are_removed_when_the_folder_is_prepared() {
        let data = TestDataDir::create().expect("temp dir");
        let dir = data.path().join(UPLOADS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("restore-0123.part"), b"half a file").unwrap();
        let uploads = Uploads::prepare(data.path(), &BackupsConfig::default());
        assert_eq!(uploads.dir(), dir);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn cross_site_uploads_are_refused() {
        let world = world(1024).await;
        let cookie = world.cookie("root").await;
        let mut request = restore_request(Some(&cookie), &[("passphrase", None, b"x")]);
        request
            .headers_mut()
            .insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert_eq!(world.send(request).await.status(), StatusCode::FORBIDDEN);
    }
}
