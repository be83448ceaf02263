//! Values over time as bars (a report's days, weeks or months).

use super::{HEIGHT, PAD_BOTTOM, PAD_LEFT, WIDTH, axis_max};
use leptos::prelude::*;

/// One bar per `(label, value)`, in order; the first and last labels are written under the
/// axis, every bar's label and value are in its tooltip, and the whole series is said in words
/// for screen readers (`what`: "Participant minutes per day").
#[component]
pub fn BarChart(
    id: &'static str,
    #[prop(into)] what: String,
    bars: Vec<(String, u64)>,
) -> impl IntoView {
    let top = bars.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let y_max = axis_max(top as f64);
    let base = HEIGHT - PAD_BOTTOM;
    let slot = (WIDTH - PAD_LEFT - 4.0) / bars.len().max(1) as f64;
    let summary = match (bars.first(), bars.last()) {
        (Some((first, _)), Some((last, _))) => format!(
            "{what}, {first} to {last}: at most {top}, {} in all.",
            bars.iter().map(|(_, v)| *v).sum::<u64>()
        ),
        _ => format!("{what}: nothing to show."),
    };
    let first_label = bars.first().map(|(l, _)| l.clone()).unwrap_or_default();
    let last_label = bars.last().map(|(l, _)| l.clone()).unwrap_or_default();
    let rects = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let height = value as f64 / y_max * (base - 8.0);
            let x = PAD_LEFT + i as f64 * slot + slot * 0.1;
            view! {
                <rect x=format!("{x:.1}") y=format!("{:.1}", base - height)
                    width=format!("{:.1}", (slot * 0.8).max(0.5)) height=format!("{height:.1}")
                    class="fill-indigo-600">
                    <title>{format!("{label}: {value}")}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <figure class="mt-2">
            <svg id=id viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="h-40 w-full max-w-3xl" role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                <line x1=PAD_LEFT y1=base x2=WIDTH y2=base class="stroke-slate-300" stroke-width="1" />
                <line x1=PAD_LEFT y1="8" x2=PAD_LEFT y2=base class="stroke-slate-300" stroke-width="1" />
                <text x="2" y="14" class="fill-slate-500 text-[10px]">{y_max.to_string()}</text>
                <text x="2" y=base class="fill-slate-500 text-[10px]">"0"</text>
                {rects}
                <text x=PAD_LEFT y={HEIGHT - 4.0} class="fill-slate-500 text-[10px]">{first_label}</text>
                <text x={WIDTH - 4.0} y={HEIGHT - 4.0} text-anchor="end" class="fill-slate-500 text-[10px]">{last_label}</text>
            </svg>
        </figure>
    }
}
