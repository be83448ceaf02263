//! Work in progress that takes a while: a bar (with a share, or running) and what is happening.

use leptos::prelude::*;

/// `role="status"` line with a `<progress>`; `percent` makes it determinate.
#[component]
pub fn Progress(
    /// The bar's accessible name, e.g. "Upload progress".
    label: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional, into)] percent: Option<Signal<f64>>,
    children: Children,
) -> impl IntoView {
    let bar = match percent {
        Some(percent) => view! {
            <progress id=id max="100" value=move || format!("{:.0}", percent.get()) class="w-64" aria-label=label></progress>
        }
        .into_any(),
        None => view! { <progress id=id class="w-40" aria-label=label></progress> }.into_any(),
    };
    view! {
        <div role="status" class="mt-3 flex items-center gap-3 text-sm text-slate-600">
            {bar}
            <span>{children()}</span>
        </div>
    }
}
