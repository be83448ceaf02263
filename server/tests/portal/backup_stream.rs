//! Backup restores stream through the real `server` binary to the simulator over HTTPS: a large
//! restore upload (generated as it is sent, never allocated whole here) leaves the server's
//! resident memory almost where it was, a file over `backups.max_upload_bytes` is refused with
//! 413 before the rest of it is read, and an upload cut short leaves no temporary file behind.
//!
//! The measured restore is `PORTAL_TEST_RESTORE_BYTES` bytes (default 256 MiB, what CI sends;
//! the README records a 1 GiB run).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{ADMIN_PASSWORD, Browser, Server, ServerSetup, Upstream, temp_dir};
use bff::db::testing::TestDataDir;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PEXIP_PASSWORD: &str = "backup-stream-test-pexip-password";
const MIB: u64 = 1024 * 1024;
/// The size of the measured restore unless `PORTAL_TEST_RESTORE_BYTES` says otherwise.
const DEFAULT_RESTORE_BYTES: u64 = 256 * MIB;
/// The most the server's resident memory may grow during the measured restore.
const MAX_GROWTH_BYTES: u64 = 64 * MIB;
/// How long the server may take to answer once a request is sent or refused.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a temporary file may take to appear or to go.
const FILE_TIMEOUT: Duration = Duration::from_secs(15);
const BOUNDARY: &str = "portal-test-boundary-7f3a";

/// The measured restore's size in bytes.
fn restore_bytes() -> u64 {
    match std::env::var("PORTAL_TEST_RESTORE_BYTES") {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("PORTAL_TEST_RESTORE_BYTES={value:?} is not a number")),
        Err(_) => DEFAULT_RESTORE_BYTES,
    }
}

/// A server against a fresh simulator, restores capped at `max_upload_bytes`, signed in as
/// admin.
struct World {
    server: Server,
    cookie: String,
    data: TestDataDir,
    _upstream: Upstream,
}

impl World {
    async fn start(max_upload_bytes: u64) -> World {
        let data = temp_dir();
        let upstream = Upstream::start(data.path(), PEXIP_PASSWORD).await;
        let server = Server::start(
            ServerSetup::new(data.path())
                .envs(upstream.env())
                .env(
                    "PORTAL_BACKUPS__MAX_UPLOAD_BYTES",
                    max_upload_bytes.to_string(),
                )
                // The measured restore must not be cut by the portal's own request timeout.
                .env("PORTAL_SERVER__REQUEST_TIMEOUT_SECS", "900"),
        )
        .await;
        let mut browser = Browser::new(&server);
        browser.sign_in("admin", ADMIN_PASSWORD).await;
        let cookie = browser.cookie.clone().expect("a session cookie");
        World {
            server,
            cookie,
            data,
            _upstream: upstream,
        }
    }

    fn uploads_dir(&self) -> PathBuf {
        self.data.path().join("uploads")
    }

    fn upload_files(&self) -> Vec<PathBuf> {
        files_in(&self.uploads_dir())
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(&self.server.addr)
            .await
            .expect("connects to the server")
    }

    /// The request head of a restore: `length` is the Content-Length, `None` for chunked.
    fn head(&self, length: Option<u64>) -> String {
        let framing = match length {
            Some(length) => format!("Content-Length: {length}\r\n"),
            None => "Transfer-Encoding: chunked\r\n".to_string(),
        };
        format!(
            "POST /api/backups/restore HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n{framing}\r\n",
            self.server.addr, self.cookie
        )
    }
}

/// The multipart text before the package's bytes and after them (with the passphrase).
fn form_around_package() -> (Vec<u8>, Vec<u8>) {
    let before = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"package\"; filename=\"big-backup.tar\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    let after = format!(
        "\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\nstream test passphrase\r\n--{BOUNDARY}--\r\n"
    );
    (before.into_bytes(), after.into_bytes())
}

/// One MiB of the generated file (not a backup: it starts with no backup header).
fn pattern() -> Vec<u8> {
    (0..MIB).map(|i| (i % 251) as u8).collect()
}

/// Writes `bytes` bytes of the generated file.
async fn send_package(socket: &mut TcpStream, bytes: u64) {
    let chunk = pattern();
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        socket
            .write_all(&chunk[..n])
            .await
            .expect("the server reads the upload");
        left -= n as u64;
    }
}

/// The status and body of the server's answer on `socket`.
async fn answer(socket: &mut TcpStream) -> (u16, String) {
    let read = async {
        let mut raw = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            if let Some((status, body)) = parse_answer(&raw) {
                return (status, body);
            }
            let n = socket.read(&mut buffer).await.expect("the answer");
            assert!(
                n > 0,
                "the connection closed before a whole answer: {:?}",
                String::from_utf8_lossy(&raw)
            );
            raw.extend_from_slice(&buffer[..n]);
        }
    };
    tokio::time::timeout(ANSWER_TIMEOUT, read)
        .await
        .expect("an answer in time")
}

/// A whole HTTP answer with a Content-Length in `raw`, if it has all arrived.
fn parse_answer(raw: &[u8]) -> Option<(u16, String)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let body = raw.get(end + 4..end + 4 + length)?;
    Some((status, String::from_utf8_lossy(body).to_string()))
}

