//! There is nothing to show (yet).

use leptos::prelude::*;

#[component]
pub fn Empty(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <p id=id class="notice notice-empty">{children()}</p> }
}
