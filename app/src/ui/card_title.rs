//! The title of a card that stands for one thing (a room), with what goes beside it.

use leptos::prelude::*;

/// `<h2 id>` (long names wrap anywhere) and, on its right, the children (a [`Badge`](super::Badge)).
#[component]
pub fn CardTitle(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id=id class="section-title wrap-anywhere">{title}</h2>
            {children.map(|children| children())}
        </div>
    }
}
