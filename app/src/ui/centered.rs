//! A short message in the middle of the page (not found, signed out).

use leptos::prelude::*;

#[component]
pub fn Centered(children: Children) -> impl IntoView {
    view! { <div class="mx-auto max-w-xl py-16 text-center [&_.page-header]:justify-center">{children()}</div> }
}
