//! A block kept narrow (a lone filter field).

use leptos::prelude::*;

#[component]
pub fn Narrow(children: Children) -> impl IntoView {
    view! { <div class="mt-6 max-w-sm">{children()}</div> }
}
