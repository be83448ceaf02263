//! The landing page: an overview of the portal's sections.

use super::sections;
use crate::layout::CurrentUserResource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let capabilities = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.capabilities)
            .unwrap_or_default()
    };
    view! {
        <Title text="" />
        <h1 class="text-2xl font-semibold">"Overview"</h1>
        <p class="mt-2 text-slate-600">"Manage meeting rooms, follow live calls and look after the Pexip Infinity deployment."</p>
        <ul class="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <Transition>
            {move || sections::visible(&capabilities())
                .map(|section| {
                    view! {
                        <li class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                            <A href=format!("/{}", section.slug) attr:class="font-medium text-indigo-700 hover:underline">
                                {section.title}
                            </A>
                            <p class="mt-1 text-sm text-slate-600">{section.summary}</p>
                        </li>
                    }
                })
                .collect_view()}
            </Transition>
        </ul>
    }
}
