//! The main navigation: one link per portal section, and the compact-menu toggle.

use super::CurrentUserResource;
use crate::pages::sections;
use leptos::prelude::*;
use leptos_router::components::A;

/// Links to the sections the signed-in person can use (the server still checks every request).
/// The current page's link carries `aria-current`.
#[component]
pub fn NavLinks() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let capabilities = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.capabilities)
            .unwrap_or_default()
    };
    view! {
        <ul class="flex flex-col gap-1 md:flex-row md:gap-2">
            <Transition>
            {move || sections::visible(&capabilities())
                .map(|section| {
                    view! {
                        <li>
                            <A
                                href=format!("/{}", section.slug)
                                attr:class="block rounded px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
                            >
                                {section.title}
                            </A>
                        </li>
                    }
                })
                .collect_view()}
            </Transition>
        </ul>
    }
}

/// The button that opens the navigation on narrow screens.
#[component]
pub fn NavToggle(open: ReadSignal<bool>, set_open: WriteSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            id="nav-toggle"
            class="rounded border border-slate-300 px-3 py-1.5 text-sm md:hidden"
            aria-controls="mobile-nav"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| set_open.update(|open| *open = !*open)
        >
            {move || if open.get() { "Close menu" } else { "Menu" }}
        </button>
    }
}
