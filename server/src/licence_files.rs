//! `GET /api/licences/requests/{sequence_number}/document`: the request document of a pending
//! offline licence request, as a file to take to Pexip's licensing portal (admins only). A plain
//! GET so that a link downloads it; the document comes from the Management Node through the
//! gateway (the browser never talks to the node). The response document goes back through the
//! `licences/offline/complete` server function.

use crate::signed_in::{SignedIn, error_response};
use app::api::AppError;
use app::api::licence_offline::document_file_name;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use bff::portal::Portal;

pub const PATH: &str = "/api/licences/requests/{sequence_number}/document";

pub fn router(portal: Portal) -> Router {
    Router::new().route(PATH, get(document)).with_state(portal)
}

/// A sequence number as the node writes them: 1 to 19 digits. Anything else is refused here,
/// before it reaches a header or the node.
fn check_sequence(sequence_number: &str) -> Result<&str, AppError> {
    if !sequence_number.is_empty()
        && sequence_number.len() <= 19
        && sequence_number.bytes().all(|b| b.is_ascii_digit())
    {
        Ok(sequence_number)
    } else {
        let message = "not a licence request number".to_string();
        Err(AppError::Invalid {
            message: message.clone(),
            fields: [("sequence_number".to_string(), vec![message])].into(),
        })
    }
}

async fn document(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Path(sequence_number): Path<String>,
) -> Response {
    let sequence_number = match check_sequence(&sequence_number) {
        Ok(number) => number,
        Err(error) => {
            tracing::info!(user = %actor.principal.username, "refused a licence request download: bad request number");
            return error_response(error);
        }
    };
    match portal
        .licence_request_document(&actor, sequence_number)
        .await
    {
        Ok(document) => {
            let mut response = document.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            // Digits only (checked above): safe inside the quotes.
            if let Ok(value) = HeaderValue::from_str(&format!(
                "attachment; filename=\"{}\"",
                document_file_name(sequence_number)
            )) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => error_response(AppError::from(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_digits_name_a_request() {
        assert_eq!(check_sequence("12").unwrap(), "12");
        for bad in ["", "1a", "..", "1%2F2", &"9".repeat(20)] {
            assert!(check_sequence(bad).is_err(), "{bad:?}");
        }
    }
}
