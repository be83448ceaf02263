//! Who was in a conference when.

use super::WIDTH;
use leptos::prelude::*;

/// One call on a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub label: String,
    pub start: i64,
    pub end: i64,
}

/// Who was in a conference when: one bar per call across the conference's time.
#[component]
pub fn Timeline(start: i64, end: i64, spans: Vec<Span>) -> impl IntoView {
    let total = (end - start).max(1) as f64;
    let row = 18.0;
    let label_width = 160.0;
    let height = row * spans.len() as f64 + 4.0;
    let bars = spans
        .iter()
        .enumerate()
        .map(|(i, span)| {
            let x = label_width + (span.start - start).max(0) as f64 / total * (WIDTH - label_width);
            let w = ((span.end - span.start).max(0) as f64 / total * (WIDTH - label_width)).max(1.5);
            let y = i as f64 * row + 2.0;
            let label: String = span.label.chars().take(24).collect();
            view! {
                <text x="0" y={y + 12.0} class="fill-slate-700 text-[11px]">{label}</text>
                <rect x=format!("{x:.1}") y=y width=format!("{w:.1}") height={row - 5.0} rx="2" class="fill-indigo-500" />
            }
        })
        .collect_view();
    let summary = format!(
        "Timeline of {} calls across the conference's {} minutes.",
        spans.len(),
        (total / 60_000.0).round()
    );
    let label = summary.clone();
    view! {
        <svg id="call-timeline" viewBox=format!("0 0 {WIDTH} {height}") class="mt-2 w-full max-w-3xl" role="img" aria-label=label>
            <title>{summary}</title>
            {bars}
        </svg>
    }
}
