//! "Email me my room details": the Management Node sends the room's provisioning email to its
//! owner. End users send it for their own rooms; helpdesk and admins for any room they can see.

use crate::api::room_join::send_room_email;
use crate::ui::{Button, ErrorNotice, Row, SuccessNotice, Variant};
use leptos::prelude::*;

/// The button and what came of the last send. `label` is the button's text ("Email me my room
/// details", "Email the details to the owner").
#[component]
pub fn EmailRoomButton(id: u64, label: &'static str) -> impl IntoView {
    let send = Action::new(move |_: &()| send_room_email(id));
    let status_id = format!("room-{id}-email-status");
    // Marks the button once the wasm has taken it over (effects run only in the browser).
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    let described = status_id.clone();
    view! {
        <Row>
            <Button variant=Variant::Secondary busy=send.pending() busy_label="Sending…"
                attr:aria-describedby=described attr:data-email-button="" attr:data-hydrated=move || live.get().to_string()
                on_click=move |()| { send.dispatch(()); }>
                {label}
            </Button>
        </Row>
        <div id=status_id aria-live="polite" data-email-status="">
            {move || send.value().get().map(|result| match result {
                Ok(to) => view! {
                    <SuccessNotice>{format!("Sent to {to}. It usually arrives within a few minutes.")}</SuccessNotice>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </div>
    }
}
