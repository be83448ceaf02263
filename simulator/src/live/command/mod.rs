//! The command API (`/api/admin/command/v1/{conference,participant,platform}/<command>/`):
//! each command acts on the live state, the configuration or the backups.

pub mod certificates;
pub mod conference;
pub mod form;
pub mod participant;
pub mod platform;
pub mod restore_upload;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::http::response;

/// A command's answer.
pub fn success(status: StatusCode, data: Option<Value>) -> Response {
    let body = match data {
        Some(data) => json!({"status": "success", "data": data}),
        None => json!({"status": "success"}),
    };
    response::json(status, &body)
}

/// Tastypie's form error for `command`: 400 `{"<command>": {"<field>": ["<message>"]}}`.
pub fn form_error(command: &str, field: &str, message: &str) -> Response {
    response::json(
        StatusCode::BAD_REQUEST,
        &json!({ command: { field: [message] } }),
    )
}

/// The form error for a required field left out.
pub fn required(command: &str, field: &str) -> Response {
    form_error(command, field, "This field is required.")
}
