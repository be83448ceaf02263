//! Calls and conferences over the last hour.

use super::{ChartFillsIn, HEIGHT, WIDTH, axis_max, frame, minutes, points};
use bff::live::model::LoadSample;
use leptos::prelude::*;

/// Calls and conferences over the last hour of the live feed.
#[component]
pub fn LoadChart(samples: Vec<LoadSample>) -> impl IntoView {
    let Some(last) = samples.last().copied().filter(|_| samples.len() >= 2) else {
        return view! { <ChartFillsIn /> }.into_any();
    };
    let peak = samples.iter().map(|s| s.participants).max().unwrap_or(0);
    let y_max = axis_max(peak as f64);
    let minutes = minutes(&samples);
    let summary = format!(
        "Calls over the last {minutes:.1} minutes: now {} calls in {} conferences, at most {peak}.",
        last.participants, last.conferences
    );
    let calls = points(&samples, |s| s.participants, y_max);
    let conferences = points(&samples, |s| s.conferences, y_max);
    view! {
        <figure class="mt-2">
            <svg id="load-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="h-40 w-full max-w-3xl" role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                {frame(&y_max.to_string(), minutes)}
                <polyline points=calls fill="none" class="stroke-indigo-600" stroke-width="2" />
                <polyline points=conferences fill="none" class="stroke-emerald-600" stroke-width="2" stroke-dasharray="4 3" />
            </svg>
            <figcaption class="mt-1 flex gap-4 text-xs text-slate-600">
                <span><span aria-hidden="true" class="mr-1 inline-block h-0.5 w-4 bg-indigo-600 align-middle"></span>"calls"</span>
                <span><span aria-hidden="true" class="mr-1 inline-block h-0.5 w-4 bg-emerald-600 align-middle"></span>"conferences"</span>
            </figcaption>
        </figure>
    }
    .into_any()
}
