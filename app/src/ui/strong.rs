//! Emphasis in a table cell or a line: a name, a figure.

use leptos::prelude::*;

/// `<strong>` in medium weight; `block` puts it on its own line. [`SubText`](super::SubText) goes
/// under it.
#[component]
pub fn Strong(
    #[prop(optional)] block: bool,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! { <strong id=id class=if block { "block font-medium" } else { "font-medium" }>{children()}</strong> }
}
