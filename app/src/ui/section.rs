//! A titled part of a page.

use leptos::prelude::*;

/// Actions on the right of a [`Section`]'s heading: `<SectionActions slot>…</SectionActions>`.
#[slot]
pub struct SectionActions {
    children: ChildrenFn,
}

/// `<section aria-labelledby>` with its `<h2>` (`heading_id` is the heading's id), optional
/// actions beside the heading, and the content.
#[component]
pub fn Section(
    heading_id: &'static str,
    #[prop(into)] title: String,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] section_actions: Option<SectionActions>,
    /// Keeps the content to a readable width (bars, short text).
    #[prop(optional)]
    narrow: bool,
    /// In a bordered box (a panel that opens on demand).
    #[prop(optional)]
    boxed: bool,
    children: Children,
) -> impl IntoView {
    let class = match (narrow, boxed) {
        (_, true) => "mt-8 card",
        (true, false) => "mt-8 max-w-2xl",
        (false, false) => "mt-8",
    };
    view! {
        <section id=id aria-labelledby=heading_id class=class>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id=heading_id class="section-title">{title}</h2>
                {section_actions.map(|actions| view! { <div class="page-actions">{(actions.children)()}</div> })}
            </div>
            {children()}
        </section>
    }
}
