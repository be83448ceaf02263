//! The button that opens the navigation on narrow screens.

use leptos::prelude::*;

/// "Menu"/"Close menu", `aria-expanded`, controlling the [`CompactNav`](super::CompactNav).
#[component]
pub fn MenuToggle(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            id="nav-toggle"
            class="rounded border border-slate-300 px-3 py-1.5 text-sm md:hidden"
            aria-controls="mobile-nav"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)
        >
            {move || if open.get() { "Close menu" } else { "Menu" }}
        </button>
    }
}
