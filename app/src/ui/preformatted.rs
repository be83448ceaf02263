//! Text kept as written, line breaks and indentation included (a message to paste elsewhere).

use leptos::prelude::*;

/// `<pre>` in the page's font, wrapping long lines; `id` lets a copy button select it.
#[component]
pub fn Preformatted(#[prop(into)] id: String, children: Children) -> impl IntoView {
    view! {
        <pre id=id class="mt-2 whitespace-pre-wrap wrap-anywhere rounded border border-slate-100 bg-slate-50 p-3 font-sans text-sm">
            {children()}
        </pre>
    }
}
