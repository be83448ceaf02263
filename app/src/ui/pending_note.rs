//! What a page shows while the server's stream waits for its data.
//!
//! The signed-in pages are streamed in order (`SsrMode::InOrder`, see `app.rs`): the document,
//! the navigation and the page's frame go out at once, and the stream pauses at the first
//! `<Suspense>`/`<Transition>` whose data is still loading (a slow Management Node). Nothing of
//! that boundary is sent until it is ready, so its fallback never shows; this note, placed just
//! before the boundary, is what the browser paints meanwhile (without the wasm too). It is shown
//! only while it is the last element of its parent, i.e. until the boundary's content arrives
//! after it (CSS `:last-child`, no script).

use leptos::prelude::*;

/// "Loading <what>…", shown only while nothing follows it in its parent.
#[component]
pub fn PendingNote(what: &'static str) -> impl IntoView {
    view! {
        <p class="mt-4 text-sm text-slate-600 not-last:hidden" data-pending="" role="status">
            {format!("Loading {what}…")}
        </p>
    }
}
