//! Who is signed in and the sign-out button, at the end of the bar.

use leptos::prelude::*;

#[component]
pub fn UserBox(children: Children) -> impl IntoView {
    view! { <div class="flex items-center gap-3 text-sm">{children()}</div> }
}
