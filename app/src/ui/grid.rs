//! Fields or cards in columns that collapse to one on phones.

use leptos::prelude::*;

/// Up to `columns` columns (2-5) from the small breakpoint on.
#[component]
pub fn Grid(
    #[prop(default = 3)] columns: u8,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let class = match columns {
        0..=2 => "mt-3 grid gap-4 sm:grid-cols-2",
        3 => "mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3",
        4 => "mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4",
        _ => "mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-5",
    };
    view! { <div id=id class=class>{children()}</div> }
}

/// A cell of a [`Grid`] that takes the whole row (a form's submit button).
#[component]
pub fn GridRow(children: Children) -> impl IntoView {
    view! { <div class="col-span-full">{children()}</div> }
}

/// A cell of a [`Grid`] two columns wide from the small breakpoint on (a long field).
#[component]
pub fn GridWide(children: Children) -> impl IntoView {
    view! { <div class="sm:col-span-2">{children()}</div> }
}
