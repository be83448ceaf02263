//! A form's buttons, aligned with the bottom of the fields beside them.

use leptos::prelude::*;

#[component]
pub fn FormActions(children: Children) -> impl IntoView {
    view! { <div class="flex flex-wrap items-end gap-2">{children()}</div> }
}
