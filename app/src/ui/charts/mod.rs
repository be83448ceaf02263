//! Small inline SVG charts (one component per file): where a picture says more than a table (load over time, usage
//! against entitlement, media quality, who was in a call when, the platform's load). Each one also says what it shows
//! in words, for screen readers.

use bff::live::model::LoadSample;
use leptos::prelude::*;

mod bar_chart;
mod distribution;
mod load_chart;
mod media_load_chart;
mod percent_bar;
mod quality_bars;
mod timeline;
mod usage_bar;

pub use bar_chart::BarChart;
pub use distribution::Distribution;
pub use load_chart::LoadChart;
pub use media_load_chart::MediaLoadChart;
pub use percent_bar::PercentBar;
pub use quality_bars::QualityBars;
pub use timeline::{Span, Timeline};
pub use usage_bar::UsageBar;

pub(crate) const WIDTH: f64 = 600.0;
pub(crate) const HEIGHT: f64 = 160.0;
pub(crate) const PAD_LEFT: f64 = 36.0;
pub(crate) const PAD_BOTTOM: f64 = 20.0;

/// A "nice" upper bound for an axis: 5, 10, 20, 50, 100...
pub(crate) fn axis_max(value: f64) -> f64 {
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
pub(crate) fn points(
    samples: &[LoadSample],
    value: impl Fn(&LoadSample) -> u64,
    y_max: f64,
) -> String {
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

/// Minutes between the first and the last sample.
pub(crate) fn minutes(samples: &[LoadSample]) -> f64 {
    match (samples.first(), samples.last()) {
        (Some(first), Some(last)) => (last.at - first.at) as f64 / 60_000.0,
        _ => 0.0,
    }
}

/// The frame of a time chart: axes, the top value and the time span.
pub(crate) fn frame(y_top: &str, minutes: f64) -> impl IntoView + use<> {
    let base = HEIGHT - PAD_BOTTOM;
    let y_top = y_top.to_string();
    view! {
        <line x1=PAD_LEFT y1=base x2=WIDTH y2=base class="stroke-slate-300" stroke-width="1" />
        <line x1=PAD_LEFT y1="8" x2=PAD_LEFT y2=base class="stroke-slate-300" stroke-width="1" />
        <text x="2" y="14" class="fill-slate-500 text-[10px]">{y_top}</text>
        <text x="2" y=base class="fill-slate-500 text-[10px]">"0"</text>
        <text x=PAD_LEFT y={HEIGHT - 4.0} class="fill-slate-500 text-[10px]">{format!("{minutes:.1} min ago")}</text>
        <text x={WIDTH - 30.0} y={HEIGHT - 4.0} class="fill-slate-500 text-[10px]">"now"</text>
    }
}

/// What a time chart says before it has two points.
#[component]
pub(crate) fn ChartFillsIn() -> impl IntoView {
    view! {
        <p class="text-sm text-slate-600">"The chart fills in as the platform is read (a point per read, the last hour)."</p>
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
            LoadSample {
                at: 0,
                ..Default::default()
            },
            LoadSample {
                at: 10,
                participants: 10,
                conferences: 2,
                media_load: 40,
            },
        ];
        let line = points(&samples, |s| s.participants, 10.0);
        assert_eq!(line, format!("{PAD_LEFT:.1},140.0 596.0,8.0"));
        assert_eq!(minutes(&samples), 10.0 / 60_000.0);
        assert_eq!(minutes(&samples[..0]), 0.0);
    }
}