/// The messages for `field` in an `{"Invalid": ...}` error.
fn field_errors(body: &str, field: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    value["Invalid"]["fields"][field]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.expect("an entry").path()).collect())
        .unwrap_or_default()
}

/// Waits until `done` holds, checking every few milliseconds, at most `FILE_TIMEOUT`.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + FILE_TIMEOUT;
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    while !done() {
        assert!(
            Instant::now() < deadline,
            "{what}: not within {FILE_TIMEOUT:?}"
        );
        tick.tick().await;
    }
}

/// A `kB` line of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in bytes.
fn memory(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let kb: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"));
    kb * 1024
}

/// Sends a whole restore of `bytes` generated bytes; returns the answer.
async fn restore(world: &World, bytes: u64) -> (u16, String) {
    let (before, after) = form_around_package();
    let length = before.len() as u64 + bytes + after.len() as u64;
    let mut socket = world.connect().await;
    socket
        .write_all(world.head(Some(length)).as_bytes())
        .await
        .unwrap();
    socket.write_all(&before).await.unwrap();
    send_package(&mut socket, bytes).await;
    socket.write_all(&after).await.unwrap();
    answer(&mut socket).await
}

#[tokio::test]
async fn a_large_restore_streams_through_without_growing_the_servers_memory() {
    let size = restore_bytes();
    let world = World::start(size + MIB).await;
    let pid = world.server.pid();
    // A small restore first, so that the measured one finds every code path warm.
    let (status, body) = restore(&world, MIB).await;
    assert_eq!(status, 400, "{body}");

    let rss_before = memory(pid, "VmRSS");
    let started = Instant::now();
    let (status, body) = restore(&world, size).await;
    let elapsed = started.elapsed();
    let peak = memory(pid, "VmHWM");
    let rss_after = memory(pid, "VmRSS");
    eprintln!(
        "restore of {} MiB: {:.1} s ({:.0} MiB/s); server VmRSS before {:.1} MiB, VmHWM after {:.1} MiB, VmRSS after {:.1} MiB",
        size / MIB,
        elapsed.as_secs_f64(),
        (size / MIB) as f64 / elapsed.as_secs_f64(),
        rss_before as f64 / MIB as f64,
        peak as f64 / MIB as f64,
        rss_after as f64 / MIB as f64,
    );
    // The node read the whole form (the passphrase comes after the file) and refused the file
    // as no backup; the portal passes that on as the package's error.
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        field_errors(&body, "package"),
        ["The file is not a system backup."],
        "{body}"
    );
    let growth = peak.saturating_sub(rss_before);
    assert!(
        growth < MAX_GROWTH_BYTES,
        "the server's resident memory grew by {} MiB (peak {} MiB, before {} MiB) during a {} MiB restore",
        growth / MIB,
        peak / MIB,
        rss_before / MIB,
        size / MIB
    );
    assert_eq!(world.upload_files(), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn uploads_over_the_cap_get_413_early_and_cut_uploads_leave_no_file() {
    let cap = MIB;
    let world = World::start(cap).await;
    let (before, _) = form_around_package();

    // Announced larger than the cap: refused from the request head, nothing of the body sent.
    let mut socket = world.connect().await;
    socket
        .write_all(world.head(Some(4 * cap)).as_bytes())
        .await
        .unwrap();
    let (status, body) = answer(&mut socket).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        field_errors(&body, "package"),
        ["the file is larger than the 1 MiB a restore accepts"]
    );

    // No length announced: refused once the file passes the cap, while the rest (the form's
    // end) has not been sent.
    let mut socket = world.connect().await;
    socket.write_all(world.head(None).as_bytes()).await.unwrap();
    let mut chunked = Vec::new();
    let mut piece = |bytes: &[u8]| {
        chunked.extend_from_slice(format!("{:x}\r\n", bytes.len()).as_bytes());
        chunked.extend_from_slice(bytes);
        chunked.extend_from_slice(b"\r\n");
    };
    piece(&before);
    let data = pattern();
    piece(&data[..(cap / 2) as usize]);
    piece(&data[..(cap / 2) as usize]);
    piece(&data[..(64 * 1024) as usize]);
    socket.write_all(&chunked).await.unwrap();
    let (status, body) = answer(&mut socket).await;
    assert_eq!(status, 413, "{body}");
    assert!(!field_errors(&body, "package").is_empty(), "{body}");

    // Cut short: the connection drops midway through the file; its temporary file goes.
    let mut socket = world.connect().await;
    socket
        .write_all(world.head(Some(cap)).as_bytes())
        .await
        .unwrap();
    socket.write_all(&before).await.unwrap();
    socket.write_all(&data[..(cap / 2) as usize]).await.unwrap();
    wait_until("the upload's temporary file appears", || {
        !world.upload_files().is_empty()
    })
    .await;
    drop(socket);
    wait_until("the temporary file of the cut upload is deleted", || {
        world.upload_files().is_empty()
    })
    .await;

    // The server still takes a whole (small) restore afterwards, and keeps no file of it.
    let (status, body) = restore(&world, 64 * 1024).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        field_errors(&body, "package"),
        ["The file is not a system backup."]
    );
    assert!(world.upload_files().is_empty());
}
