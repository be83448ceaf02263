//! How the pages that follow the live feed say whether it is live: a status pill ("Live",
//! "Reconnecting…"), the feed's source and the upstream problem the server reports, and (on the
//! status page) the feed's health in figures.

use super::format::utc_time;
use crate::live_stream::{Link, LiveFeed};
use crate::ui::{Badge, Facts, Hint, Tone, WarningNotice};
use bff::live::model::FeedSource;
use leptos::prelude::*;

/// Where the feed comes from, in words.
fn source_name(source: FeedSource) -> &'static str {
    match source {
        FeedSource::EventSink => "event sink",
        FeedSource::Poller => "poller",
        FeedSource::None => "not started",
    }
}

/// The pill beside a page's heading, and the feed's problem when there is one.
#[component]
pub fn FeedPill(feed: LiveFeed) -> impl IntoView {
    let link = move || feed.link.get();
    let source = move || feed.state.with(|s| s.feed.source);
    let problem = move || feed.state.with(|s| s.feed.problem.clone());
    view! {
        <Hint id="feed-link" status=true>
            <Badge tone=Signal::derive(move || if link() == Link::Live { Tone::Neutral } else { Tone::Warn })>
                {move || match link() {
                    Link::Live => "Live",
                    Link::Connecting => "Connecting…",
                    Link::Reconnecting => "Reconnecting…",
                }}
            </Badge>
            " "
            {move || format!("source: {}", source_name(source()))}
        </Hint>
        {move || problem().map(|problem| view! {
            <WarningNotice id="feed-problem">{format!("The feed is degraded: {problem}")}</WarningNotice>
        })}
    }
}

/// The feed's health in figures: source, last update, lag, gaps.
#[component]
pub fn FeedHealthDetails(feed: LiveFeed) -> impl IntoView {
    let health = move || feed.state.with(|s| s.feed.clone());
    view! {
        <Facts id="feed-health">
            <dt>"Source"</dt>
            <dd>{move || source_name(health().source)}</dd>
            <dt>"Last update"</dt>
            <dd>{move || {
                let at = health().updated_at;
                if at == 0 { "never".to_string() } else { utc_time(at) }
            }}</dd>
            <dt>"Lag"</dt>
            <dd>{move || format!("{} ms", health().lag_ms)}</dd>
            <dt>"Gaps"</dt>
            <dd>{move || health().gaps.to_string()}</dd>
            <dt>"Problem"</dt>
            <dd>{move || health().problem.unwrap_or_else(|| "none".to_string())}</dd>
        </Facts>
    }
}
