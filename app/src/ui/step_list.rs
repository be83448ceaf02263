//! A numbered procedure: steps done in order, each with a short title and what to do (forms,
//! tables and text may sit inside a step).

use leptos::prelude::*;

/// The `<ol>` of [`Step`]s.
#[component]
pub fn StepList(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <ol id=id class="mt-3 list-decimal space-y-5 pl-6 text-sm">{children()}</ol> }
}

/// One step: its title (the list numbers it) and its content.
#[component]
pub fn Step(
    #[prop(optional)] id: Option<&'static str>,
    #[prop(into)] title: String,
    children: Children,
) -> impl IntoView {
    view! {
        <li id=id class="pl-1">
            <span class="font-medium">{title}</span>
            <div class="mt-1">{children()}</div>
        </li>
    }
}
