//! Small shaded boxes one under the other, each holding one item with its details (a dial
//! string with its SIP and H.323 forms).

use leptos::prelude::*;

/// `<ul>` of [`Tile`]s.
#[component]
pub fn TileList(children: Children) -> impl IntoView {
    view! { <ul class="mt-1 space-y-2">{children()}</ul> }
}

/// One item of a [`TileList`].
#[component]
pub fn Tile(children: Children) -> impl IntoView {
    view! { <li class="min-w-0 rounded border border-slate-100 bg-slate-50 px-3 py-2">{children()}</li> }
}
