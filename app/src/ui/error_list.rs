//! A list of error messages (for example the problems of one line of an imported file).

use leptos::prelude::*;

/// The messages, one per item, in the error colour.
#[component]
pub fn ErrorList(children: Children) -> impl IntoView {
    view! { <ul class="space-y-1 text-red-700">{children()}</ul> }
}
