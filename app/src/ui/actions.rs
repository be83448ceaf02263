//! Buttons side by side in a table cell or under a form.

use leptos::prelude::*;

#[component]
pub fn Actions(children: Children) -> impl IntoView {
    view! { <span class="flex flex-wrap items-center gap-2">{children()}</span> }
}
