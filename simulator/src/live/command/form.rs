//! The body of a command, however the client encoded it: form fields (`data={...}` in the
//! guide), a JSON object (`data=json.dumps(...)`, often without a content type), or multipart
//! with files (`files={'package': ...}`).

use std::collections::BTreeMap;

use axum::http::{HeaderMap, header};
use bytes::Bytes;
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub fields: BTreeMap<String, String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Form {
    /// A non-empty text field.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses the body; `Err` carries a message for the client.
pub async fn parse(headers: &HeaderMap, body: Bytes) -> Result<Form, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        return multipart(&content_type, body).await;
    }
    let trimmed = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .copied()
        .next();
    if content_type.contains("json") || trimmed == Some(b'{') {
        let value: Value = serde_json::from_slice(&body)
            .map_err(|e| format!("The request body is not valid JSON: {e}"))?;
        let Value::Object(map) = value else {
            return Err("The request body must be a JSON object.".into());
        };
        let fields = map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
            .collect();
        return Ok(Form {
            fields,
            files: BTreeMap::new(),
        });
    }
    let fields = form_urlencoded::parse(&body).into_owned().collect();
    Ok(Form {
        fields,
        files: BTreeMap::new(),
    })
}

async fn multipart(content_type: &str, body: Bytes) -> Result<Form, String> {
    let boundary =
        multer::parse_boundary(content_type).map_err(|e| format!("Invalid multipart body: {e}"))?;
    let stream = futures_util_stream(body);
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut form = Form::default();
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(format!("Invalid multipart body: {e}")),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let data = field
            .bytes()
            .await
            .map_err(|e| format!("Invalid multipart body: {e}"))?;
        if is_file {
            form.files.insert(name, data.to_vec());
        } else {
            form.fields
                .insert(name, String::from_utf8_lossy(&data).into_owned());
        }
    }
    Ok(form)
}

/// The whole body as a one-item stream, as multer reads it.
fn futures_util_stream(
    body: Bytes,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> {
    OneChunk(Some(body))
}

struct OneChunk(Option<Bytes>);

impl futures_core::Stream for OneChunk {
    type Item = Result<Bytes, std::io::Error>;
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

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if !ct.is_empty() {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        h
    }

    #[tokio::test]
    async fn form_json_and_multipart_bodies() {
        let f = parse(
            &headers("application/x-www-form-urlencoded"),
            Bytes::from("participant_id=abc&role=guest"),
        )
        .await
        .unwrap();
        assert_eq!(f.text("participant_id"), Some("abc"));
        let j = parse(
            &headers(""),
            Bytes::from(r#"{"instance_id": "i-1", "n": 3}"#),
        )
        .await
        .unwrap();
        assert_eq!(j.text("instance_id"), Some("i-1"));
        assert_eq!(j.text("n"), Some("3"));
        assert!(
            parse(&headers("application/json"), Bytes::from("{nope"))
                .await
                .is_err()
        );
        let body = "--XX\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\nsecret\r\n--XX\r\nContent-Disposition: form-data; name=\"package\"; filename=\"temp.bak\"\r\n\r\n\x01\x02\x03\r\n--XX--\r\n";
        let m = parse(
            &headers("multipart/form-data; boundary=XX"),
            Bytes::from(body),
        )
        .await
        .unwrap();
        assert_eq!(m.text("passphrase"), Some("secret"));
        assert_eq!(m.files["package"], vec![1, 2, 3]);
    }
}
