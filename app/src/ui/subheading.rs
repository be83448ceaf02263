//! A heading inside a section.

use leptos::prelude::*;

/// `<h3>`.
#[component]
pub fn Subheading(
    #[prop(optional, into)] id: Option<String>,
    /// No space above (the first thing in a card).
    #[prop(optional)]
    flush: bool,
    children: Children,
) -> impl IntoView {
    let class = if flush {
        "subsection-title"
    } else {
        "mt-6 subsection-title"
    };
    view! { <h3 id=id class=class>{children()}</h3> }
}
