//! A titled part of a card ("How to join", "Invitation").

use leptos::prelude::*;

/// `<section aria-labelledby>` with its `<h3>` (`heading_id` is the heading's id, unique on the
/// page: cards repeat their sections).
#[component]
pub fn CardSection(
    #[prop(into)] heading_id: String,
    #[prop(into)] title: String,
    children: Children,
) -> impl IntoView {
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by class="mt-5">
            <h3 id=heading_id class="hint font-semibold uppercase tracking-wide">{title}</h3>
            {children()}
        </section>
    }
}
