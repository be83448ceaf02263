//! Conference commands: disconnect, lock, unlock, mute_guests, unmute_guests, sync and the
//! provisioning emails (kept in the outbox, since the simulator sends no mail).

use axum::http::StatusCode;
use axum::response::Response;

use super::form::Form;
use super::{form_error, required, success};
use crate::live::handle::Live;
use crate::live::outbox::SentEmail;
use crate::live::participant::Role;
use crate::live::sim::LiveState;
use crate::live::time::iso;
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
        let plan = live.read_store(|store| {
            let object = store
                .get("conference_sync_template", &ObjectId::Int(template))
                .cloned()
                .unwrap_or_default();
            super::super::sync::plan(store, &object)
        });
        state.syncs.start(template, state.now, plan);
        success(StatusCode::ACCEPTED, None)
    })
}

/// A provisioning email about a configuration object: the object must exist; the email goes to
/// its `primary_owner_email_address` and is kept in the outbox ([`crate::live::outbox`]).
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
    let object = live.read_store(|s| s.get(resource, &ObjectId::parse(id)).cloned());
    let Some(object) = object else {
        return form_error(command, field, missing);
    };
    let text = |key: &str| {
        object
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let name = match text("name") {
        name if name.is_empty() => text("alias"),
        name => name,
    };
    live.record_email(SentEmail {
        command: command.to_owned(),
        resource: resource.to_owned(),
        object_id: id.to_owned(),
        name,
        to: text("primary_owner_email_address"),
        sent_at: iso(live.now()),
    });
    success(StatusCode::ACCEPTED, None)
}
