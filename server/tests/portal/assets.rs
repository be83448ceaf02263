//! How the real server sends the bundle and its pages (`server/src/assets.rs`): a content-hashed
//! bundle file is cacheable for a year and immutable, a file without a hash is revalidated,
//! the precompressed brotli or gzip file is chosen by `Accept-Encoding`, HTML and JSON are
//! compressed on the fly, and the live stream (Server-Sent Events) is never compressed: its
//! first event arrives as plain text while the stream stays open. The real build (cargo-leptos
//! `hash-files`): every bundle file a page links has a content hash in its name and is immutable.

use std::time::Duration;

use bff::live::model::STREAM_PATH;
use reqwest::StatusCode;

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, site_root, temp_dir};

const HASHED_WASM: &str = "pexip-portal.BmNh3a0D6v6XLdlTl7ZSeQ.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A site folder as `cargo leptos build --release --precompress` with `hash-files` leaves it:
/// a hashed wasm with its `.br` and `.gz` and a hashed JavaScript file, listed in `hash.txt`
/// (copied into the site root, as a deployment may), and a CSS file without a hash.
fn site(root: &std::path::Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        root.join("hash.txt"),
        "js: Js0123456789abcdefghij\nwasm: BmNh3a0D6v6XLdlTl7ZSeQ\n",
    )
    .unwrap();
    std::fs::write(pkg.join("pexip-portal.Js0123456789abcdefghij.js"), b"js").unwrap();
    std::fs::write(pkg.join(HASHED_WASM), b"\0asm raw bytes").unwrap();
    std::fs::write(pkg.join(format!("{HASHED_WASM}.br")), b"brotli bytes").unwrap();
    std::fs::write(pkg.join(format!("{HASHED_WASM}.gz")), b"gzip bytes").unwrap();
    std::fs::write(pkg.join("pexip-portal.css"), b"body { margin: 0 }").unwrap();
    std::fs::write(root.join("favicon.ico"), b"icon").unwrap();
}

