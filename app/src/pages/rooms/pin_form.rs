//! The PINs and guest access of a room card, changed in place: a small form of the kit's fields
//! (only those the policy lets the person change), not the schema form engine, so that the end
//! users' first page does not carry the engine.
//!
//! Before the wasm the form posts to `change_room_pins` ([`ChangeRoomPins`]), which sends the
//! browser back here with the outcome in the address: `?saved=<id>`, or `?pins=<id>` and the
//! error (which the router hands to this action's value). Once hydrated it sends only what
//! changed with [`update_room`]. Either way the server's messages appear at their fields.

use crate::api::AppError;
use crate::api::room_choices::PinField;
use crate::api::rooms::{ChangeRoomPins, PIN_FIELDS, update_room};
use crate::forms::FormErrors;
use crate::ui::{Button, CardSection, CheckboxField, ErrorNotice, Stack, SuccessNotice, TextField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The one field of the form that is a tick box; the others are texts.
const GUESTS: &str = "allow_guests";

/// The values the form starts from: each field's value in the room, as the form holds it (a
/// missing or null PIN is an empty text).
fn initial(room: &Value, fields: &[&'static str]) -> Map<String, Value> {
    fields
        .iter()
        .map(|&name| {
            let value = room.get(name);
            let held = if name == GUESTS {
                Value::Bool(value.and_then(Value::as_bool) == Some(true))
            } else {
                Value::String(
                    value
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                )
            };
            (name.to_string(), held)
        })
        .collect()
}

/// The fields whose value differs from where the form started, with their new value.
fn changes(original: &Map<String, Value>, current: &Map<String, Value>) -> Map<String, Value> {
    current
        .iter()
        .filter(|(name, value)| original.get(*name) != Some(*value))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// Where the server's refusal goes: messages about a field the form shows at that field, the
/// rest (the whole room, other fields) above the button, placed as the form engine places them
/// ([`FormErrors::from_server`]); a failure that is not about values is explained above it.
fn placed(error: &AppError, shown: &[PinField]) -> (BTreeMap<String, String>, Vec<String>) {
    if !matches!(error, AppError::Invalid { .. }) {
        return (BTreeMap::new(), vec![crate::ui::explain(error)]);
    }
    let FormErrors { top, fields } = FormErrors::from_server(error, shown);
    let at_fields = fields
        .into_iter()
        .map(|(field, messages)| (field, messages.join(" ")))
        .collect();
    (at_fields, top)
}

/// The form of one card, of the fields the person may change (from [`RoomChoices`]; nothing
/// when there are none).
///
/// [`RoomChoices`]: crate::api::room_choices::RoomChoices
#[component]
pub fn PinForm(id: u64, fields: Vec<PinField>, room: RwSignal<Value>) -> impl IntoView {
    // The fields the form knows, in its order, each with its name as the form holds it.
    let (editable, specs): (Vec<&'static str>, Vec<PinField>) = PIN_FIELDS
        .into_iter()
        .filter_map(|name| {
            let field = fields.iter().find(|field| field.name == name)?;
            Some((name, field.clone()))
        })
        .unzip();
    if editable.is_empty() {
        return ().into_any();
    }
    let original = RwSignal::new(room.with_untracked(|r| initial(r, &editable)));
    let text_of = |name: &str| {
        original.with_untracked(|o| {
            o.get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
    };
    let pin = RwSignal::new(text_of("pin"));
    let guest_pin = RwSignal::new(text_of("guest_pin"));
    let guests =
        RwSignal::new(original.with_untracked(|o| o.get(GUESTS) == Some(&Value::Bool(true))));
    let names = StoredValue::new(editable.clone());
    let current = move || -> Map<String, Value> {
        names.with_value(|names| {
            names
                .iter()
                .map(|&name| {
                    let value = match name {
                        GUESTS => Value::Bool(guests.get_untracked()),
                        "pin" => Value::String(pin.get_untracked()),
                        _ => Value::String(guest_pin.get_untracked()),
                    };
                    (name.to_string(), value)
                })
                .collect()
        })
    };
    let field_errors = RwSignal::new(BTreeMap::<String, String>::new());
    let top = RwSignal::new(Vec::<String>::new());
    let shown = StoredValue::new(specs.clone());
    let refused = move |error: &AppError| {
        let (at_fields, rest) = shown.with_value(|specs| placed(error, specs));
        field_errors.set(at_fields);
        top.set(rest);
    };
    let query = use_query_map();
    let this_card = move |key: &str| query.with_untracked(|q| q.get(key)) == Some(id.to_string());
    if this_card("pins")
        && let Some(Err(error)) = ServerAction::<ChangeRoomPins>::new()
            .value()
            .get_untracked()
    {
        refused(&error);
    }
    let (saved, set_saved) = signal(this_card("saved"));
    let save = Action::new(move |changes: &Map<String, Value>| {
        let changes = changes.clone();
        async move { update_room(id, changes.clone()).await.map(|()| changes) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(changes)) => {
            original.update(|o| o.extend(changes.clone()));
            room.update(|r| {
                if let Some(r) = r.as_object_mut() {
                    r.extend(changes);
                }
            });
            set_saved.set(true);
        }
        Some(Err(error)) => refused(&error),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_saved.set(false);
        field_errors.set(BTreeMap::new());
        top.set(Vec::new());
        let changes = original.with_untracked(|o| changes(o, &current()));
        if changes.is_empty() {
            top.set(vec!["Nothing has changed.".into()]);
        } else {
            save.dispatch(changes);
        }
    };
    let prefix = format!("card-{id}");
    let error_at = move |name: &'static str| {
        Signal::derive(move || field_errors.with(|e| e.get(name).cloned()))
    };
    // Typing into a field takes the server's complaint about it away.
    let typed = move |name: &'static str, value: RwSignal<String>| {
        Callback::new(move |text: String| {
            value.set(text);
            field_errors.update(|e| {
                e.remove(name);
            });
        })
    };
    let fields = editable
        .iter()
        .zip(specs)
        .map(|(&name, spec)| {
            let id = format!("{prefix}-{name}");
            let PinField { label, help, .. } = spec;
            match name {
                GUESTS => view! {
                    <CheckboxField id label name=GUESTS help checked=guests error=error_at(GUESTS) />
                }
                .into_any(),
                _ => {
                    let value = if name == "pin" { pin } else { guest_pin };
                    view! {
                        <TextField id label name help autocomplete="off"
                            value=value on_input=typed(name, value) error=error_at(name) />
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    let pin_action = <ChangeRoomPins as ServerFn>::PATH;
    view! {
        <CardSection heading_id=format!("{prefix}-pins") title="PINs and guests">
            <form method="post" action=pin_action novalidate on:submit=submit>
                <input type="hidden" name="id" value=id.to_string() />
                <Stack>
                    {fields}
                    {move || {
                        let messages = top.get();
                        (!messages.is_empty()).then(|| view! { <ErrorNotice message=messages.join(" ") inline=true /> })
                    }}
                    <Button submit=true busy=save.pending() busy_label="Saving…">"Save PINs"</Button>
                </Stack>
            </form>
            <SuccessNotice attr:id=format!("{prefix}-saved")>{move || saved.get().then_some("Saved.")}</SuccessNotice>
        </CardSection>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{changes, initial, placed};
    use crate::api::AppError;
    use crate::api::room_choices::PinField;
    use serde_json::{Value, json};

    const FIELDS: [&str; 3] = ["pin", "allow_guests", "guest_pin"];

    /// The three fields as the server describes them (only names and labels matter).
    fn specs() -> Vec<PinField> {
        FIELDS
            .iter()
            .map(|name| PinField {
                name: name.to_string(),
                label: format!("The {name}"),
                help: String::new(),
            })
            .collect()
    }

    #[test]
    fn only_what_changed_is_sent() {
        let room = json!({"pin": "1111", "allow_guests": true, "guest_pin": null});
        let original = initial(&room, &FIELDS);
        assert_eq!(
            Value::Object(original.clone()),
            json!({"pin": "1111", "allow_guests": true, "guest_pin": ""})
        );
        let mut current = original.clone();
        assert!(changes(&original, &current).is_empty());
        current.insert("pin".into(), json!("4321"));
        assert_eq!(
            Value::Object(changes(&original, &current)),
            json!({"pin": "4321"})
        );
        current.insert("allow_guests".into(), json!(false));
        assert_eq!(
            Value::Object(changes(&original, &current)),
            json!({"pin": "4321", "allow_guests": false})
        );
    }

    #[test]
    fn the_servers_messages_go_to_their_fields() {
        let error = AppError::Invalid {
            message: "refused".into(),
            fields: [
                ("pin".to_string(), vec!["Enter digits only.".to_string()]),
                (
                    "__all__".to_string(),
                    vec!["Nothing has changed.".to_string()],
                ),
                ("name".to_string(), vec!["Too long.".to_string()]),
            ]
            .into(),
        };
        let (at_fields, top) = placed(&error, &specs());
        assert_eq!(
            at_fields.get("pin").map(String::as_str),
            Some("Enter digits only.")
        );
        assert_eq!(at_fields.len(), 1);
        assert_eq!(
            top,
            vec![
                "Nothing has changed.".to_string(),
                "Name: Too long.".to_string()
            ]
        );
        let (at_fields, top) = placed(&AppError::Forbidden, &specs());
        assert!(at_fields.is_empty());
        assert_eq!(top, vec!["Your role does not allow this.".to_string()]);
    }
}
