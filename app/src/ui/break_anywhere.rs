//! Text that may break anywhere (long aliases and addresses in a narrow column).

use leptos::prelude::*;

/// `<span>` whose text wraps at any character rather than widening its column or card.
#[component]
pub fn BreakAnywhere(children: Children) -> impl IntoView {
    view! { <span class="wrap-anywhere">{children()}</span> }
}
