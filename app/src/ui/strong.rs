//! Emphasis in a table cell or a line: a name, a figure.

use leptos::prelude::*;

/// Medium weight; `block` puts it on its own line. [`SubText`](super::SubText) goes under it.
#[component]
pub fn Strong(#[prop(optional)] block: bool, children: Children) -> impl IntoView {
    view! { <span class=if block { "block font-medium" } else { "font-medium" }>{children()}</span> }
}
