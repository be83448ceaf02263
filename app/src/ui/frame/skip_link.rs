//! "Skip to content": the first thing a keyboard reaches, shown only when focused.

use leptos::prelude::*;

#[component]
pub fn SkipLink() -> impl IntoView {
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            "Skip to content"
        </a>
    }
}
