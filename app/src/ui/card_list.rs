//! Cards in columns: a list of places to go.

use leptos::prelude::*;
use leptos_router::components::A;

/// `<ul>` of [`LinkCard`]s, up to three columns.
#[component]
pub fn CardList(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <ul id=id class="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{children()}</ul> }
}

/// One card of a [`CardList`]: a link and what is there.
#[component]
pub fn LinkCard(
    #[prop(into)] href: String,
    #[prop(into)] title: String,
    #[prop(into)] summary: String,
) -> impl IntoView {
    view! {
        <li class="card-raised">
            <A href=href attr:class="link font-medium">{title}</A>
            <p class="mt-1 hint">{summary}</p>
        </li>
    }
}
