//! File uploads of the configuration browser, over plain HTTP (server functions do not carry
//! files well), admins only:
//!
//! - `POST /api/config/upload`: multipart `resource`, `id`, `field` and the file (`file`): the
//!   file becomes the value of that file field of the object (an IVR theme's `package`), sent
//!   to the Management Node as a multipart PATCH;
//! - `POST /api/certificates/import`: multipart `bundle` (PEM certificates and private keys)
//!   and `private_key_passphrase` (for an encrypted key): `platform/certificates_import`;
//!   answers `{"imported": [...]}`, the certificates the node holds afterwards that it did not
//!   hold before.
//!
//! A file is received chunk by chunk into `<data_dir>/uploads/` (like a backup restore), at most
//! `uploads.max_file_bytes` of it (`413` as soon as it is more, or at once when the request
//! announces more; a certificate bundle at most [`MAX_BUNDLE_BYTES`]), then streamed from that
//! file to the node; the file is deleted when the request ends, however it ends. The contents
//! are checked where their type is known: a theme package must be a ZIP file, a bundle PEM text
//! (`415` otherwise). Both routes read the session here and go through the BFF gateway (policy,
//! audit trail: `config.file_upload`, `certificates.import`); unsafe methods pass the CSRF check
//! of every route first.

use crate::backup_files::{Receive, TempUpload, Uploads, invalid, receive, short_text, size_text};
use crate::signed_in::{SignedIn, error_response};
use app::api::AppError;
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Extension, Multipart, State, multipart::MultipartError},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use bff::portal::Portal;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

/// The room the multipart framing and the text parts may take beyond the file itself.
const FRAMING_BYTES: u64 = 64 * 1024;
/// The largest certificate bundle accepted (PEM text: a few certificates and keys).
pub const MAX_BUNDLE_BYTES: u64 = 1024 * 1024;
/// The longest text part (a resource name, an id, a passphrase).
const MAX_TEXT_BYTES: usize = 1024;

/// `[uploads]`: files sent through the configuration browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploadsConfig {
    /// The largest file accepted for a file field (an IVR theme package), in bytes.
    pub max_file_bytes: u64,
}

impl Default for UploadsConfig {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The routes; files are received into the folder of `uploads`, capped by `config`.
pub fn router(portal: Portal, uploads: &Uploads, config: &UploadsConfig) -> Router {
    let files = uploads.with_max_bytes(config.max_file_bytes);
    let bundles = uploads.with_max_bytes(MAX_BUNDLE_BYTES.min(config.max_file_bytes));
    let limit = |max: u64| usize::try_from(max.saturating_add(FRAMING_BYTES)).unwrap_or(usize::MAX);
    let config_upload = Router::new()
        .route("/api/config/upload", post(config_upload))
        .layer(DefaultBodyLimit::max(limit(files.max_bytes())))
        .layer(Extension(Files(files)));
    let certificates = Router::new()
        .route("/api/certificates/import", post(certificates_import))
        .layer(DefaultBodyLimit::max(limit(bundles.max_bytes())))
        .layer(Extension(Bundles(bundles)));
    config_upload.merge(certificates).with_state(portal)
}

#[derive(Clone)]
struct Files(Uploads);

#[derive(Clone)]
struct Bundles(Uploads);

fn too_large(field: &str, max_bytes: u64) -> Response {
    let message = format!(
        "the file is larger than the {} an upload accepts",
        size_text(max_bytes)
    );
    tracing::info!(max_bytes, field, "refused an upload: too large");
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Json(invalid(field, &message)),
    )
        .into_response()
}

fn wrong_type(field: &str, message: &str) -> Response {
    tracing::info!(field, "refused an upload: {message}");
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Json(invalid(field, message)),
    )
        .into_response()
}

fn multipart_error(field: &str, max_bytes: u64, error: MultipartError) -> Response {
    let status = error.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(field, max_bytes);
    }
    tracing::info!(%status, error = %error.body_text(), "refused an upload: unreadable form");
    error_response(invalid(field, "the upload could not be read; try again"))
}

/// Whether the request announces a body larger than `max_bytes` of file plus framing.
fn announced_too_large(headers: &HeaderMap, max_bytes: u64) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .is_some_and(|length| length > max_bytes.saturating_add(FRAMING_BYTES))
}

/// The uploaded file's own base name, printable ASCII without quotes, else `fallback`.
fn upload_name(given: Option<&str>, fallback: &str) -> String {
    let base = given
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    let ok = !base.is_empty()
        && base.len() <= 255
        && base
            .bytes()
            .all(|b| (b.is_ascii_graphic() && !matches!(b, b'"' | b'\\')) || b == b' ');
    if ok {
        base.to_string()
    } else {
        fallback.to_string()
    }
}

