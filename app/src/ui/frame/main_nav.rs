//! The navigation on wide screens.

use leptos::prelude::*;

/// `<nav aria-label="Main">`, shown from the medium breakpoint on.
#[component]
pub fn MainNav(children: Children) -> impl IntoView {
    view! { <nav aria-label="Main" class="hidden md:block">{children()}</nav> }
}
