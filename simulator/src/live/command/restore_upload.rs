//! The multipart body of a backup restore, read as it arrives instead of buffered whole, so that
//! a very large upload costs the simulator no more memory than a real backup: a file part is
//! kept while it can still be a backup (its first bytes are a backup's header) and up to the
//! node's limit; once its first bytes show it is not a backup, the rest is read and dropped.
//! What is kept is enough for the restore to refuse the file exactly as it would the whole file.

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::form::Form;
use crate::http::response;
use crate::live::backup::crypto;

/// How much of a file that is no backup is kept.
const NOT_A_BACKUP_KEPT: usize = 64;

/// Reads a `multipart/form-data` body with `boundary`; file parts that may be backups are kept
/// whole up to `max_bytes` (then `413`), others are kept as their first bytes only.
pub async fn read(body: Body, boundary: String, max_bytes: usize) -> Result<Form, Response> {
    let mut parts = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut form = Form::default();
    let mut kept = 0usize;
    let bad = |e: multer::Error| response::bad_request(format!("Invalid multipart body: {e}"));
    while let Some(mut field) = parts.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let mut data = Vec::new();
        let mut keeping = true;
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if !keeping {
                continue;
            }
            data.extend_from_slice(&chunk);
            if is_file && !crypto::may_be_backup(&data) {
                data.truncate(NOT_A_BACKUP_KEPT);
                keeping = false;
            } else if kept + data.len() > max_bytes {
                return Err(too_large(max_bytes));
            }
        }
        kept += data.len();
        if is_file {
            form.files.insert(name, data);
        } else {
            form.fields
                .insert(name, String::from_utf8_lossy(&data).into_owned());
        }
    }
    Ok(form)
}

fn too_large(max_bytes: usize) -> Response {
    response::json(
        StatusCode::PAYLOAD_TOO_LARGE,
        &json!({"error": format!("The request body is larger than the {max_bytes} bytes this node accepts.")}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::backup::BackupError;
    use bytes::Bytes;
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A body arriving in chunks of 1 KiB.
    struct Chunks(VecDeque<Bytes>);

    impl futures_core::Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front().map(Ok))
        }
    }

    /// A multipart body (boundary `XyZ`) with `package` as a file and `passphrase`.
    fn restore_body(package: &[u8]) -> Body {
        let mut raw = b"--XyZ\r\nContent-Disposition: form-data; name=\"package\"; filename=\"b.tar\"\r\n\r\n".to_vec();
        raw.extend_from_slice(package);
        raw.extend_from_slice(
            b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\npw\r\n--XyZ--\r\n",
        );
        let chunks = raw.chunks(1024).map(Bytes::copy_from_slice).collect();
        Body::from_stream(Chunks(chunks))
    }

    #[tokio::test]
    async fn a_file_that_is_no_backup_is_read_to_its_end_but_kept_as_its_first_bytes() {
        let junk = vec![b'x'; 100 * 1024];
        let form = read(restore_body(&junk), "XyZ".into(), 4096)
            .await
            .expect("read whole, beyond the limit");
        let kept = &form.files["package"];
        assert_eq!(kept.len(), NOT_A_BACKUP_KEPT);
        assert_eq!(form.fields["passphrase"], "pw");
        // Refused as the whole file would be.
        assert_eq!(
            crypto::open("pw", kept).unwrap_err(),
            BackupError::NotABackup
        );
        assert_eq!(
            crypto::open("pw", &junk).unwrap_err(),
            BackupError::NotABackup
        );
    }

    #[tokio::test]
    async fn a_file_that_may_be_a_backup_is_kept_whole_up_to_the_limit() {
        let mut file = b"PEXSIMBK".to_vec();
        file.extend(vec![0u8; 8 * 1024]);
        let form = read(restore_body(&file), "XyZ".into(), 64 * 1024)
            .await
            .expect("within the limit");
        assert_eq!(form.files["package"], file);
        let refused = read(restore_body(&file), "XyZ".into(), 4096)
            .await
            .unwrap_err();
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
