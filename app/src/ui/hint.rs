//! A small grey line: a count, a note under a control, "updated 3 s ago".

use leptos::prelude::*;

/// `live` announces changes politely (counts that follow a filter).
#[component]
pub fn Hint(
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] live: bool,
    /// A status line (`role="status"`), e.g. whether a feed is live.
    #[prop(optional)]
    status: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <p id=id class="mt-2 hint" role=status.then_some("status") aria-live=live.then_some("polite")>
            {children()}
        </p>
    }
}
