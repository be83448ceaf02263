//! A link in running text or a table cell.

use leptos::prelude::*;
use leptos_router::components::A;

/// A router link styled as a link (client-side navigation after hydration, a plain `<a>` before).
#[component]
pub fn TextLink(
    #[prop(into)] href: String,
    /// `rel`, e.g. "prev"/"next" in a pager.
    #[prop(optional)]
    rel: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! { <A href=href attr:rel=rel attr:class="link">{children()}</A> }
}
