//! Many links in columns (the configuration resources), each hideable by a filter.

use leptos::prelude::*;
use leptos_router::components::A;

/// `<ul>` of [`LinkGridItem`]s, up to three columns.
#[component]
pub fn LinkGrid(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <ul id=id class="mt-2 grid gap-1 sm:grid-cols-2 lg:grid-cols-3">{children()}</ul> }
}

/// A link with small detail text after it; `hidden` while a filter leaves it out.
#[component]
pub fn LinkGridItem(
    #[prop(into)] href: String,
    #[prop(into)] title: String,
    #[prop(optional, into)] detail: Option<String>,
    #[prop(optional, into)] hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <li hidden=move || hidden.get()>
            <A href=href attr:class="block rounded px-2 py-1 text-indigo-700 hover:bg-indigo-50">
                {title}
                {detail.map(|detail| view! { <span class="ml-2 text-xs text-slate-600">{detail}</span> })}
            </A>
        </li>
    }
}
