//! A link in a long table: a plain `<a>`, not a router component.

use leptos::prelude::*;

/// `<a class="link">`: the router still takes its clicks after hydration (it listens on the
/// document), without a router component's worth of work per row on the server. For rows of a
/// long list; elsewhere use [`TextLink`](super::TextLink).
#[component]
pub fn PlainLink(href: String, children: Children) -> impl IntoView {
    view! { <a href=href class="link">{children()}</a> }
}
