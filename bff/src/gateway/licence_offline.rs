//! Offline licensing (admins only), for a Management Node that cannot reach Pexip's licence
//! server: an activation or a return leaves a pending `licence_request` holding a request
//! document; the admin takes that document to Pexip's licensing portal and brings its response
//! document back, which completes the request (the licence is installed or removed).

use super::{BffError, MAX_PAGE, config_uri};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::licence::{LICENCE, LICENCE_REQUEST};
use pexip::client::{Api, ObjectId};
use pexip::query::Query;
use serde_json::{Value, json};

/// The largest response document accepted (licence server responses are a few KB).
pub const MAX_RESPONSE_DOCUMENT_BYTES: usize = 64 * 1024;

/// The field names the refusals are reported under (the names of the page's form fields).
pub const SEQUENCE_FIELD: &str = "sequence_number";
pub const RESPONSE_FIELD: &str = "response";

/// A pending request's number as the node gives it (a positive integer), or a refusal.
fn sequence_id(sequence_number: &str) -> Result<ObjectId, BffError> {
    match ObjectId::parse(sequence_number.trim()) {
        Ok(id @ ObjectId::Int(_)) => Ok(id),
        _ => Err(BffError::field(
            SEQUENCE_FIELD,
            "Choose one of the pending licence requests.",
        )),
    }
}

/// Checks a response document before it is sent: present, at most
/// [`MAX_RESPONSE_DOCUMENT_BYTES`], text (no control characters but line breaks and tabs).
pub fn check_response_document(document: &str) -> Result<&str, BffError> {
    let document = document.trim();
    if document.is_empty() {
        return Err(BffError::field(
            RESPONSE_FIELD,
            "Choose or paste the response document from Pexip's licensing portal.",
        ));
    }
    if document.len() > MAX_RESPONSE_DOCUMENT_BYTES {
        return Err(BffError::field(
            RESPONSE_FIELD,
            format!(
                "The response document is larger than {} KB: this is not a licence response document.",
                MAX_RESPONSE_DOCUMENT_BYTES / 1024
            ),
        ));
    }
    if document
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(BffError::field(
            RESPONSE_FIELD,
            "The response document must be text: choose the file Pexip's licensing portal gave for this request.",
        ));
    }
    Ok(document)
}

fn text(record: &Value, field: &str) -> String {
    match record.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

impl Portal {
    /// The pending offline requests (`licence_request`), each with its request document.
    pub async fn licence_requests_list(
        &self,
        actor: &Actor,
    ) -> Result<ListResponse<Value>, BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        Ok(self
            .pexip
            .list(
                Api::Configuration,
                LICENCE_REQUEST,
                &Query::new().limit(MAX_PAGE),
            )
            .await?)
    }

    /// Asks the node for an offline activation of `entitlement_id`; answers the new pending
    /// request's sequence number.
    pub async fn licence_offline_activate(
        &self,
        actor: &Actor,
        entitlement_id: &str,
    ) -> Result<String, BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let entitlement_id = entitlement_id.trim();
        let changes = json!({ "entitlement_id": { "before": null, "after": entitlement_id } });
        let outcome = self.pexip.licence_activate_offline(entitlement_id).await;
        let uri = outcome.as_ref().ok().map(|request| request.uri());
        let outcome = outcome
            .map(|request| request.id.to_string())
            .map_err(BffError::from);
        self.audit(
            actor,
            "licence.offline_activate",
            uri,
            changes,
            None,
            outcome,
        )
        .await
    }

    /// Asks the node for an offline return of the licence `fulfillment_id` (it stays
    /// installed until the response document is uploaded); answers the pending request's
    /// sequence number.
    pub async fn licence_offline_return(
        &self,
        actor: &Actor,
        fulfillment_id: &str,
    ) -> Result<String, BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let id = ObjectId::key(fulfillment_id.trim())?;
        let uri = config_uri(LICENCE, id.clone());
        let outcome = self.pexip.licence_return_offline(&id).await;
        let changes = match &outcome {
            Ok(request) => json!({ "licence_request": { "before": null, "after": request.uri() } }),
            Err(_) => json!({}),
        };
        let outcome = outcome
            .map(|request| request.id.to_string())
            .map_err(BffError::from);
        self.audit(
            actor,
            "licence.offline_return",
            Some(uri),
            changes,
            None,
            outcome,
        )
        .await
    }

    /// The request document of the pending request `sequence_number`, to take to Pexip's
    /// licensing portal.
    pub async fn licence_request_document(
        &self,
        actor: &Actor,
        sequence_number: &str,
    ) -> Result<String, BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let id = sequence_id(sequence_number)?;
        let request = self
            .pexip
            .get(Api::Configuration, LICENCE_REQUEST, &id)
            .await?;
        let document = text(&request, "request");
        if document.is_empty() {
            return Err(BffError::NotFound);
        }
        Ok(document)
    }

    /// Uploads the licence server's response document for the pending request
    /// `sequence_number`: the node installs (or removes) the licence and the request is gone.
    /// The document is checked first ([`check_response_document`]); the audit trail records
    /// which request it completed and its size, not the document.
    pub async fn licence_offline_complete(
        &self,
        actor: &Actor,
        sequence_number: &str,
        response: &str,
    ) -> Result<(), BffError> {
        self.scope(actor, Operation::LicencesManage)?;
        let id = sequence_id(sequence_number)?;
        let document = check_response_document(response)?;
        let uri = config_uri(LICENCE_REQUEST, id.clone());
        let pending = self
            .pexip
            .get(Api::Configuration, LICENCE_REQUEST, &id)
            .await?;
        let changes = json!({
            "actions": text(&pending, "actions"),
            "reference": text(&pending, "reference"),
            "response_bytes": document.len(),
        });
        let outcome = self
            .pexip
            .licence_request_complete(&id, document)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "licence.offline_complete",
            Some(uri),
            changes,
            None,
            outcome,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(result: Result<impl std::fmt::Debug, BffError>) -> (String, String) {
        match result {
            Err(BffError::Invalid(fields)) => {
                let (field, messages) = fields.into_iter().next().expect("a field");
                (field, messages.join(" "))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn response_documents_are_checked() {
        assert_eq!(
            check_response_document("  <LicenseResponse/>\n").unwrap(),
            "<LicenseResponse/>"
        );
        assert_eq!(
            check_response_document("<a>\r\n\tb</a>").unwrap(),
            "<a>\r\n\tb</a>"
        );
        let (field, message) = refusal(check_response_document(" \n "));
        assert_eq!(field, RESPONSE_FIELD);
        assert!(message.contains("Choose or paste"), "{message}");
        let big = "x".repeat(MAX_RESPONSE_DOCUMENT_BYTES + 1);
        assert!(refusal(check_response_document(&big)).1.contains("64 KB"));
        assert!(
            check_response_document(&"x".repeat(MAX_RESPONSE_DOCUMENT_BYTES)).is_ok(),
            "the cap itself is accepted"
        );
        assert!(
            refusal(check_response_document("PK\u{3}\u{4}binary"))
                .1
                .contains("must be text")
        );
    }

    #[test]
    fn sequence_numbers_are_positive_integers() {
        assert_eq!(sequence_id(" 12 ").unwrap(), ObjectId::Int(12));
        for bad in ["", "abc", "../1", "1/2", "-3", "1.5"] {
            assert_eq!(refusal(sequence_id(bad)).0, SEQUENCE_FIELD, "{bad:?}");
        }
    }
}
