//! Where a signed-in page's content goes (the skip link's target).

use leptos::prelude::*;

/// `<main id="main">`, centred and as wide as the bar.
#[component]
pub fn MainArea(children: Children) -> impl IntoView {
    view! { <main id="main" class="mx-auto max-w-7xl px-4 py-8">{children()}</main> }
}
