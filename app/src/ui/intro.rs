//! A paragraph that explains a page or a section.

use leptos::prelude::*;

#[component]
pub fn Intro(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <p id=id class="intro">{children()}</p> }
}
