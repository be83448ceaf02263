//! Small inline SVG charts: where a picture says more than a table (load over time, usage
//! against entitlement, media quality, who was in a call when). Each one also says what it shows
//! in words, for screen readers.

use crate::api::media::MediaStream;
use leptos::prelude::*;

/// One moment of the live view: how many calls and conferences there were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Unix milliseconds.
    pub at: i64,
    pub participants: usize,
    pub conferences: usize,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 160.0;
const PAD_LEFT: f64 = 36.0;
const PAD_BOTTOM: f64 = 20.0;

/// A "nice" upper bound for an axis: 5, 10, 20, 50, 100...
fn axis_max(value: f64) -> f64 {
    let mut bound = 5.0;
    while bound < value {
        bound *= if (bound / 10f64.powf(bound.log10().floor())) == 2.0 {
            2.5
        } else {
            2.0
        };
    }
    bound
}

/// The `points` of a polyline through `values`, spread over the time of `samples`.
fn points(samples: &[Sample], value: impl Fn(&Sample) -> usize, y_max: f64) -> String {
    let (first, last) = match (samples.first(), samples.last()) {
        (Some(f), Some(l)) => (f.at, l.at),
        _ => return String::new(),
    };
    let span = (last - first).max(1) as f64;
    samples
        .iter()
        .map(|s| {
            let x = PAD_LEFT + (s.at - first) as f64 / span * (WIDTH - PAD_LEFT - 4.0);
            let y = (HEIGHT - PAD_BOTTOM) - value(s) as f64 / y_max * (HEIGHT - PAD_BOTTOM - 8.0);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Calls and conferences over the time the page has been open.
#[component]
pub fn LoadChart(samples: Vec<Sample>) -> impl IntoView {
    if samples.len() < 2 {
        return view! {
            <p class="text-sm text-slate-600">"The chart of calls over time fills in while this page stays open (it refreshes every few seconds)."</p>
        }
        .into_any();
    }
    let peak = samples.iter().map(|s| s.participants).max().unwrap_or(0);
    let y_max = axis_max(peak as f64);
    let minutes = (samples[samples.len() - 1].at - samples[0].at) as f64 / 60_000.0;
    let last = samples[samples.len() - 1];
    let summary = format!(
        "Calls over the last {minutes:.1} minutes: now {} calls in {} conferences, at most {peak}.",
        last.participants, last.conferences
    );
    let calls = points(&samples, |s| s.participants, y_max);
    let conferences = points(&samples, |s| s.conferences, y_max);
    let base = HEIGHT - PAD_BOTTOM;
    view! {
        <figure class="mt-2">
            <svg id="load-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="h-40 w-full max-w-3xl" role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                <line x1=PAD_LEFT y1=base x2=WIDTH y2=base class="stroke-slate-300" stroke-width="1" />
                <line x1=PAD_LEFT y1="8" x2=PAD_LEFT y2=base class="stroke-slate-300" stroke-width="1" />
                <text x="2" y="14" class="fill-slate-500 text-[10px]">{y_max.to_string()}</text>
                <text x="2" y=base class="fill-slate-500 text-[10px]">"0"</text>
                <text x=PAD_LEFT y={HEIGHT - 4.0} class="fill-slate-500 text-[10px]">{format!("{minutes:.1} min ago")}</text>
                <text x={WIDTH - 30.0} y={HEIGHT - 4.0} class="fill-slate-500 text-[10px]">"now"</text>
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

/// `used` of `total` as a bar; past the total it turns red.
#[component]
pub fn UsageBar(label: String, used: u64, total: u64) -> impl IntoView {
    let share = if total == 0 {
        if used == 0 { 0.0 } else { 1.0 }
    } else {
        (used as f64 / total as f64).min(1.0)
    };
    let over = used > total;
    let fill = if over {
        "fill-red-600"
    } else if share >= 0.8 {
        "fill-amber-500"
    } else {
        "fill-indigo-600"
    };
    let text = format!("{label}: {used} of {total} in use");
    view! {
        <div class="mt-3">
            <div class="flex justify-between text-sm">
                <span class="font-medium">{label.clone()}</span>
                <span class="usage-figures">{format!("{used} / {total}")}</span>
            </div>
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="mt-1 h-3 w-full" role="img" aria-label=text.clone()>
                <title>{text.clone()}</title>
                <rect x="0" y="0" width="100" height="6" rx="1" class="fill-slate-200" />
                <rect x="0" y="0" width=format!("{:.2}", share * 100.0) height="6" rx="1" class=fill />
            </svg>
        </div>
    }
}

/// The colour of a packet loss figure: fine, noticeable, bad.
fn loss_class(percent: f64) -> &'static str {
    if percent < 1.0 {
        "fill-emerald-600"
    } else if percent < 3.0 {
        "fill-amber-500"
    } else {
        "fill-red-600"
    }
}

/// Packet loss (and jitter where known) of every stream, each way, as bars.
#[component]
pub fn QualityBars(streams: Vec<MediaStream>) -> impl IntoView {
    if streams.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No media streams (the call has no media)."</p> }.into_any();
    }
    // The scale: at least 5 % so small losses look small.
    let scale = streams
        .iter()
        .flat_map(|s| [s.rx.packet_loss, s.tx.packet_loss])
        .fold(5.0f64, f64::max);
    let rows = streams
        .into_iter()
        .flat_map(|stream| {
            let kind = stream.kind.clone();
            [("received", stream.rx), ("sent", stream.tx)]
                .into_iter()
                .map(move |(way, d)| (kind.clone(), way, d))
        })
        .map(|(kind, way, d)| {
            let jitter = d.jitter.map(|j| format!(", jitter {j:.1} ms")).unwrap_or_default();
            let text = format!(
                "{kind} {way}: {:.2} % packet loss{jitter}, {} kbps {}",
                d.packet_loss, d.bitrate, d.codec
            );
            let width = format!("{:.2}", d.packet_loss / scale * 100.0);
            view! {
                <li class="grid grid-cols-[10rem_1fr] items-center gap-2 text-xs">
                    <span>{format!("{kind} {way}")}</span>
                    <span class="flex items-center gap-2">
                        <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="h-2.5 w-40 shrink-0" role="img" aria-label=text.clone()>
                            <rect x="0" y="0" width="100" height="6" class="fill-slate-200" />
                            <rect x="0" y="0" width=width height="6" class=loss_class(d.packet_loss) />
                        </svg>
                        <span class="quality-text">{text.clone()}</span>
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="mt-2 space-y-1" aria-label="Media quality">{rows}</ul>
        <p class="mt-1 text-xs text-slate-500">{format!("Bars: packet loss, full width = {scale:.0} %. Green under 1 %, amber under 3 %, red above.")}</p>
    }
    .into_any()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_bounds_are_round() {
        assert_eq!(axis_max(0.0), 5.0);
        assert_eq!(axis_max(7.0), 10.0);
        assert_eq!(axis_max(12.0), 20.0);
        assert_eq!(axis_max(21.0), 50.0);
        assert_eq!(axis_max(99.0), 100.0);
        assert_eq!(axis_max(180.0), 200.0);
    }

    #[test]
    fn polyline_spans_the_plot() {
        let samples = [
            Sample {
                at: 0,
                participants: 0,
                conferences: 0,
            },
            Sample {
                at: 10,
                participants: 10,
                conferences: 2,
            },
        ];
        let line = points(&samples, |s| s.participants, 10.0);
        assert_eq!(line, format!("{PAD_LEFT:.1},140.0 596.0,8.0"));
    }
}
