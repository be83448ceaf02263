//! An identifier, alias or key: monospace, breaks anywhere.

use leptos::prelude::*;

#[component]
pub fn Code(children: Children) -> impl IntoView {
    view! { <span class="code">{children()}</span> }
}