async fn get(server: &Server, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url(path));
    if let Some(value) = accept_encoding {
        request = request.header("accept-encoding", value);
    }
    request.send().await.expect("the server answers")
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_is_immutable_precompressed_and_pages_compressed_but_not_the_live_stream() {
    // reqwest is built without a default TLS provider (plain HTTP here, but the builder wants one).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = temp_dir();
    let root = dir.path().join("site");
    site(&root);
    let server = Server::start(
        ServerSetup::new(&dir.path().join("data")).env("LEPTOS_SITE_ROOT", root.to_string_lossy()),
    )
    .await;
    let wasm = format!("/pkg/{HASHED_WASM}");

    // Brotli accepted: the precompressed file, cacheable for a year, immutable.
    let br = get(&server, &wasm, Some("gzip, deflate, br")).await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(header(&br, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&br, "cache-control").as_deref(), Some(IMMUTABLE));
    assert!(
        header(&br, "vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
        "no Vary: Accept-Encoding"
    );
    assert_eq!(
        header(&br, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");

    // Only gzip: the .gz file; nothing: the file itself. Both immutable.
    let gz = get(&server, &wasm, Some("gzip")).await;
    assert_eq!(header(&gz, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(header(&gz, "cache-control").as_deref(), Some(IMMUTABLE));
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip bytes");
    let plain = get(&server, &wasm, None).await;
    assert_eq!(header(&plain, "content-encoding"), None);
    assert_eq!(header(&plain, "cache-control").as_deref(), Some(IMMUTABLE));
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm raw bytes");

    // A file without a hash in its name may change: revalidated, never immutable.
    let css = get(&server, "/pkg/pexip-portal.css", Some("br")).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(header(&css, "cache-control").as_deref(), Some("no-cache"));
    // A missing file: 404 without a caching promise.
    let missing = get(
        &server,
        "/pkg/pexip-portal.AAAAAAAAAAAAAAAAAAAAAA.wasm",
        Some("br"),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&missing, "cache-control"), None);

    // The sign-in page's HTML, compressed on the fly when brotli is accepted, not otherwise.
    let page = get(&server, "/login", Some("br")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header(&page, "content-encoding").as_deref(), Some("br"));
    let page = get(&server, "/login", None).await;
    assert_eq!(header(&page, "content-encoding"), None);
    assert!(page.text().await.unwrap().contains("<html"));

    // A server function's JSON too (gzip here).
    let mut admin = Browser::new(&server);
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let cookie = admin.cookie.clone().expect("a session cookie");
    let json = reqwest::Client::new()
        .post(server.url("/api/rooms/list"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .header("accept-encoding", "gzip")
        .body(r#"{"query":{"limit":50,"offset":0}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::OK);
    assert_eq!(header(&json, "content-encoding").as_deref(), Some("gzip"));

    // The live stream, although the browser accepts brotli and gzip: not compressed, and its
    // first event (the snapshot) arrives as plain text while the stream stays open.
    let mut stream = reqwest::Client::new()
        .get(server.url(STREAM_PATH))
        .header("cookie", &cookie)
        .header("accept", "text/event-stream")
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(header(&stream, "content-encoding"), None);
    assert!(header(&stream, "content-type").is_some_and(|v| v.starts_with("text/event-stream")));
    let mut received = String::new();
    tokio::time::timeout(Duration::from_secs(30), async {
        while !received.contains("\n\n") {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            received.push_str(std::str::from_utf8(&chunk).expect("plain text, not compressed"));
        }
    })
    .await
    .expect("the first event arrives while the stream is open");
    assert!(received.contains("data:"), "{received}");

    server.stop().await;
}

/// Whether a `/pkg/` file name carries a content hash as cargo-leptos writes it: a dot-separated
/// part of 22 characters of URL-safe base64 before the extension.
fn hashed(name: &str) -> bool {
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

/// The `/pkg/…` files an HTML page links (scripts, wasm, stylesheet, chunk preloads).
fn bundle_links(html: &str) -> Vec<String> {
    let mut links: Vec<String> = html
        .split("\"/pkg/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    links.sort();
    links.dedup();
    links
}

/// Each linked file: its name carries a hash, it is served as built, cacheable for a year and
/// immutable.
async fn check_hashed_and_immutable(server: &Server, pkg: &std::path::Path, links: &[String]) {
    for name in links {
        assert!(hashed(name), "/pkg/{name} has no content hash in its name");
        let response = get(server, &format!("/pkg/{name}"), None).await;
        assert_eq!(response.status(), StatusCode::OK, "/pkg/{name}");
        assert_eq!(
            header(&response, "cache-control").as_deref(),
            Some(IMMUTABLE),
            "/pkg/{name}"
        );
        let built = std::fs::read(pkg.join(name)).unwrap();
        assert_eq!(
            response.bytes().await.unwrap().as_ref(),
            built.as_slice(),
            "/pkg/{name} is not the built file"
        );
    }
}

/// The workspace's real build (`cargo leptos build --split`, `hash-files` on in Cargo.toml): the
/// sign-in page links the main wasm, its JavaScript and the stylesheet by hashed names, a lazy
/// route's page links its chunks by hashed names, and every one is served immutable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_built_bundle_is_linked_by_hashed_names_and_immutable() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let pkg = site_root().join("pkg");
    assert!(
        pkg.is_dir(),
        "{} does not exist: run `cargo leptos build --split` (make build) first",
        pkg.display()
    );
    let dir = temp_dir();
    let server = Server::start(ServerSetup::new(&dir.path().join("data"))).await;
    assert!(
        server
            .log
            .text()
            .contains("bundle file names carry content hashes"),
        "the server did not find the build's hash file: {}",
        server.log.text()
    );

    let mut browser = Browser::new(&server);
    let login = browser.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    let links = bundle_links(&login.body);
    for ext in [".wasm", ".js", ".css"] {
        assert!(
            links
                .iter()
                .any(|l| l.starts_with("pexip-portal.") && l.ends_with(ext)),
            "the sign-in page links no pexip-portal…{ext}: {links:?}"
        );
    }
    check_hashed_and_immutable(&server, &pkg, &links).await;

    // A lazy route (the audit log): its wasm chunks are preloaded by hashed names too.
    browser.sign_in("admin", ADMIN_PASSWORD).await;
    let audit = browser.get("/audit").await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    let links = bundle_links(&audit.body);
    let chunks: Vec<&String> = links
        .iter()
        .filter(|l| l.ends_with(".wasm") && !l.starts_with("pexip-portal."))
        .collect();
    assert!(!chunks.is_empty(), "/audit preloads no chunk: {links:?}");
    check_hashed_and_immutable(&server, &pkg, &links).await;

    server.stop().await;
}
