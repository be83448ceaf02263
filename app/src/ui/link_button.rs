//! A link that looks like a button ("New", "Download").

use super::Variant;
use leptos::prelude::*;
use leptos_router::components::A;

/// A router link with a button's look. `outline` (the default look) suits "New" next to a
/// heading; pass a [`Variant`] for another.
#[component]
pub fn LinkButton(
    #[prop(into)] href: String,
    #[prop(optional)] variant: Option<Variant>,
    /// A plain `<a>` that the router leaves alone (downloads, server routes).
    #[prop(optional)]
    external: bool,
    /// Download the target under this file name (implies `external`).
    #[prop(optional, into)]
    download: Option<String>,
    #[prop(optional, into)] aria_label: Option<String>,
    children: Children,
) -> impl IntoView {
    let class = variant.map_or("btn btn-outline", Variant::class);
    if external || download.is_some() {
        view! { <a href=href class=class download=download aria-label=aria_label>{children()}</a> }
            .into_any()
    } else {
        view! { <A href=href attr:class=class attr:aria-label=aria_label>{children()}</A> }
            .into_any()
    }
}
