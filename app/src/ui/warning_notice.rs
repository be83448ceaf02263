//! Something to be aware of before acting (not an error).

use leptos::prelude::*;

#[component]
pub fn WarningNotice(
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! { <div id=id class="notice notice-warning">{children()}</div> }
}
