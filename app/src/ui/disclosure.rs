//! Something shown on request: `<details>` with its summary line.

use leptos::prelude::*;

#[component]
pub fn Disclosure(#[prop(into)] summary: String, children: Children) -> impl IntoView {
    view! {
        <details class="mt-4 card">
            <summary class="cursor-pointer font-medium">{summary}</summary>
            {children()}
        </details>
    }
}
