//! Quiet inline text beside something more important (how long a conference has run).

use leptos::prelude::*;

#[component]
pub fn Muted(children: Children) -> impl IntoView {
    view! { <span class="hint">{children()}</span> }
}