/// The first `n` bytes of the saved file (fewer when it is shorter).
async fn head(upload: &TempUpload, n: usize) -> std::io::Result<Vec<u8>> {
    let file = tokio::fs::File::open(upload.path()).await?;
    let mut bytes = Vec::with_capacity(n);
    file.take(n as u64).read_to_end(&mut bytes).await?;
    Ok(bytes)
}

/// Why the contents of `bytes` (the whole file, or its first bytes) do not suit field `field`
/// of `resource`, when their type is known.
pub fn check_contents(resource: &str, field: &str, bytes: &[u8]) -> Result<(), &'static str> {
    match (resource, field) {
        ("ivr_theme", "package")
            if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) =>
        {
            Err("a theme package must be a ZIP file")
        }
        _ => Ok(()),
    }
}

/// Why `bytes` is not a PEM certificate bundle, if it is not.
pub fn check_bundle(bytes: &[u8]) -> Result<(), &'static str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN ") && text.contains("CERTIFICATE-----") => Ok(()),
        _ => Err("the file must be PEM text holding certificates (-----BEGIN CERTIFICATE-----)"),
    }
}

fn disk_error(error: std::io::Error, uploads: &Uploads) -> Response {
    tracing::error!(%error, dir = %uploads.dir().display(), "cannot save an upload");
    error_response(AppError::Internal(
        "the portal could not store the uploaded file; try again later".into(),
    ))
}

async fn config_upload(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Extension(Files(uploads)): Extension<Files>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    // Refuse early, before reading a large body, when the role may not change the configuration.
    if let Err(error) = portal.scope(&actor, bff::policy::Operation::PlatformWrite) {
        return error_response(AppError::from(error));
    }
    let max = uploads.max_bytes();
    if announced_too_large(&headers, max) {
        return too_large("file", max);
    }
    let mut texts = [String::new(), String::new(), String::new()];
    let mut file: Option<(String, TempUpload)> = None;
    loop {
        let mut part = match form.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(error) => return multipart_error("file", max, error),
        };
        let slot = match part.name() {
            Some("resource") => 0,
            Some("id") => 1,
            Some("field") => 2,
            Some("file") => {
                let name = upload_name(part.file_name(), "upload.bin");
                match receive(&uploads, &mut part).await {
                    Ok(upload) => file = Some((name, upload)),
                    Err(Receive::TooLarge) => return too_large("file", max),
                    Err(Receive::Multipart(error)) => return multipart_error("file", max, error),
                    Err(Receive::Disk(error)) => return disk_error(error, &uploads),
                }
                continue;
            }
            _ => continue,
        };
        match short_text(&mut part, MAX_TEXT_BYTES).await {
            Ok(Some(text)) => texts[slot] = text,
            Ok(None) => {
                let name = ["resource", "id", "field"][slot];
                tracing::info!(
                    part = name,
                    "refused an upload: text part too long or not text"
                );
                return error_response(invalid(name, "too long or not text"));
            }
            Err(error) => return multipart_error("file", max, error),
        }
    }
    let [resource, id, field] = texts;
    for (name, value) in [("resource", &resource), ("id", &id), ("field", &field)] {
        if value.is_empty() {
            tracing::info!(part = name, "refused an upload: missing part");
            return error_response(invalid(name, "missing"));
        }
    }
    let Some((filename, upload)) = file else {
        tracing::info!("refused an upload: no file");
        return error_response(invalid(&field, "choose a file"));
    };
    match head(&upload, 8).await {
        Ok(bytes) => {
            if bytes.is_empty() {
                return error_response(invalid(&field, "the file is empty"));
            }
            if let Err(message) = check_contents(&resource, &field, &bytes) {
                return wrong_type(&field, message);
            }
        }
        Err(error) => return disk_error(error, &uploads),
    }
    let outcome = portal
        .config_file_upload(&actor, &resource, &id, &field, &filename, upload.path())
        .await;
    drop(upload);
    match outcome {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error_response(AppError::from(error)),
    }
}

/// The answer of a certificate import.
#[derive(Debug, Serialize, Deserialize)]
pub struct Imported {
    pub imported: Vec<bff::gateway::ImportedCertificate>,
}

