//! A value that must stay on one line (a date and time in a table).

use leptos::prelude::*;

#[component]
pub fn NoWrap(children: Children) -> impl IntoView {
    view! { <span class="whitespace-nowrap">{children()}</span> }
}
