//! Platform status (admins; helpdesk read-only): Conferencing Nodes, locations, alarms,
//! backplanes, registrations, configuration sync, cloud bursting, licence use and the load over
//! the last hour, all from the live feed (the same stream as the Live page), with the feed's own
//! health.

mod alarms;
mod backplanes;
mod cloud;
mod event_sink;
mod nodes;
mod registrations;

use super::feed_health::{FeedHealthDetails, FeedPill};
use super::format::utc_time;
use crate::api::live::{LiveSnapshot, load_live};
use crate::api::{AppError, Deferred};
use crate::live_stream::LiveFeed;
use crate::ui::charts::{LoadChart, MediaLoadChart, UsageBar};
use crate::ui::{Empty, ErrorNotice, Hint, Loading, PageHeader, Section};
use alarms::Alarms;
use backplanes::Backplanes;
use bff::live::model::PlatformStatus;
use cloud::CloudNodes;
use event_sink::RegisterSink;
use leptos::prelude::*;
use nodes::{Locations, Nodes, Sync};
use registrations::Registrations;

/// The platform as the feed has it now (empty before the first read).
pub(crate) type Platform = Memo<PlatformStatus>;

/// The platform's state when the page opens (the live feed's stream follows on from it). Made
/// by the route's `data()`, so the request starts on navigation, while the page's code loads.
#[derive(Clone, Copy)]
pub struct StatusData {
    snapshot: Resource<Result<Deferred<LiveSnapshot>, AppError>>,
}

impl StatusData {
    pub fn load() -> Self {
        Self {
            snapshot: Resource::new(|| (), |_| load_live()),
        }
    }
}

#[component]
pub fn StatusPage(data: StatusData) -> impl IntoView {
    let feed = LiveFeed::follow();
    let StatusData { snapshot } = data;
    view! {
        <PageHeader title="Platform status" intro="The Conferencing Nodes, their load and alarms, updated as the platform changes.">
            <FeedPill feed />
        </PageHeader>
        <Suspense fallback=|| view! { <Loading what="the platform's status" /> }>
            {move || Suspend::new(async move {
                match snapshot.await.and_then(Deferred::decode) {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(snap) => {
                        feed.seed(snap);
                        view! { <StatusBody feed /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatusBody(feed: LiveFeed) -> impl IntoView {
    let platform: Platform =
        Memo::new(move |_| feed.state.with(|s| s.platform.clone().unwrap_or_default()));
    let read = move || feed.state.with(|s| s.platform.is_some());
    let history = move || feed.state.with(|s| s.history.clone());
    let licences = move || platform.with(|p| p.licences.clone());
    view! {
        <Show
            when=move || feed.rights.with(|r| r.platform)
            fallback=|| view! { <Empty>"Your role does not show the platform's status."</Empty> }
        >
            <Show
                when=read
                fallback=|| view! { <Empty>"The platform has not been read yet; it shows here as soon as it is."</Empty> }
            >
                <Hint id="platform-read">
                    {move || format!("Read at {}.", utc_time(platform.with(|p| p.read_at)))}
                </Hint>
                <Section heading_id="nodes-heading" title="Conferencing Nodes"><Nodes platform /></Section>
                <Section heading_id="locations-heading" title="System locations"><Locations platform /></Section>
                <Section heading_id="alarms-heading" title="Active alarms"><Alarms platform /></Section>
                <Section heading_id="load-heading" title="Load over the last hour">
                    {move || view! {
                        <LoadChart samples=history() />
                        <MediaLoadChart samples=history() />
                    }}
                </Section>
                <Section heading_id="licences-heading" title="Licence use">
                    {move || {
                        let l = licences();
                        view! {
                            <UsageBar label="Call ports".to_string() used=l.port_count total=l.port_total />
                            <UsageBar label="Audio ports".to_string() used=l.audio_count total=l.audio_total />
                            <UsageBar label="Virtual meeting rooms".to_string() used=l.vmr_count total=l.vmr_total />
                        }
                    }}
                </Section>
                <Section heading_id="cloud-heading" title="Cloud bursting"><CloudNodes platform feed /></Section>
                <Section heading_id="backplanes-heading" title="Backplanes"><Backplanes platform /></Section>
                <Section heading_id="sync-heading" title="Configuration sync"><Sync platform /></Section>
                <Section heading_id="registrations-heading" title="Registered aliases"><Registrations platform /></Section>
            </Show>
        </Show>
        <Section heading_id="feed-heading" title="Live feed">
            <FeedHealthDetails feed />
            <RegisterSink feed />
        </Section>
    }
}
