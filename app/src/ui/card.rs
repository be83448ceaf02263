//! A bordered box around related content.

use leptos::prelude::*;

#[component]
pub fn Card(
    /// A card that stands out (white, shadow), e.g. a summary figure.
    #[prop(optional)]
    raised: bool,
    /// A self-contained item (`<article>`) named by this heading id.
    #[prop(optional, into)]
    labelled_by: Option<String>,
    children: Children,
) -> impl IntoView {
    let class = if raised { "card-raised" } else { "card" };
    match labelled_by {
        Some(heading) => {
            view! { <article class=class aria-labelledby=heading>{children()}</article> }.into_any()
        }
        None => view! { <div class=class>{children()}</div> }.into_any(),
    }
}
