//! A small explanation under a control.

use leptos::prelude::*;

#[component]
pub fn FinePrint(children: Children) -> impl IntoView {
    view! { <p class="mt-1 fine-print">{children()}</p> }
}
