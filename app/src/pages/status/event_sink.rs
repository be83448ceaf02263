//! "Register the portal as an event sink" (admins, the same right as starting overflow nodes:
//! the policy's platform write): the node then pushes its events to the portal's receiver
//! instead of the portal polling it. The server decides and audits; the feed health above shows
//! when events arrive.

use crate::api::status::RegisterEventSink;
use crate::live_stream::LiveFeed;
use crate::ui::{Button, FinePrint, Row, SuccessNotice, Variant, action_error};
use leptos::prelude::*;

#[component]
pub fn RegisterSink(feed: LiveFeed) -> impl IntoView {
    let register = ServerAction::<RegisterEventSink>::new();
    let may_register = move || feed.rights.with(|r| r.start_cloud_nodes);
    view! {
        <Show when=may_register>
            <Row>
                <Button variant=Variant::Secondary attr:id="register-event-sink" busy=register.pending()
                    on_click=move |()| { register.dispatch(RegisterEventSink {}); }>
                    "Register the portal as an event sink"
                </Button>
            </Row>
            <div>
                <FinePrint>"The Management Node then sends its events to this portal (live.event_sink settings); the source above changes to event sink once they arrive."</FinePrint>
                {move || register.value().get().and_then(Result::ok).map(|uri| view! {
                    <SuccessNotice>{format!("Registered as {uri} on every system location.")}</SuccessNotice>
                })}
                {action_error(register)}
            </div>
        </Show>
    }
}
