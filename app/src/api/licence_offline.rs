//! Offline licensing (admins only): asking the node for an offline activation or return, the
//! pending requests (`licence_request`) and completing one with the licence server's response
//! document. The request documents themselves are downloaded from
//! `GET /api/licences/requests/{sequence_number}/document` (a file route in the server).

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The largest response document the portal takes (the gateway's
/// `bff::gateway::MAX_RESPONSE_DOCUMENT_BYTES`; the browser checks a chosen file against it
/// before reading it).
pub const MAX_RESPONSE_DOCUMENT_BYTES: usize = 64 * 1024;

/// One pending offline request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceRequest {
    /// The node's number for it (the `licence_request` id).
    pub sequence_number: String,
    /// "Activation" or "Return".
    pub action: String,
    /// The entitlement key (activation) or fulfillment id (return) it is about.
    pub reference: String,
    /// Where it stands, for people.
    pub state: String,
}

/// Where the request document of `sequence_number` is downloaded from.
pub fn document_href(sequence_number: &str) -> String {
    format!("/api/licences/requests/{sequence_number}/document")
}

/// The name a downloaded request document is saved under.
pub fn document_file_name(sequence_number: &str) -> String {
    format!("pexip-licence-request-{sequence_number}.xml")
}

#[cfg(feature = "ssr")]
fn request_of(record: &serde_json::Value) -> LicenceRequest {
    use super::fields::text;
    let action = match text(record, "actions").as_str() {
        "activate" => "Activation".to_string(),
        "return" => "Return".to_string(),
        other => other.to_string(),
    };
    let state = if text(record, "response").trim().is_empty() {
        "Waiting for the response document"
    } else {
        "Response document received, being applied"
    };
    LicenceRequest {
        sequence_number: text(record, "sequence_number"),
        action,
        reference: text(record, "reference"),
        state: state.to_string(),
    }
}

/// The pending offline requests, oldest first.
#[server(endpoint = "licences/requests", output = crate::api::JsonText)]
pub async fn load_licence_requests() -> Result<Vec<LicenceRequest>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let list = portal.licence_requests_list(&actor).await?;
    let mut requests: Vec<LicenceRequest> = list.objects.iter().map(request_of).collect();
    requests.sort_by_key(|r| r.sequence_number.parse::<u64>().unwrap_or(u64::MAX));
    Ok(requests)
}

/// Step 1, activation: asks the node for the request document of an offline activation of
/// `entitlement_id`; answers the pending request's number.
#[server(endpoint = "licences/offline/activate", output = crate::api::JsonText)]
pub async fn request_offline_activation(entitlement_id: String) -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .licence_offline_activate(&actor, &entitlement_id)
        .await?)
}

/// Step 1, return: asks the node for the request document of an offline return of the licence
/// `fulfillment_id`; answers the pending request's number.
#[server(endpoint = "licences/offline/return", output = crate::api::JsonText)]
pub async fn request_offline_return(fulfillment_id: String) -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .licence_offline_return(&actor, &fulfillment_id)
        .await?)
}

/// Step 4: the licence server's response document for the pending request
/// `sequence_number`.
#[server(endpoint = "licences/offline/complete", output = crate::api::JsonText)]
pub async fn complete_offline_request(
    sequence_number: String,
    response: String,
) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal
        .licence_offline_complete(&actor, &sequence_number, &response)
        .await?)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_browser_cap_is_the_gateways() {
        assert_eq!(
            MAX_RESPONSE_DOCUMENT_BYTES,
            bff::gateway::MAX_RESPONSE_DOCUMENT_BYTES
        );
    }

    #[test]
    fn requests_read_with_their_state() {
        let waiting = request_of(
            &json!({"actions": "activate", "reference": "ABCD-1234-5678-9ABC",
            "request": "<LicenseRequest/>", "response": "", "sequence_number": "3"}),
        );
        assert_eq!(
            waiting,
            LicenceRequest {
                sequence_number: "3".into(),
                action: "Activation".into(),
                reference: "ABCD-1234-5678-9ABC".into(),
                state: "Waiting for the response document".into(),
            }
        );
        let answered = request_of(&json!({"actions": "return", "reference": "1234567890",
            "response": "<LicenseResponse/>", "sequence_number": 4}));
        assert_eq!(answered.action, "Return");
        assert_eq!(answered.sequence_number, "4");
        assert!(answered.state.starts_with("Response document received"));
        assert_eq!(document_href("4"), "/api/licences/requests/4/document");
    }
}