async fn certificates_import(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Extension(Bundles(uploads)): Extension<Bundles>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    if let Err(error) = portal.scope(&actor, bff::policy::Operation::PlatformWrite) {
        return error_response(AppError::from(error));
    }
    let max = uploads.max_bytes();
    if announced_too_large(&headers, max) {
        return too_large("bundle", max);
    }
    let mut bundle: Option<(String, TempUpload)> = None;
    let mut passphrase = String::new();
    loop {
        let mut part = match form.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(error) => return multipart_error("bundle", max, error),
        };
        match part.name() {
            Some("bundle") => {
                let name = upload_name(part.file_name(), "certificates.pem");
                match receive(&uploads, &mut part).await {
                    Ok(upload) => bundle = Some((name, upload)),
                    Err(Receive::TooLarge) => return too_large("bundle", max),
                    Err(Receive::Multipart(error)) => {
                        return multipart_error("bundle", max, error);
                    }
                    Err(Receive::Disk(error)) => return disk_error(error, &uploads),
                }
            }
            Some("private_key_passphrase") => match short_text(&mut part, MAX_TEXT_BYTES).await {
                Ok(Some(text)) => passphrase = text,
                Ok(None) => {
                    tracing::info!("refused a certificate import: passphrase too long or not text");
                    return error_response(invalid(
                        "private_key_passphrase",
                        "the passphrase is too long or not text",
                    ));
                }
                Err(error) => return multipart_error("bundle", max, error),
            },
            _ => {}
        }
    }
    let Some((filename, upload)) = bundle else {
        tracing::info!("refused a certificate import: no file");
        return error_response(invalid("bundle", "choose a PEM file"));
    };
    match head(&upload, MAX_BUNDLE_BYTES as usize).await {
        Ok(bytes) => {
            if bytes.is_empty() {
                return error_response(invalid("bundle", "the file is empty"));
            }
            if let Err(message) = check_bundle(&bytes) {
                return wrong_type("bundle", message);
            }
        }
        Err(error) => return disk_error(error, &uploads),
    }
    let outcome = portal
        .certificates_import(&actor, &filename, upload.path(), &passphrase)
        .await;
    drop(upload);
    match outcome {
        Ok(imported) => Json(Imported { imported }).into_response(),
        Err(error) => error_response(AppError::from(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_are_checked_where_their_type_is_known() {
        assert!(check_contents("ivr_theme", "package", b"PK\x03\x04").is_ok());
        assert!(check_contents("ivr_theme", "package", b"<html>").is_err());
        assert!(check_contents("other", "file", b"anything").is_ok());
        assert!(
            check_bundle(b"-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----").is_ok()
        );
        assert!(check_bundle(b"PK\x03\x04").is_err());
        assert!(check_bundle(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn uploaded_names_stay_printable() {
        assert_eq!(upload_name(Some("C:\\x\\theme 1.zip"), "f"), "theme 1.zip");
        assert_eq!(upload_name(Some("a\"b.zip"), "f"), "f");
        assert_eq!(upload_name(Some("ä.zip"), "f"), "f");
        assert_eq!(upload_name(None, "f"), "f");
    }
}

/// The routes against the simulator over HTTPS, with a real accounts database (the harness of
/// the backup routes, which mounts these routes too).
#[cfg(test)]
mod route_tests {
    use crate::backup_files::route_tests::{json, multipart_request, world};
    use app::api::AppError;
    use axum::http::{HeaderValue, StatusCode, header};
    use pexip::client::{Api, ObjectId};
    use serde_json::json;

    fn zip(len: usize) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.resize(len, 7);
        bytes
    }

    /// A new IVR theme; its id.
    async fn theme(portal: &bff::portal::Portal) -> String {
        let created = portal
            .pexip
            .create(Api::Configuration, "ivr_theme", &json!({"name": "Uploads"}))
            .await
            .expect("a theme");
        created.id.to_string()
    }

    #[tokio::test]
    async fn a_theme_package_goes_to_the_node_and_is_audited() {
        let world = world(64 * 1024).await;
        let cookie = world.cookie("root").await;
        let id = theme(&world.portal).await;
        let package = zip(20 * 1024);
        let answer = world
            .send(multipart_request(
                "/api/config/upload",
                Some(&cookie),
                &[
                    ("resource", None, b"ivr_theme"),
                    ("id", None, id.as_bytes()),
                    ("field", None, b"package"),
                    ("file", Some("blue.zip"), &package),
                ],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
        let object = world
            .portal
            .pexip
            .get(
                Api::Configuration,
                "ivr_theme",
                &ObjectId::key(&id).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(object["package"], "blue.zip");
        let (trail, _) = bff::audit::list(
            &world.portal.db,
            &bff::audit::AuditFilter {
                action_prefix: Some("config.file_upload".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .expect("the audit trail");
        let entry = trail
            .iter()
            .find(|e| e.action == "config.file_upload")
            .expect("an audit entry");
        assert_eq!(entry.result, "ok");
        assert_eq!(
            entry.resource_uri.as_deref(),
            Some(format!("/api/admin/configuration/v1/ivr_theme/{id}/").as_str())
        );
        assert_eq!(world.upload_files(), Vec::<String>::new());
    }

    #[tokio::test]
    async fn too_big_wrong_type_missing_and_not_a_file_field_are_4xx() {
        let world = world(8 * 1024).await;
        let cookie = world.cookie("root").await;
        let id = theme(&world.portal).await;
        let upload = |parts: Vec<(&'static str, Option<&'static str>, Vec<u8>)>| {
            let parts: Vec<(&str, Option<&str>, Vec<u8>)> = parts;
            let borrowed: Vec<(&str, Option<&str>, &[u8])> = parts
                .iter()
                .map(|(n, f, b)| (*n, *f, b.as_slice()))
                .collect();
            multipart_request("/api/config/upload", Some(&cookie), &borrowed)
        };
        let text = |s: &str| s.as_bytes().to_vec();
        // 200 KiB: larger than the cap and than the room left for the form's framing.
        let answer = world
            .send(upload(vec![
                ("resource", None, text("ivr_theme")),
                ("id", None, text(&id)),
                ("field", None, text("package")),
                ("file", Some("big.zip"), zip(200 * 1024)),
            ]))
            .await;
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert_eq!(
            error.field("file"),
            ["the file is larger than the 8192 bytes an upload accepts"]
        );
        // Streamed without a Content-Length: counted as it arrives.
        let mut request = upload(vec![
            ("resource", None, text("ivr_theme")),
            ("id", None, text(&id)),
            ("field", None, text("package")),
            ("file", Some("big.zip"), zip(40 * 1024)),
        ]);
        request.headers_mut().remove(header::CONTENT_LENGTH);
        assert_eq!(
            world.send(request).await.status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );

        let answer = world
            .send(upload(vec![
                ("resource", None, text("ivr_theme")),
                ("id", None, text(&id)),
                ("field", None, text("package")),
                ("file", Some("page.zip"), text("<html>not a zip</html>")),
            ]))
            .await;
        assert_eq!(answer.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert_eq!(
            error.field("package"),
            ["a theme package must be a ZIP file"]
        );

        let answer = world
            .send(upload(vec![
                ("resource", None, text("ivr_theme")),
                ("id", None, text(&id)),
                ("field", None, text("package")),
            ]))
            .await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert_eq!(error.field("package"), ["choose a file"]);

        let answer = world
            .send(upload(vec![
                ("resource", None, text("ivr_theme")),
                ("id", None, text(&id)),
                ("field", None, text("name")),
                ("file", Some("a.zip"), zip(100)),
            ]))
            .await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let answer = world
            .send(upload(vec![
                ("resource", None, text("ivr_theme")),
                ("id", None, text("999")),
                ("field", None, text("package")),
                ("file", Some("a.zip"), zip(100)),
            ]))
            .await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        assert_eq!(world.upload_files(), Vec::<String>::new());
    }

    #[tokio::test]
    async fn certificates_import_answers_what_was_added_and_others_are_refused() {
        let world = world(64 * 1024).await;
        let cookie = world.cookie("root").await;
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["node.example.com".into()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "node.example.com");
        let cert = params.self_signed(&key).unwrap();
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Portal Test CA");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let bundle = format!("{}{}{}", cert.pem(), key.serialize_pem(), ca.pem());

        let desk = world.cookie("desk").await;
        let answer = world
            .send(multipart_request(
                "/api/certificates/import",
                Some(&desk),
                &[("bundle", Some("b.pem"), bundle.as_bytes())],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);

        let answer = world
            .send(multipart_request(
                "/api/certificates/import",
                Some(&cookie),
                &[("bundle", Some("b.pem"), b"PK\x03\x04 not PEM")],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let answer = world
            .send(multipart_request(
                "/api/certificates/import",
                Some(&cookie),
                &[("bundle", Some("b.pem"), bundle.as_bytes())],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
        let answer = json(answer).await;
        let imported = answer["imported"].as_array().unwrap();
        assert_eq!(imported.len(), 2, "{answer}");
        assert_eq!(imported[0]["kind"], "tls_certificate");
        assert!(
            imported[0]["subject_name"]
                .as_str()
                .unwrap()
                .contains("node.example.com")
        );
        assert_eq!(imported[1]["kind"], "ca_certificate");
        assert!(
            imported[1]["subject_name"]
                .as_str()
                .unwrap()
                .contains("Portal Test CA")
        );

        // The node's refusal comes back on its field.
        let answer = world
            .send(multipart_request(
                "/api/certificates/import",
                Some(&cookie),
                &[(
                    "bundle",
                    Some("b.pem"),
                    format!("{}{}", cert.pem(), ca_key.serialize_pem()).as_bytes(),
                )],
            ))
            .await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let error: AppError = serde_json::from_value(json(answer).await).unwrap();
        assert!(!error.field("bundle").is_empty(), "{error:?}");

        // Cross-site posts never reach the handler.
        let mut request = multipart_request(
            "/api/certificates/import",
            Some(&cookie),
            &[("bundle", Some("b.pem"), bundle.as_bytes())],
        );
        request
            .headers_mut()
            .insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert_eq!(world.send(request).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(world.upload_files(), Vec::<String>::new());
    }
}
