//! Media quality of a call.

use crate::api::media::MediaStream;
use leptos::prelude::*;

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
