//! The bar at the top of every signed-in page.

use leptos::prelude::*;

/// What goes under the bar's row, still inside `<header>` (the compact navigation).
#[slot]
pub struct AppBarBelow {
    children: ChildrenFn,
}

/// `<header>`: one row (brand, navigation, who is signed in; children) and what is below it.
#[component]
pub fn AppBar(
    #[prop(optional)] app_bar_below: Option<AppBarBelow>,
    children: Children,
) -> impl IntoView {
    view! {
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
                {children()}
            </div>
            {app_bar_below.map(|below| (below.children)())}
        </header>
    }
}
