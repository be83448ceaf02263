//! How the built bundle and the pages leave the server: the files under `/pkg/` (wasm, its
//! lazy-loaded chunks, JavaScript, CSS) with their caching headers and precompressed variants,
//! and on-the-fly compression of HTML and JSON.
//!
//! - A file whose name carries a content hash (cargo-leptos `hash-files`: `pexip-portal.<hash>.wasm`,
//!   the `__wasm_split.<hash>.js` loader, the chunks) never changes under that name: it is sent with
//!   `Cache-Control: public, max-age=31536000, immutable`. Any other file is `no-cache` (the
//!   browser revalidates it with `If-Modified-Since`).
//! - `cargo leptos build --release --precompress` writes `.br` and `.gz` next to each file;
//!   [`ServeDir`] picks the one the request's `Accept-Encoding` allows (`Content-Encoding`,
//!   `Vary: Accept-Encoding`).
//! - HTML, JSON, JavaScript and CSS responses made by the server are compressed on the fly
//!   (brotli or gzip). Never a Server-Sent Events stream (`text/event-stream`): a compressor
//!   buffers, and the live feed's events must leave as they happen.

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use http::{HeaderMap, HeaderValue, StatusCode, Version, header};
use leptos::config::LeptosOptions;
use std::path::Path;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};

/// The caching header of a file that can never change under its name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The caching header of any other file: use it only after revalidating.
pub const REVALIDATE: &str = "no-cache";

/// The bundle (`/pkg/…`) and the favicon, served as files (conditional and range requests
/// included). They do not go through Leptos's file-and-error fallback: that handler applies
/// whatever response options its reactive owner finds, and under concurrent requests a file could
/// leave with another request's 404 status (seen in the browser tests as a wasm "404" carrying
/// the whole file).
pub fn router(leptos: &LeptosOptions) -> Router {
    let root = Path::new(leptos.site_root.as_ref());
    let pkg = ServeDir::new(root.join(leptos.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", leptos.site_pkg_dir), pkg)
        .layer(middleware::from_fn(cache_control))
        .route_service("/favicon.ico", ServeFile::new(root.join("favicon.ico")))
}

/// Sets `Cache-Control` on a successful file response from its name, and `Vary:
/// Accept-Encoding` ([`ServeDir`] picks a precompressed file by that header but does not say so,
/// and a shared cache could then hand brotli to a browser that did not ask for it).
async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = file_name_has_hash(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { REVALIDATE };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
        let varies = headers.get_all(header::VARY).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
        });
        if !varies {
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
    }
    response
}

/// Whether the last path segment names a content-hashed file: one of its dot-separated parts
/// (not the first nor the extension) is a hash as cargo-leptos writes them, 22 characters of
/// URL-safe base64 (`pexip-portal.BmNh3a0D6v6XLdlTl7ZSeQ.wasm`).
pub fn file_name_has_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && part.bytes().any(|b| b != b'_')
        })
}

/// Whether a response is compressed on the fly ([`compressible`]).
pub type Compressible = fn(StatusCode, Version, &HeaderMap, &http::Extensions) -> bool;

/// On-the-fly compression of what the server renders or answers: HTML pages, server functions'
/// JSON, and JavaScript/CSS when no precompressed file exists. Files already compressed (a
/// `Content-Encoding` set by [`ServeDir`]) are left alone by the layer itself.
pub fn compression() -> CompressionLayer<Compressible> {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Fastest)
        .compress_when(compressible as Compressible)
}

/// Text the browser reads whole, above a few hundred bytes; never an event stream.
fn compressible(_: StatusCode, _: Version, headers: &HeaderMap, _: &http::Extensions) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let text = matches!(
        essence.as_str(),
        "text/html"
            | "application/json"
            | "text/javascript"
            | "application/javascript"
            | "text/css"
    );
    let small = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .is_some_and(|length| length < 256);
    text && !small
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(file_name_has_hash(
            "/pkg/pexip-portal.BmNh3a0D6v6XLdlTl7ZSeQ.wasm"
        ));
        assert!(file_name_has_hash(
            "/pkg/__wasm_split.Ab-_0123456789abcdefgh.js"
        ));
        assert!(!file_name_has_hash("/pkg/pexip-portal.wasm"));
        assert!(!file_name_has_hash("/pkg/pexip-portal_bg.wasm"));
        // The placeholder cargo-leptos writes before hashing is not a hash.
        assert!(!file_name_has_hash(
            "/pkg/__wasm_split.______________________.js"
        ));
        // Too short or with characters outside URL-safe base64.
        assert!(!file_name_has_hash("/pkg/pexip-portal.abc.wasm"));
        assert!(!file_name_has_hash(
            "/pkg/pexip-portal.BmNh3a0D6v6XLdlTl7Z+eQ.wasm"
        ));
    }

    fn headers(content_type: &str, length: Option<u64>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        if let Some(length) = length {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        headers
    }

    #[test]
    fn only_text_is_compressed_and_never_an_event_stream() {
        let ext = http::Extensions::new();
        let yes = |h: &HeaderMap| compressible(StatusCode::OK, Version::HTTP_11, h, &ext);
        assert!(yes(&headers("text/html; charset=utf-8", None)));
        assert!(yes(&headers("application/json", Some(10_000))));
        assert!(!yes(&headers("text/event-stream", None)));
        assert!(!yes(&headers("application/wasm", None)));
        assert!(!yes(&headers("application/octet-stream", None)));
        assert!(!yes(&headers("application/json", Some(20))));
    }
}
