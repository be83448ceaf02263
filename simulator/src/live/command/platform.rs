//! Platform commands: backup_create, backup_restore, certificates_import, start_cloudnode.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::form::Form;
use super::{form_error, required, success};
use crate::http::response;
use crate::live::backup::{self, KdfParams, RestoreError};
use crate::live::cloud::{self, StartOutcome};
use crate::live::handle::Live;

pub fn run(live: &Live, command: &str, form: &Form) -> Option<Response> {
    Some(match command {
        "backup_create" => backup_create(live, form),
        "backup_restore" => backup_restore(live, form),
        "certificates_import" => super::certificates::run(live, form),
        "start_cloudnode" => start_cloudnode(live, form),
        _ => return None,
    })
}

fn backup_create(live: &Live, form: &Form) -> Response {
    let Some(passphrase) = form.fields.get("passphrase").filter(|p| !p.is_empty()) else {
        return required("backup_create", "passphrase");
    };
    let (now, version, build) =
        live.read_state(|s| (s.now, s.config.version.clone(), s.config.build.clone()));
    let store = live.read_store(|s| s.clone());
    let made = live.with_backups(|b| {
        backup::create(
            b,
            &store,
            passphrase,
            (&version, &build),
            now,
            KdfParams::DEFAULT,
        )
    });
    match made {
        Ok(_) => success(StatusCode::ACCEPTED, None),
        Err(e) => response::json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"error_message": e.to_string()}),
        ),
    }
}

fn backup_restore(live: &Live, form: &Form) -> Response {
    let Some(package) = form.files.get("package") else {
        return required("backup_restore", "package");
    };
    let Some(passphrase) = form.fields.get("passphrase").filter(|p| !p.is_empty()) else {
        return required("backup_restore", "passphrase");
    };
    let version = live.read_state(|s| s.config.version.clone());
    match backup::open(package, passphrase, &version) {
        Ok(config) => {
            live.change_store(|s| *s = config);
            success(StatusCode::ACCEPTED, None)
        }
        Err(RestoreError::Backup(e)) => form_error("backup_restore", "package", &e.to_string()),
        Err(e @ RestoreError::Version(..)) => {
            form_error("backup_restore", "package", &e.to_string())
        }
    }
}

fn start_cloudnode(live: &Live, form: &Form) -> Response {
    let Some(instance) = form.text("instance_id") else {
        return required("start_cloudnode", "instance_id");
    };
    live.with(|state, _| match cloud::start(&mut state.cloud_nodes, instance, state.now) {
        StartOutcome::Started => success(StatusCode::OK, None),
        StartOutcome::NotStopped => response::json(
            StatusCode::OK,
            &json!({"status": "failed", "error": "Unable to start a cloud node which isn't in 'STOPPED' state"}),
        ),
        StartOutcome::Unknown => form_error("start_cloudnode", "instance_id", "Failed to find the cloud node."),
    })
}
