//! Sending one request: the in-flight and mutation limits, retries of GETs, and the mapping of
//! statuses and transport failures to [`ClientError`].

use std::error::Error as _;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, StatusCode};

use super::Client;
use super::error::ClientError;
use super::path::API_PREFIX;
use super::retry::parse_retry_after;
use super::stats::Outcome;
use super::tls;
use super::upload::UploadForm;
use crate::error::ApiError;

/// The longest piece of an unexpected body quoted in an error message.
const QUOTE_MAX: usize = 200;

/// What to send.
pub(crate) enum Body {
    None,
    Json(Vec<u8>),
    Multipart(UploadForm),
}

/// A request to a path under `/api/admin/`.
pub(crate) struct Request {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub body: Body,
    /// A file download: its answer may be as large as `max_download_bytes`, not only
    /// `max_response_bytes`.
    pub download: bool,
}

impl Request {
    pub(crate) fn get(path: String) -> Request {
        Request {
            method: Method::GET,
            path,
            query: String::new(),
            body: Body::None,
            download: false,
        }
    }

    /// A GET of a file.
    pub(crate) fn download(path: String) -> Request {
        Request {
            download: true,
            ..Request::get(path)
        }
    }
}

/// A successful answer.
pub(crate) struct Answer {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Client {
    /// Sends `request`: GETs with retries (unless `retries` is false), mutations once and one
    /// at a time; each attempt holds an in-flight permit until its body is read.
    pub(crate) async fn send(
        &self,
        request: Request,
        retries: bool,
    ) -> Result<Answer, ClientError> {
        debug_assert!(request.path.starts_with(API_PREFIX));
        let inner = &self.inner;
        if request.method != Method::GET {
            let _one_at_a_time = inner.mutations.lock().await;
            return self.attempt(request).await;
        }
        self.retrying(&request.path, retries, || {
            self.attempt(Request {
                method: Method::GET,
                path: request.path.clone(),
                query: request.query.clone(),
                body: Body::None,
                download: request.download,
            })
        })
        .await
    }

