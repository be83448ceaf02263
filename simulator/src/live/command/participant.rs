//! Participant commands: dial, disconnect, mute, unmute, unlock, transfer.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::form::Form;
use super::{form_error, required, success};
use crate::live::handle::Live;
use crate::live::participant::Role;
use crate::live::profiles::{self, Protocol};
use crate::live::sim::{JoinError, JoinSpec};
use crate::live::time::add_ms;

const NO_PARTICIPANT: &str = "Failed to find participant.";

pub fn run(live: &Live, command: &str, form: &Form) -> Option<Response> {
    Some(match command {
        "dial" => dial(live, form),
        "disconnect" => with_participant(live, command, form, StatusCode::OK, |state, id| {
            state.leave(id, "Disconnected by an administrator");
        }),
        "mute" | "unmute" => {
            let mute = command == "mute";
            with_participant(live, command, form, StatusCode::ACCEPTED, |state, id| {
                if let Some(p) = state.participants.get_mut(id) {
                    p.is_muted = mute;
                }
            })
        }
        "unlock" => with_participant(live, command, form, StatusCode::ACCEPTED, |state, id| {
            if let Some(p) = state.participants.get_mut(id) {
                p.waiting = false;
            }
        }),
        "transfer" => transfer(live, form),
        _ => return None,
    })
}

fn with_participant(
    live: &Live,
    command: &str,
    form: &Form,
    status: StatusCode,
    act: impl FnOnce(&mut crate::live::sim::LiveState, &str),
) -> Response {
    let Some(id) = form.text("participant_id") else {
        return required(command, "participant_id");
    };
    live.with(|state, _| {
        if !state.participants.contains_key(id) {
            return form_error(command, "participant_id", NO_PARTICIPANT);
        }
        act(state, id);
        success(status, None)
    })
}

fn dial(live: &Live, form: &Form) -> Response {
    let Some(alias) = form.text("conference_alias") else {
        return required("dial", "conference_alias");
    };
    let Some(destination) = form.text("destination") else {
        return required("dial", "destination");
    };
    let protocol_name = form.text("protocol").unwrap_or("sip");
    let Some(protocol) = Protocol::from_command(protocol_name).filter(|p| *p != Protocol::WebRtc)
    else {
        return form_error(
            "dial",
            "protocol",
            &format!("Select a valid choice. {protocol_name} is not one of the available choices."),
        );
    };
    let role_name = form.text("role").unwrap_or("guest");
    let Some(role) = Role::parse(role_name) else {
        return form_error(
            "dial",
            "role",
            &format!("Select a valid choice. {role_name} is not one of the available choices."),
        );
    };
    let node = form.text("node");
    let location = form.text("system_location");
    if node.is_none() && location.is_none() {
        return form_error(
            "dial",
            "__all__",
            "One or both of node and system_location must be specified.",
        );
    }
    live.with(|state, topology| {
        let Some(service) = topology.service_by_alias(alias).cloned() else {
            return form_error(
                "dial",
                "conference_alias",
                "Failed to find a conference with this alias.",
            );
        };
        let node_id = match node {
            Some(address) => match topology.node_by_address(address) {
                Some(n) => Some(n.id),
                None => {
                    return form_error(
                        "dial",
                        "node",
                        "Failed to find a Conferencing Node with this address.",
                    );
                }
            },
            None => None,
        };
        let location_id = match (node_id, location) {
            (None, Some(name)) => match topology.location_by_name(name) {
                Some(l) => Some(l.id),
                None => {
                    return form_error(
                        "dial",
                        "system_location",
                        "Failed to find the system location.",
                    );
                }
            },
            _ => None,
        };
        let display = form
            .text("remote_display_name")
            .unwrap_or(destination)
            .to_owned();
        let mut caller = profiles::caller(state.rng(), protocol, Some(&display), Some(destination));
        if form.text("call_type") == Some("audio") {
            caller.audio_only = true;
            caller.bandwidth = 64;
        }
        let minutes = state.rng().range(20, 60) as i64;
        let leave_at = add_ms(state.now, minutes * 60_000);
        let (conference_id, opened) = match state.instance_of(service.config_id) {
            Some(c) => (c.id.clone(), false),
            None => (state.open_conference(&service), true),
        };
        let spec = JoinSpec {
            conference_id: conference_id.clone(),
            caller,
            role,
            outgoing: true,
            local_alias: alias.to_owned(),
            location: location_id,
            node: node_id,
            leave_at,
            automatic: false,
        };
        match state.join(topology, spec) {
            Ok(id) => {
                if opened {
                    state.dial_automatic(topology, &conference_id);
                }
                success(
                    StatusCode::ACCEPTED,
                    Some(json!({"participant_id": id, "participant_ids": [id]})),
                )
            }
            Err(e) => {
                if opened {
                    state.conferences.remove(&conference_id);
                }
                let why = match e {
                    JoinError::NoNode => "No Conferencing Node is available to place the call.",
                    JoinError::Capacity => {
                        "No Conferencing Node has the capacity to place the call."
                    }
                    JoinError::Licence => "No licence is available to place the call.",
                    JoinError::Full => "The conference has reached its participant limit.",
                };
                form_error("dial", "__all__", why)
            }
        }
    })
}

fn transfer(live: &Live, form: &Form) -> Response {
    let Some(id) = form.text("participant_id") else {
        return required("transfer", "participant_id");
    };
    let Some(alias) = form.text("conference_alias") else {
        return required("transfer", "conference_alias");
    };
    let role_name = form.text("role").unwrap_or("guest");
    let Some(role) = Role::parse(role_name) else {
        return form_error(
            "transfer",
            "role",
            &format!("Select a valid choice. {role_name} is not one of the available choices."),
        );
    };
    live.with(|state, topology| {
        let Some(p) = state.participants.get(id).cloned() else {
            return form_error("transfer", "participant_id", NO_PARTICIPANT);
        };
        let Some(service) = topology.service_by_alias(alias).cloned() else {
            return form_error(
                "transfer",
                "conference_alias",
                "Failed to find a conference with this alias.",
            );
        };
        state.leave(id, "Transferred to another conference");
        let (conference_id, opened) = match state.instance_of(service.config_id) {
            Some(c) => (c.id.clone(), false),
            None => (state.open_conference(&service), true),
        };
        let spec = JoinSpec {
            conference_id: conference_id.clone(),
            caller: p.caller.clone(),
            role,
            outgoing: p.outgoing,
            local_alias: alias.to_owned(),
            location: None,
            node: Some(p.node_id),
            leave_at: p.leave_at,
            automatic: p.automatic,
        };
        let placed = state
            .join(topology, spec.clone())
            .or_else(|_| state.join(topology, JoinSpec { node: None, ..spec }));
        match placed {
            Ok(new_id) => {
                if opened {
                    state.dial_automatic(topology, &conference_id);
                }
                success(
                    StatusCode::ACCEPTED,
                    Some(json!({"participant_id": new_id})),
                )
            }
            Err(_) => {
                if opened {
                    state.conferences.remove(&conference_id);
                }
                form_error(
                    "transfer",
                    "__all__",
                    "The participant could not be placed in the target conference.",
                )
            }
        }
    })
}
