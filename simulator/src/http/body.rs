//! Request bodies as the guide's examples send them: JSON whatever the content type says
//! (python `requests` with `data=json.dumps(...)` sends none), or multipart form data where the
//! guide uploads files (`files={'package': ...}`).

use axum::http::{HeaderMap, header};
use bytes::Bytes;
use serde_json::{Map, Value};

/// A decoded request body.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    /// No body at all.
    Empty,
    Json(Value),
    /// Multipart form data: text parts as strings, file parts as their file names.
    Form {
        fields: Map<String, Value>,
        files: Vec<UploadedFile>,
    },
}

/// One file part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Bytes,
}

impl RequestBody {
    /// The body as a JSON object: a JSON object, or the form's fields with each file part's
    /// field set to its file name. The error says what is wrong.
    pub fn into_object(self) -> Result<Map<String, Value>, String> {
        match self {
            RequestBody::Empty => {
                Err("The request body is empty; a JSON object is expected.".to_owned())
            }
            RequestBody::Json(v) => crate::validate::as_object(v),
            RequestBody::Form { mut fields, files } => {
                for f in files {
                    fields.insert(f.field, Value::String(f.file_name));
                }
                Ok(fields)
            }
        }
    }
}

/// Decodes `bytes` given the request's headers.
pub async fn decode(headers: &HeaderMap, bytes: Bytes) -> Result<RequestBody, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Ok(boundary) = multer::parse_boundary(content_type) {
        return multipart(bytes, boundary).await;
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(RequestBody::Empty);
    }
    serde_json::from_slice(&bytes)
        .map(RequestBody::Json)
        .map_err(|e| format!("The request body is not valid JSON: {e}."))
}

async fn multipart(bytes: Bytes, boundary: String) -> Result<RequestBody, String> {
    let stream = futures_once(bytes);
    let mut form = multer::Multipart::new(stream, boundary);
    let mut fields = Map::new();
    let mut files = Vec::new();
    let bad = |e: multer::Error| format!("The multipart body is malformed: {e}.");
    while let Some(part) = form.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or_default().to_owned();
        match part.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = part.bytes().await.map_err(bad)?;
                files.push(UploadedFile {
                    field: name,
                    file_name,
                    bytes,
                });
            }
            None => {
                let text = part.text().await.map_err(bad)?;
                fields.insert(name, Value::String(text));
            }
        }
    }
    Ok(RequestBody::Form { fields, files })
}

/// A stream yielding `bytes` once.
fn futures_once(
    bytes: Bytes,
) -> impl futures_core::Stream<Item = Result<Bytes, std::convert::Infallible>> {
    Once(Some(bytes))
}

struct Once(Option<Bytes>);

impl futures_core::Stream for Once {
    type Item = Result<Bytes, std::convert::Infallible>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[tokio::test]
    async fn json_without_content_type() {
        let body = decode(&HeaderMap::new(), Bytes::from(r#"{"pin": "1234"}"#))
            .await
            .unwrap();
        assert_eq!(body, RequestBody::Json(serde_json::json!({"pin": "1234"})));
        assert!(
            decode(&HeaderMap::new(), Bytes::from("{nope"))
                .await
                .is_err()
        );
        assert_eq!(
            decode(&HeaderMap::new(), Bytes::new()).await.unwrap(),
            RequestBody::Empty
        );
    }

    #[tokio::test]
    async fn multipart_files_and_fields() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=XyZ"),
        );
        let raw = "--XyZ\r\nContent-Disposition: form-data; name=\"package\"; filename=\"theme.zip\"\r\n\r\nPK\x03\x04\r\n--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nNew theme\r\n--XyZ--\r\n";
        let body = decode(&headers, Bytes::from(raw)).await.unwrap();
        let RequestBody::Form { fields, files } = body.clone() else {
            panic!("{body:?}")
        };
        assert_eq!(fields["name"], "New theme");
        assert_eq!(files[0].file_name, "theme.zip");
        assert_eq!(&files[0].bytes[..], b"PK\x03\x04");
        let object = body.into_object().unwrap();
        assert_eq!(object["package"], "theme.zip");
    }
}
