//! Conference commands: disconnect, lock, unlock, mute_guests, unmute_guests, sync and the
//! provisioning emails.

use axum::http::StatusCode;
use axum::response::Response;

use super::form::Form;
use super::{form_error, required, success};
use crate::live::handle::Live;
use crate::live::participant::Role;
use crate::live::sim::LiveState;
use crate::store::ObjectId;

pub fn run(live: &Live, command: &str, form: &Form) -> Option<Response> {
    Some(match command {
        "disconnect" => with_conference(live, command, form, StatusCode::OK, |state, id| {
            state.disconnect_conference(id, "Conference disconnected by an administrator");
        }),
        "lock" | "unlock" => {
            let lock = command == "lock";
            with_conference(live, command, form, StatusCode::ACCEPTED, |state, id| {
                let members = state.conferences.get_mut(id).map(|c| {
                    c.is_locked = lock;
                    c.participants.clone()
                });
                if !lock {
                    for m in members.unwrap_or_default() {
                        if let Some(p) = state.participants.get_mut(&m) {
                            p.waiting = false;
                        }
                    }
                }
            })
        }
        "mute_guests" | "unmute_guests" => {
            let mute = command == "mute_guests";
            with_conference(live, command, form, StatusCode::ACCEPTED, |state, id| {
                let members = state.conferences.get_mut(id).map(|c| {
                    c.guests_muted = mute;
                    c.participants.clone()
                });
                for m in members.unwrap_or_default() {
                    if let Some(p) = state.participants.get_mut(&m)
                        && p.role == Role::Guest
                    {
                        p.is_muted = mute;
                    }
                }
            })
        }
        "sync" => sync(live, form),
        "send_conference_email" => config_object(
            live,
            command,
            form,
            "conference_id",
            "conference",
            "Failed to find conference.",
        ),
        "send_device_email" => config_object(
            live,
            command,
            form,
            "device_id",
            "device",
            "Failed to find device.",
        ),
        _ => return None,
    })
}

fn with_conference(
    live: &Live,
    command: &str,
    form: &Form,
    status: StatusCode,
    act: impl FnOnce(&mut LiveState, &str),
) -> Response {
    let Some(id) = form.text("conference_id") else {
        return required(command, "conference_id");
    };
    live.with(|state, _| {
        if !state.conferences.contains_key(id) {
            return form_error(command, "conference_id", "Failed to find conference.");
        }
        act(state, id);
        success(status, None)
    })
}

fn sync(live: &Live, form: &Form) -> Response {
    let Some(id) = form.text("conference_sync_template_id") else {
        return required("sync", "conference_sync_template_id");
    };
    live.with(|state, topology| {
        let Some(template) = id
            .parse::<i64>()
            .ok()
            .filter(|t| topology.sync_templates.iter().any(|(i, _)| i == t))
        else {
            return form_error(
                "sync",
                "conference_sync_template_id",
                "Failed to find the conference sync template.",
            );
        };
        let unchanged = topology.services.len() as u64;
        state.syncs.start(template, state.now, unchanged);
        success(StatusCode::ACCEPTED, None)
    })
}

/// A command about a configuration object (the emails): it must exist.
fn config_object(
    live: &Live,
    command: &str,
    form: &Form,
    field: &str,
    resource: &str,
    missing: &str,
) -> Response {
    let Some(id) = form.text(field) else {
        return required(command, field);
    };
    let exists = live.read_store(|s| s.get(resource, &ObjectId::parse(id)).is_some());
    if exists {
        success(StatusCode::ACCEPTED, None)
    } else {
        form_error(command, field, missing)
    }
}
