//! A QR code to scan with a phone.

use bff::join::QrCode;
use leptos::prelude::*;

/// The code drawn as one SVG path, with the quiet zone around it; `label` says what it opens
/// (`role="img"`).
#[component]
pub fn QrImage(qr: QrCode, #[prop(into)] label: String) -> impl IntoView {
    const MARGIN: u32 = 4;
    let size = qr.size + 2 * MARGIN;
    let path = qr.svg_path(MARGIN);
    view! {
        <svg role="img" aria-label=label viewBox=format!("0 0 {size} {size}") shape-rendering="crispEdges"
            class="mt-2 h-40 w-40 rounded border border-slate-200" data-qr-size=qr.size.to_string()>
            <rect width=size.to_string() height=size.to_string() fill="#ffffff" />
            <path d=path fill="#000000" />
        </svg>
    }
}
