//! File downloads (system backups) passed on as they arrive, never held whole in memory: the
//! answer's body is read chunk by chunk by whoever consumes the [`Download`].

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, Stream};
use reqwest::Method;

use super::Client;
use super::error::ClientError;
use super::path::{Api, ObjectId, check_name, detail_path};
use super::stats::Outcome;
use super::transport::{check_status, read_body, too_large, transfer_allowance, transport_error};

/// A file being downloaded from the node: a stream of its chunks, at most
/// `pexip.max_download_bytes` in all. A failure while reading (the connection lost, a stall of
/// more than `pexip.request_timeout_secs`, the cap exceeded) is the stream's last item. The
/// request counts against `pexip.max_in_flight` until the stream is finished or dropped.
pub struct Download {
    length: Option<u64>,
    chunks: BoxStream<'static, Result<Bytes, ClientError>>,
}

impl Download {
    /// The file's size as the node announced it (`Content-Length`), if it did.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// The next chunk, or `None` at the end of the file.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, ClientError> {
        std::future::poll_fn(|cx| self.chunks.as_mut().poll_next(cx))
            .await
            .transpose()
    }
}

impl Stream for Download {
    type Item = Result<Bytes, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// An in-flight permit held for as long as a download is read.
struct InFlight(Client);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.release_in_flight();
    }
}

/// A download's state between chunks.
struct Reading {
    response: reqwest::Response,
    path: String,
    read: u64,
    limit: u64,
    /// The longest wait for the next chunk.
    stall: Duration,
    _permit: InFlight,
}

impl Client {
    /// The file of one object (a system backup), streamed: the answer is checked (status,
    /// announced size) before this returns; the body is read as the [`Download`] is consumed.
    /// Connection failures and 429/502/503/504 before the body starts are retried like any GET.
    pub async fn download_stream(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
    ) -> Result<Download, ClientError> {
        check_name(resource)?;
        let path = detail_path(api, resource, id);
        self.retrying(&path, true, || self.open_download(&path))
            .await
    }

    /// One attempt: the answer's status and headers, under an in-flight permit the download
    /// keeps.
    async fn open_download(&self, path: &str) -> Result<Download, ClientError> {
        let inner = &self.inner;
        self.in_flight_permit().await?.forget();
        let permit = InFlight(self.clone());
        let limit = inner.max_download_bytes;
        let request = self
            .request(Method::GET, path, "")
            .timeout(inner.request_timeout + transfer_allowance(limit));
        let started = Instant::now();
        inner.counters.request_sent();
        let sent = tokio::time::timeout(inner.request_timeout, request.send())
            .await
            .map_err(|_| ClientError::Timeout)
            .and_then(|sent| sent.map_err(transport_error));
        // Recorded when the status arrives: the file itself may take minutes.
        let outcome = match &sent {
            Ok(response) => Outcome::Status(response.status().as_u16()),
            Err(error) => Outcome::of_error(error),
        };
        inner
            .counters
            .outcomes
            .record(&Method::GET, path, outcome, started.elapsed());
        let response = sent?;
        let status = response.status();
        tracing::debug!(path, status = status.as_u16(), "pexip download");
        if !status.is_success() {
            let headers = response.headers().clone();
            let body = read_body(response, inner.max_response_bytes, false).await?;
            // Any status but a success is an error here.
            check_status(status, headers, body)?;
            return Err(ClientError::InvalidResponse(format!(
                "unexpected status {status}"
            )));
        }
        let length = response.content_length();
        if length.is_some_and(|length| length > limit) {
            return Err(too_large(limit, true));
        }
        let reading = Reading {
            response,
            path: path.to_owned(),
            read: 0,
            limit,
            stall: inner.request_timeout,
            _permit: permit,
        };
        let chunks = stream::unfold(Some(reading), |state| async move {
            let mut reading = state?;
            let next = match tokio::time::timeout(reading.stall, reading.response.chunk()).await {
                Err(_) => Err(ClientError::Timeout),
                Ok(Err(error)) => Err(transport_error(error)),
                Ok(Ok(None)) => return None,
                Ok(Ok(Some(chunk))) => {
                    reading.read += chunk.len() as u64;
                    if reading.read > reading.limit {
                        Err(too_large(reading.limit, true))
                    } else {
                        Ok(chunk)
                    }
                }
            };
            match next {
                Ok(chunk) => Some((Ok(chunk), Some(reading))),
                Err(error) => {
                    tracing::warn!(path = %reading.path, read = reading.read, "a download from the Pexip Management Node failed: {error}");
                    Some((Err(error), None))
                }
            }
        });
        Ok(Download {
            length,
            chunks: Box::pin(chunks),
        })
    }
}
