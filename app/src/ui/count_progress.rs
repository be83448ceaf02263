//! Progress through a known number of steps: a labelled bar whose value is the count done, and
//! a status line (announced to screen readers) saying where things stand.

use leptos::prelude::*;

/// A `<progress>` of `done` out of `total` and, under it, the status line `children`.
#[component]
pub fn CountProgress(
    /// The bar's id (its label points at it).
    id: &'static str,
    /// The status line's id.
    status_id: &'static str,
    label: &'static str,
    #[prop(into)] done: Signal<usize>,
    total: usize,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="mt-4 max-w-xl">
            <label for=id class="field-label">{label}</label>
            <progress id=id class="mt-1 block h-3 w-full" max=total.to_string()
                value=move || done.get().to_string()></progress>
            <p id=status_id role="status" class="mt-1 text-sm">{children()}</p>
        </div>
    }
}
