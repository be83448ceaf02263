//! Text for screen readers only (a column of buttons still needs a header).

use leptos::prelude::*;

#[component]
pub fn VisuallyHidden(children: Children) -> impl IntoView {
    view! { <span class="sr-only">{children()}</span> }
}
