//! The buttons of a grid of fields, level with the bottom of the inputs beside them.

use leptos::prelude::*;

/// A cell of a [`Grid`](super::Grid) of fields holding its buttons ("Search"), aligned with
/// the inputs rather than with their labels.
#[component]
pub fn FieldActions(children: Children) -> impl IntoView {
    view! { <div class="flex items-end gap-2">{children()}</div> }
}
