//! A share as a bar.

use leptos::prelude::*;

/// A share of 0-100 % as a bar: amber from 80 %, red at 100 %.
#[component]
pub fn PercentBar(
    /// What is measured, e.g. "Media load of London-1".
    label: String,
    percent: u64,
) -> impl IntoView {
    let percent = percent.min(100);
    let fill = if percent >= 100 {
        "fill-red-600"
    } else if percent >= 80 {
        "fill-amber-500"
    } else {
        "fill-indigo-600"
    };
    let text = format!("{label}: {percent} %");
    let title = text.clone();
    view! {
        <span class="flex items-center gap-2">
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="h-2.5 w-24 shrink-0" role="img" aria-label=text>
                <title>{title}</title>
                <rect x="0" y="0" width="100" height="6" rx="1" class="fill-slate-200" />
                <rect x="0" y="0" width=percent.to_string() height="6" rx="1" class=fill />
            </svg>
            <span>{format!("{percent} %")}</span>
        </span>
    }
}
