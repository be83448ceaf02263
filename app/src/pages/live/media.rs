//! The media quality inspector: packet loss and jitter of one participant's streams, read again
//! whenever the feed changes the participant.

use crate::api::live::participant_media;
use crate::live_stream::LiveFeed;
use crate::ui::charts::QualityBars;
use crate::ui::{Button, Empty, ErrorNotice, Loading, Section, SectionActions, Variant};
use leptos::prelude::*;

#[component]
pub fn MediaPanel(
    id: String,
    name: String,
    feed: LiveFeed,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    // The participant as the feed has it now (None once the call has ended).
    let participant = {
        let id = id.clone();
        Memo::new(move |_| {
            feed.state.with(|s| {
                s.conferences
                    .values()
                    .flat_map(|c| c.participants.iter())
                    .find(|p| p.id == id)
                    .cloned()
            })
        })
    };
    let media = Resource::new(
        move || (id.clone(), participant.get()),
        |(id, _)| participant_media(id),
    );
    view! {
        <Section heading_id="media-heading" title=format!("Media quality: {name}") boxed=true>
            <SectionActions slot>
                <Button variant=Variant::Secondary on_click=move |()| inspected.set(None)>"Close"</Button>
            </SectionActions>
            <Show
                when=move || participant.with(Option::is_some)
                fallback=|| view! { <Empty>"The call has ended."</Empty> }
            >
                <Transition fallback=|| view! { <Loading what="media statistics" /> }>
                    {move || media.get().map(|result| match result {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(streams) => view! { <QualityBars streams /> }.into_any(),
                    })}
                </Transition>
            </Show>
        </Section>
    }
}
