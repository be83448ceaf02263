//! The page of a section whose features have not been built yet: it says so plainly instead of
//! pretending.

use super::{NotFound, sections};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SectionPage(slug: &'static str) -> impl IntoView {
    match sections::find(slug) {
            Some(section) => view! {
                <Title text=section.title />
                <h1 class="text-2xl font-semibold">{section.title}</h1>
                <p class="mt-2 text-slate-600">{section.summary}</p>
                <p class="mt-6 rounded border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
                    "This section is not available in this version of the portal yet."
                </p>
            }
            .into_any(),
            None => view! { <NotFound /> }.into_any(),
    }
}
