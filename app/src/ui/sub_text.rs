//! A second, smaller line under a value (a display name under a username).

use leptos::prelude::*;

#[component]
pub fn SubText(children: Children) -> impl IntoView {
    view! { <span class="block fine-print">{children()}</span> }
}
