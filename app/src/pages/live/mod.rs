//! Live: conferences in progress and their participants as they change (the live feed's stream),
//! with call control for those whose rights allow it (the server decides every command again).
//! Results of commands arrive through the stream like any other change.

mod conferences;
mod controls;
mod dial;
mod media;

use super::feed_health::FeedPill;
use crate::api::live::{CallControl, DialOut, LiveSnapshot, load_live};
use crate::api::{AppError, Deferred};
use crate::live_stream::LiveFeed;
use crate::ui::charts::LoadChart;
use crate::ui::{ConfirmState, ErrorNotice, Loading, PageHeader, Section, action_error};
use bff::requests::CallCommand;
use conferences::Conferences;
use controls::{Control, allows};
use dial::DialForm;
use leptos::prelude::*;
use media::MediaPanel;

/// The live state when the page opens (the stream follows on from it). Made by the route's
/// `data()`, so the request starts on navigation, while the page's code loads.
#[derive(Clone, Copy)]
pub struct LiveData {
    snapshot: Resource<Result<Deferred<LiveSnapshot>, AppError>>,
}

impl LiveData {
    pub fn load() -> Self {
        Self {
            snapshot: Resource::new(|| (), |_| load_live()),
        }
    }
}

#[component]
pub fn LivePage(data: LiveData) -> impl IntoView {
    ConfirmState::provide();
    let feed = LiveFeed::follow();
    let LiveData { snapshot } = data;
    let command = ServerAction::<CallControl>::new();
    let dial = ServerAction::<DialOut>::new();
    // The participant whose media quality is shown: id and name.
    let inspected = RwSignal::new(None::<(String, String)>);
    let run = Callback::new(move |c: CallCommand| {
        command.dispatch(CallControl { command: c });
    });

    view! {
        <PageHeader title="Live" intro="Conferences in progress and their participants, updated as they change.">
            <FeedPill feed />
        </PageHeader>
        <Suspense fallback=|| view! { <Loading what="conferences in progress" /> }>
            {move || Suspend::new(async move {
                match snapshot.await.and_then(Deferred::decode) {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(snap) => {
                        feed.seed(snap);
                        view! { <LiveBody feed command dial run inspected /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn LiveBody(
    feed: LiveFeed,
    command: ServerAction<CallControl>,
    dial: ServerAction<DialOut>,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let history = move || feed.state.with(|s| s.history.clone());
    let with_chart =
        move || feed.rights.with(|r| r.platform) || feed.state.with(|s| !s.history.is_empty());
    let may_dial = move || feed.rights.with(|r| allows(r, Control::Dial));
    view! {
        <Show when=with_chart>
            <Section heading_id="load-heading" title="Calls over the last hour">
                {move || view! { <LoadChart samples=history() /> }}
            </Section>
        </Show>

        {action_error(command)}

        <Section heading_id="conferences-heading" title="Conferences in progress">
            <Conferences feed run inspected />
        </Section>

        {move || inspected.get().map(|(id, name)| view! { <MediaPanel id name feed inspected /> })}

        <Show when=may_dial>
            <DialForm dial feed />
        </Show>
    }
}
