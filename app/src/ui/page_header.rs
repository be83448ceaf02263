//! The top of a page: its title (also the document's), actions beside it, an introduction below.

use leptos::prelude::*;
use leptos_meta::Title;

/// `<h1>` (and `<title>`), with the page's actions (children) on the right and `intro` below.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    /// Small text after the title (e.g. the API name of a resource).
    #[prop(optional, into)]
    detail: Option<String>,
    /// One or two sentences on what the page is for.
    #[prop(optional, into)]
    intro: Option<String>,
    /// The document title when it differs from the heading ("" for the site name alone).
    #[prop(optional)]
    tab_title: Option<&'static str>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    // `try_get`: leptos_meta may read the title once more after the page (and the signal) is gone,
    // when a lazy route replaces it.
    view! {
        <Title text=move || tab_title.map_or_else(|| title.try_get().unwrap_or_default(), str::to_string) />
        <div class="page-header">
            <h1 class="page-title">
                {move || title.get()}
                {detail.map(|detail| view! { <span class="ml-2 text-sm font-normal text-slate-600">{detail}</span> })}
            </h1>
            {children.map(|actions| view! { <div class="page-actions">{actions()}</div> })}
        </div>
        {intro.map(|intro| view! { <p class="intro">{intro}</p> })}
    }
}
