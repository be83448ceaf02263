//! Offline licensing, as the guide describes it: an activation (`POST licence/` with
//! `"offline_mode": true`) or a return (`DELETE licence/<fulfillment_id>/?offline_mode=true`)
//! answers 202 with a `Location` naming the `licence_request` that holds the request document;
//! the licence server's response document is then POSTed to that `Location`.

use reqwest::Method;
use serde_json::json;

use super::Client;
use super::error::ClientError;
use super::ops::located;
use super::path::{Api, ObjectId, ObjectRef, detail_path, list_path};
use super::transport::{Answer, Body, Request};

/// The configuration resource holding installed licences.
pub const LICENCE: &str = "licence";
/// The configuration resource holding offline requests and their documents.
pub const LICENCE_REQUEST: &str = "licence_request";

impl Client {
    /// Asks for an offline activation of `entitlement_id`; returns the `licence_request` the
    /// node's 202 `Location` names.
    pub async fn licence_activate_offline(
        &self,
        entitlement_id: &str,
    ) -> Result<ObjectRef, ClientError> {
        let body = json!({ "entitlement_id": entitlement_id, "offline_mode": true });
        let request = Request {
            method: Method::POST,
            path: list_path(Api::Configuration, LICENCE),
            query: String::new(),
            body: Body::Json(body.to_string().into_bytes()),
            download: false,
        };
        let answer = self.send(request, false).await?;
        licence_request_of(&answer)
    }

    /// Asks for an offline return of the licence `fulfillment_id`; returns the
    /// `licence_request` the node's 202 `Location` names. The licence stays active until the
    /// response document is posted.
    pub async fn licence_return_offline(
        &self,
        fulfillment_id: &ObjectId,
    ) -> Result<ObjectRef, ClientError> {
        let request = Request {
            method: Method::DELETE,
            path: detail_path(Api::Configuration, LICENCE, fulfillment_id),
            query: "offline_mode=true".into(),
            body: Body::None,
            download: false,
        };
        let answer = self.send(request, false).await?;
        licence_request_of(&answer)
    }

    /// Posts the licence server's response document to the pending request `sequence_number`
    /// (the `Location` of the activation or return); the node applies it and consumes the
    /// request.
    pub async fn licence_request_complete(
        &self,
        sequence_number: &ObjectId,
        response: &str,
    ) -> Result<(), ClientError> {
        let request = Request {
            method: Method::POST,
            path: detail_path(Api::Configuration, LICENCE_REQUEST, sequence_number),
            query: String::new(),
            body: Body::Json(json!({ "response": response }).to_string().into_bytes()),
            download: false,
        };
        self.send(request, false).await.map(drop)
    }
}

/// The `licence_request` an offline activation or return answered with. A `Location` naming
/// anything else (a node that activated online although asked for offline mode) is an error
/// that says so.
fn licence_request_of(answer: &Answer) -> Result<ObjectRef, ClientError> {
    let named = located(answer, "the licence request")?;
    if named.api == Api::Configuration && named.resource == LICENCE_REQUEST {
        Ok(named)
    } else {
        Err(ClientError::InvalidResponse(format!(
            "the node answered with {} instead of a licence request (is offline mode supported?)",
            named.uri()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, LOCATION};

    fn answer(location: Option<&str>) -> Answer {
        let mut headers = HeaderMap::new();
        if let Some(l) = location {
            headers.insert(LOCATION, l.parse().unwrap());
        }
        Answer {
            headers,
            body: Vec::new(),
        }
    }

    #[test]
    fn the_location_must_name_a_licence_request() {
        let named = licence_request_of(&answer(Some(
            "https://mgr.example.com/api/admin/configuration/v1/licence_request/3/",
        )))
        .unwrap();
        assert_eq!(named.resource, LICENCE_REQUEST);
        assert_eq!(named.id, ObjectId::parse("3").unwrap());

        let message = |location| match licence_request_of(&answer(location)) {
            Err(ClientError::InvalidResponse(m)) => m,
            other => panic!("{location:?}: {other:?}"),
        };
        assert_eq!(message(None), "no Location for the licence request");
        assert!(
            message(Some("/api/admin/configuration/v1/licence/1234567890/")).contains(
                "/api/admin/configuration/v1/licence/1234567890/ instead of a licence request"
            ),
        );
        assert!(message(Some("/elsewhere/")).contains("not a resource URI"));
        assert!(message(Some("elsewhere")).contains("not a URL"));
    }
}
