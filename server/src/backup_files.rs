//! Backup files over plain HTTP (server functions do not carry files well), admins only:
//!
//! - `GET /api/backups/download/{filename}`: the file as an attachment;
//! - `POST /api/backups/restore`: a multipart form with `package` (the file) and `passphrase`,
//!   at most [`MAX_RESTORE_BYTES`].
//!
//! Both authenticate the session here and go through the BFF gateway, which applies the policy
//! and writes the audit trail. Unsafe methods pass the CSRF check of every route first.

use crate::signed_in::{SignedIn, error_response};
use app::api::AppError;
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use bff::portal::Portal;
use tower_http::limit::RequestBodyLimitLayer;

/// The largest backup file accepted for a restore.
pub const MAX_RESTORE_BYTES: usize = 512 * 1024 * 1024;

/// The routes, accepting restore uploads of at most `max_upload` bytes.
pub fn router(portal: Portal, max_upload: usize) -> Router {
    // The multipart framing around the file takes a little room of its own.
    let limit = max_upload.saturating_add(64 * 1024);
    let uploads = Router::new()
        .route("/api/backups/restore", post(restore))
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit));
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

fn invalid(field: &str, message: &str) -> AppError {
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
        Ok(bytes) => {
            let mut response = Body::from(bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
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

async fn restore(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    mut form: Multipart,
) -> Response {
    // Refuse early, before reading a large body, when the role may not restore at all.
    if let Err(error) = portal.scope(&actor, bff::policy::Operation::BackupsManage) {
        return error_response(AppError::from(error));
    }
    let mut package: Option<(String, Vec<u8>)> = None;
    let mut passphrase = String::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return multipart_error(error),
        };
        match field.name() {
            Some("package") => {
                let name = upload_name(field.file_name());
                match field.bytes().await {
                    Ok(bytes) => package = Some((name, bytes.to_vec())),
                    Err(error) => return multipart_error(error),
                }
            }
            Some("passphrase") => match field.text().await {
                Ok(text) => passphrase = text,
                Err(error) => return multipart_error(error),
            },
            _ => {}
        }
    }
    let Some((filename, bytes)) = package else {
        return error_response(invalid("package", "choose a backup file"));
    };
    if passphrase.is_empty() {
        return error_response(invalid("passphrase", "enter the backup's passphrase"));
    }
    match portal
        .backup_restore(&actor, &filename, bytes, &passphrase)
        .await
    {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error_response(AppError::from(error)),
    }
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> Response {
    let status = error.status();
    tracing::info!(%status, error = %error.body_text(), "refused a backup upload");
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let message = format!(
            "the file is larger than the {} MB a restore accepts",
            MAX_RESTORE_BYTES / (1024 * 1024)
        );
        return (status, axum::Json(invalid("package", &message))).into_response();
    }
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
mod route_tests {
    use super::*;
    use axum::extract::Path as UrlPath;
    use axum::http::{Request, header::COOKIE, header::SET_COOKIE};
    use bff::accounts::{NewAccount, Role};
    use bff::db::testing::TestDatabase;
    use bff::sessions::SessionConfig;
    use pexip::client::{Client, PexipConfig, Secret};
    use simulator::{RunningSim, SimOptions};
    use tower::ServiceExt;
    use tower_sessions::Session;

    const PASSWORD: &str = "route-test-password";

    struct World {
        router: Router,
        _sim: RunningSim,
        _db: TestDatabase,
    }

    async fn world(max_upload: usize) -> World {
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
        let portal = Portal {
            db,
            pexip,
            policy: Default::default(),
            sessions: sessions.clone(),
            throttle: Default::default(),
            demo: true,
        };
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
        let router = router(portal, max_upload)
            .route("/test/sign-in/{username}", post(sign_in))
            .layer(axum::middleware::from_fn(crate::csrf::check))
            .layer(bff::sessions::session_layer(store, &sessions, false));
        World {
            router,
            _sim: sim,
            _db: handle,
        }
    }

    impl World {
        async fn send(&self, request: Request<Body>) -> Response {
            self.router.clone().oneshot(request).await.expect("answer")
        }

        /// The session cookie of a signed-in `username`.
        async fn cookie(&self, username: &str) -> String {
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

    async fn json(answer: Response) -> serde_json::Value {
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
        let mut request = Request::post("/api/backups/restore")
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
