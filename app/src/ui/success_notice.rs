//! Something worked: "Saved.", "Sessions ended."

use leptos::prelude::*;

/// A `role="status"` line (or box); give `id` when tests look for it.
#[component]
pub fn SuccessNotice(
    #[prop(optional)] id: Option<&'static str>,
    /// A box instead of one line.
    #[prop(optional)]
    boxed: bool,
    children: Children,
) -> impl IntoView {
    let class = if boxed {
        "notice notice-success"
    } else {
        "status-line"
    };
    view! { <p id=id role="status" class=class>{children()}</p> }
}
