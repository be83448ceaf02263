//! Label and value pairs: write plain `<dt>` and `<dd>` inside.

use leptos::prelude::*;

#[component]
pub fn Facts(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <dl id=id class="facts">{children()}</dl> }
}