    /// Runs `attempt` (a GET of `path`) until it succeeds, fails for good, or the retries
    /// allowed by the policy are spent (no retries unless `retries`).
    pub(crate) async fn retrying<T, F, A>(
        &self,
        path: &str,
        retries: bool,
        mut attempt: A,
    ) -> Result<T, ClientError>
    where
        A: FnMut() -> F,
        F: Future<Output = Result<T, ClientError>>,
    {
        let inner = &self.inner;
        let mut retry = 0;
        loop {
            let error = match attempt().await {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            retry += 1;
            let delay = if retries {
                inner.retry.delay(retry, &error)
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(error);
            };
            tracing::info!(
                path,
                retry,
                delay_ms = delay.as_millis() as u64,
                "retrying a Pexip GET after: {error}"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt, under an in-flight permit.
    async fn attempt(&self, request: Request) -> Result<Answer, ClientError> {
        let inner = &self.inner;
        let _permit = self.in_flight_permit().await?;
        let mut builder = self.request(request.method.clone(), &request.path, &request.query);
        builder = match request.body {
            Body::None => builder,
            Body::Json(bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes),
            // A large file takes longer to send than an API request is allowed.
            Body::Multipart(form) => builder
                .timeout(inner.request_timeout + transfer_allowance(form.file_bytes()))
                .multipart(form.into_reqwest()),
        };
        let limit = if request.download {
            inner.max_download_bytes
        } else {
            inner.max_response_bytes
        };
        let started = Instant::now();
        inner.counters.request_sent();
        let outcome = async {
            let response = builder.send().await.map_err(transport_error)?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_body(response, limit, request.download).await?;
            Ok::<_, ClientError>((status, headers, body))
        }
        .await;
        let elapsed = started.elapsed();
        let recorded = match &outcome {
            Ok((status, _, _)) => Outcome::Status(status.as_u16()),
            Err(error) => Outcome::of_error(error),
        };
        inner
            .counters
            .outcomes
            .record(&request.method, &request.path, recorded, elapsed);
        let elapsed_ms = elapsed.as_millis() as u64;
        match outcome {
            Ok((status, headers, body)) => {
                tracing::debug!(method = %request.method, path = %request.path, status = status.as_u16(), elapsed_ms, "pexip request");
                check_status(status, headers, body)
            }
            Err(error) => {
                tracing::debug!(method = %request.method, path = %request.path, elapsed_ms, "pexip request failed: {error}");
                Err(error)
            }
        }
    }
}

/// The slowest transfer rate a file upload or download is given time for, in bytes per second:
/// on top of `pexip.request_timeout_secs`, a transfer of `n` bytes may take `n / MIN_TRANSFER_RATE`
/// seconds.
const MIN_TRANSFER_RATE: u64 = 1024 * 1024;

/// The time allowed, beyond the request timeout, to transfer `bytes` bytes.
pub(crate) fn transfer_allowance(bytes: u64) -> Duration {
    Duration::from_secs(bytes / MIN_TRANSFER_RATE)
}

impl Client {
    /// A request to `path` (under `/api/admin/`) with `query`, the node's credentials and
    /// `Accept: application/json`.
    pub(crate) fn request(&self, method: Method, path: &str, query: &str) -> RequestBuilder {
        let inner = &self.inner;
        let mut url = format!("{}{path}", inner.origin);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        inner
            .http
            .request(method, url)
            .basic_auth(&inner.username, Some(inner.password.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
    }
}

/// The error of an answer larger than `limit` bytes; `download`: the limit is
/// `pexip.max_download_bytes`, else `pexip.max_response_bytes`.
pub(crate) fn too_large(limit: u64, download: bool) -> ClientError {
    let key = if download {
        "pexip.max_download_bytes"
    } else {
        "pexip.max_response_bytes"
    };
    ClientError::InvalidResponse(format!(
        "the answer is larger than {limit} bytes (the limit set by {key})"
    ))
}

/// The answer's body, refused as soon as it is known to exceed `limit` bytes (from
/// `Content-Length`, or while reading it), so that a misbehaving node cannot fill the memory.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
    download: bool,
) -> Result<Vec<u8>, ClientError> {
    let too_large = || too_large(limit, download);
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport failure as a [`ClientError`].
pub(crate) fn transport_error(error: reqwest::Error) -> ClientError {
    if error.is_timeout() {
        return if error.is_connect() {
            ClientError::Unreachable("the connection timed out".into())
        } else {
            ClientError::Timeout
        };
    }
    if error.is_connect() {
        if let Some(problem) = tls_error_of(&error).and_then(tls::certificate_problem) {
            return ClientError::Untrusted(problem);
        }
        return ClientError::Unreachable(connect_reason(&error));
    }
    ClientError::Unreachable("the connection was lost".into())
}

/// The rustls error behind a failed connection, if any.
fn tls_error_of(error: &reqwest::Error) -> Option<&rustls::Error> {
    error.source().and_then(rustls_error_in)
}

/// The rustls error in `error` or its causes. An `io::Error` wrapping another error (tokio-rustls
/// wraps the rustls error in one, hyper-util that one in another) does not give it as its
/// `source()`, only through `get_ref()`.
fn rustls_error_in<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        .map(|inner| inner as &(dyn std::error::Error + 'static));
    wrapped
        .and_then(rustls_error_in)
        .or_else(|| error.source().and_then(rustls_error_in))
}

/// The most telling cause of a failed connection: a TLS error, or the OS's.
fn connect_reason(error: &reqwest::Error) -> String {
    if let Some(tls) = tls_error_of(error) {
        return format!("the TLS handshake failed: {tls}");
    }
    let mut source = error.source();
    let mut io_reason = None;
    while let Some(cause) = source {
        let text = cause.to_string();
        if text.contains("certificate") || text.contains("handshake") {
            return format!("the TLS handshake failed: {text}");
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            io_reason.get_or_insert_with(|| match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
                std::io::ErrorKind::ConnectionReset => "connection reset".to_owned(),
                _ => text,
            });
        }
        source = cause.source();
    }
    io_reason.unwrap_or_else(|| "cannot connect".to_owned())
}

/// A status and body as success or the matching [`ClientError`].
pub(crate) fn check_status(
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Result<Answer, ClientError> {
    if status.is_success() {
        return Ok(Answer { headers, body });
    }
    Err(match status.as_u16() {
        401 | 403 => ClientError::Unauthorized,
        404 => ClientError::NotFound,
        429 => ClientError::RateLimited {
            retry_after: parse_retry_after(headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok())),
        },
        300..=399 => {
            let to_login = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l.contains("/accounts/login"));
            if to_login {
                ClientError::Unauthorized
            } else {
                ClientError::InvalidResponse(format!("unexpected redirect ({status})"))
            }
        }
        400..=499 => match ApiError::from_body(&body) {
            Some(ApiError::Validation(errors)) => ClientError::Validation(errors),
            Some(ApiError::BadRequest(m)) | Some(ApiError::Server(m)) => ClientError::BadRequest(m),
            None => ClientError::BadRequest(quote(status, &body)),
        },
        500..=599 => ClientError::Upstream {
            status: status.as_u16(),
            message: match ApiError::from_body(&body) {
                Some(ApiError::Server(m)) | Some(ApiError::BadRequest(m)) => m,
                _ => quote(status, &body),
            },
        },
        _ => ClientError::InvalidResponse(format!("unexpected status {status}")),
    })
}

/// A short, printable piece of `body`, or the status's reason when there is none.
fn quote(status: StatusCode, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text: String = text
        .trim()
        .chars()
        .take(QUOTE_MAX)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.is_empty() {
        status
            .canonical_reason()
            .map_or_else(|| status.to_string(), str::to_owned)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn error(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> ClientError {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        match check_status(
            StatusCode::from_u16(status).unwrap(),
            map,
            body.as_bytes().to_vec(),
        ) {
            Err(e) => e,
            Ok(_) => panic!("{status} accepted"),
        }
    }

    #[test]
    fn statuses_map_to_typed_errors() {
        assert_eq!(error(401, &[], ""), ClientError::Unauthorized);
        assert_eq!(error(403, &[], ""), ClientError::Unauthorized);
        assert_eq!(
            error(302, &[("location", "/accounts/login/?next=/api/")], ""),
            ClientError::Unauthorized
        );
        assert!(matches!(
            error(302, &[("location", "https://elsewhere/")], ""),
            ClientError::InvalidResponse(_)
        ));
        assert_eq!(error(404, &[], ""), ClientError::NotFound);
        assert_eq!(
            error(429, &[("retry-after", "4")], ""),
            ClientError::RateLimited {
                retry_after: Some(Duration::from_secs(4))
            }
        );
        assert_eq!(
            error(
                400,
                &[],
                r#"{"error": "The 'x' field does not allow filtering."}"#
            ),
            ClientError::BadRequest("The 'x' field does not allow filtering.".into())
        );
        let v = error(
            400,
            &[],
            r#"{"conference": {"name": ["This field is required."]}}"#,
        );
        assert_eq!(
            v.form_errors().unwrap().field("name"),
            ["This field is required."]
        );
        assert_eq!(
            error(400, &[], "<html>\u{7}bad</html>"),
            ClientError::BadRequest("<html> bad</html>".into())
        );
        assert_eq!(
            error(500, &[], r#"{"error_message": "Sorry"}"#),
            ClientError::Upstream {
                status: 500,
                message: "Sorry".into()
            }
        );
        assert_eq!(
            error(503, &[], ""),
            ClientError::Upstream {
                status: 503,
                message: "Service Unavailable".into()
            }
        );
        assert!(matches!(
            error(101, &[], ""),
            ClientError::InvalidResponse(_)
        ));
    }
}
