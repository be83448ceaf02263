//! The platform's media load over the last hour.

use super::{ChartFillsIn, HEIGHT, WIDTH, frame, minutes, points};
use bff::live::model::LoadSample;
use leptos::prelude::*;

/// The platform's media load (0-100 %) over the last hour of the live feed.
#[component]
pub fn MediaLoadChart(samples: Vec<LoadSample>) -> impl IntoView {
    let Some(last) = samples.last().copied().filter(|_| samples.len() >= 2) else {
        return view! { <ChartFillsIn /> }.into_any();
    };
    let peak = samples.iter().map(|s| s.media_load).max().unwrap_or(0);
    let mean = samples.iter().map(|s| s.media_load).sum::<u64>() / samples.len() as u64;
    let minutes = minutes(&samples);
    let summary = format!(
        "Media load over the last {minutes:.1} minutes: now {} %, on average {mean} %, at most {peak} %.",
        last.media_load
    );
    let load = points(&samples, |s| s.media_load, 100.0);
    view! {
        <figure class="mt-2">
            <svg id="media-load-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="h-40 w-full max-w-3xl" role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                {frame("100 %", minutes)}
                <polyline points=load fill="none" class="stroke-amber-600" stroke-width="2" />
            </svg>
        </figure>
    }
    .into_any()
}
