//! The strip that says the portal runs in demo mode.

use leptos::prelude::*;

#[component]
pub fn DemoBanner(children: Children) -> impl IntoView {
    view! { <div id="demo-banner" role="status" class="demo-banner">{children()}</div> }
}
