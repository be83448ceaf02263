//! Things side by side, wrapping on narrow screens.

use leptos::prelude::*;

/// A wrapping row, vertically centred; `spread` pushes the ends apart, `end` aligns the bottoms
/// (a button next to fields).
#[component]
pub fn Row(
    #[prop(optional)] spread: bool,
    #[prop(optional)] end: bool,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let class = match (spread, end) {
        (true, _) => "mt-3 flex flex-wrap items-center justify-between gap-2",
        (false, true) => "mt-3 flex flex-wrap items-end gap-3",
        (false, false) => "mt-3 flex flex-wrap items-center gap-2",
    };
    view! { <div id=id class=class>{children()}</div> }
}
