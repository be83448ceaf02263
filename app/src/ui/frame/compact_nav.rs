//! The navigation on narrow screens, opened by the [`MenuToggle`](super::MenuToggle).

use leptos::prelude::*;

/// `<nav id="mobile-nav" aria-label="Main (compact)">`, hidden until `open` and on wide screens.
#[component]
pub fn CompactNav(#[prop(into)] open: Signal<bool>, children: Children) -> impl IntoView {
    view! {
        <nav
            id="mobile-nav"
            aria-label="Main (compact)"
            class="border-t border-slate-200 px-4 py-2 md:hidden"
            hidden=move || !open.get()
        >
            {children()}
        </nav>
    }
}
