//! The answer body cap: a node answering more than `max_response_bytes` (announced by
//! `Content-Length` or streamed without it) fails the request with a clear error instead of
//! filling the memory; backup downloads have their own, larger `max_download_bytes`.

mod client_support;

use client_support::{PASSWORD, Upstream};
use pexip::Query;
use pexip::client::{Api, Client, ClientError, ObjectId, PexipConfig, Secret};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn too_large(error: &ClientError, key: &str) -> bool {
    matches!(error, ClientError::InvalidResponse(message)
        if message.contains("larger than") && message.contains(key))
}

#[tokio::test]
async fn answers_beyond_the_cap_fail_and_downloads_have_their_own() {
    let up = Upstream::start().await;
    let client = up.client();
    for n in 0..20 {
        client
            .create(
                Api::Configuration,
                "conference",
                &json!({ "name": format!("Room {n}"), "service_type": "conference" }),
            )
            .await
            .unwrap();
    }
    client
        .command("platform", "backup_create", &json!({"passphrase": "pass"}))
        .await
        .unwrap();
    let backups = client
        .list(Api::Configuration, "system_backup", &Query::new())
        .await
        .unwrap();
    let filename = backups.objects[0]["filename"].as_str().unwrap();
    let size = backups.objects[0]["size"].as_u64().unwrap();
    let id = ObjectId::key(filename).unwrap();

    // A cap below the list's size: the list fails, clearly; below the backup's size: the
    // download still works, as it is capped by max_download_bytes.
    let capped = up.client_with(PexipConfig {
        max_response_bytes: 1024,
        ..up.config()
    });
    let error = capped
        .list(Api::Configuration, "conference", &Query::new().limit(20))
        .await
        .unwrap_err();
    assert!(too_large(&error, "pexip.max_response_bytes"), "{error}");
    assert!(
        size > 1024,
        "the backup ({size} bytes) is larger than the cap"
    );
    let file = capped
        .download(Api::Configuration, "system_backup", &id)
        .await
        .expect("the download is capped by max_download_bytes");
    assert_eq!(file.len() as u64, size);

    let small_downloads = up.client_with(PexipConfig {
        max_download_bytes: size - 1,
        ..up.config()
    });
    let error = small_downloads
        .download(Api::Configuration, "system_backup", &id)
        .await
        .unwrap_err();
    assert!(too_large(&error, "pexip.max_download_bytes"), "{error}");
    // A cap of exactly the size is enough.
    let exact = up.client_with(PexipConfig {
        max_download_bytes: size,
        ..up.config()
    });
    assert_eq!(
        exact
            .download(Api::Configuration, "system_backup", &id)
            .await
            .unwrap()
            .len() as u64,
        size
    );
}

/// A node that streams `chunks` chunks of 1 KiB of JSON-ish bytes (no `Content-Length`) to every
/// request, over plain HTTP.
async fn streaming_node(chunks: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("400\r\n{}\r\n", " ".repeat(1024));
                for _ in 0..chunks {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    format!("http://{addr}")
}

fn client_for(url: String, max_response_bytes: u64) -> Client {
    Client::new(&PexipConfig {
        url: Some(url),
        password: Some(Secret::new(PASSWORD)),
        max_retries: 0,
        max_response_bytes,
        ..PexipConfig::default()
    })
    .expect("client")
}

#[tokio::test]
async fn a_streamed_answer_is_cut_at_the_cap() {
    // 1 GiB announced by nobody: the client stops reading at 64 KiB.
    let url = streaming_node(1024 * 1024).await;
    let error = client_for(url, 64 * 1024)
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap_err();
    assert!(too_large(&error, "pexip.max_response_bytes"), "{error}");

    // Under the cap, the same node's answer is read whole (and then is not valid JSON).
    let url = streaming_node(4).await;
    let error = client_for(url, 64 * 1024)
        .list(Api::Configuration, "conference", &Query::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ClientError::InvalidResponse(m) if !m.contains("larger than")),
        "{error}"
    );
}
