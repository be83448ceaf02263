//! The links of the navigation.

use leptos::prelude::*;
use leptos_router::components::A;

/// `<ul>` of [`NavItem`]s: a column on narrow screens, a row on wide ones.
#[component]
pub fn NavList(children: Children) -> impl IntoView {
    view! { <ul class="flex flex-col gap-1 md:flex-row md:gap-2">{children()}</ul> }
}

/// One link; the router marks the current page's with `aria-current="page"`, which shows.
#[component]
pub fn NavItem(#[prop(into)] href: String, children: Children) -> impl IntoView {
    view! {
        <li>
            <A
                href=href
                attr:class="block rounded px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
            >
                {children()}
            </A>
        </li>
    }
}
