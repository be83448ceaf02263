//! Cards that each stand for one thing (a room), in a list: one column on phones, two on wide
//! screens.

use leptos::prelude::*;

/// `<ul>` of [`GridCard`]s.
#[component]
pub fn CardGrid(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <ul id=id class="mt-6 grid gap-6 lg:grid-cols-2">{children()}</ul> }
}

/// One card of a [`CardGrid`] (`<li>`), named by its heading (`labelled_by`, the id of its
/// [`CardTitle`](super::CardTitle)). Its content may be long: it wraps rather than widening the
/// column.
#[component]
pub fn GridCard(#[prop(into)] labelled_by: String, children: Children) -> impl IntoView {
    view! { <li class="card-raised min-w-0" aria-labelledby=labelled_by>{children()}</li> }
}
