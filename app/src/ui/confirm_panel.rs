//! A question asked in the page before a big step (restore a backup): "Yes, …" or "Cancel".

use leptos::prelude::*;

/// `role="group"` named "Confirm", in a red box.
#[component]
pub fn ConfirmPanel(
    #[prop(into)] question: String,
    /// The confirming button's text, e.g. "Yes, restore".
    yes: &'static str,
    #[prop(into)] on_yes: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div role="group" aria-label="Confirm" class="notice notice-error mt-3 flex flex-wrap items-center gap-2">
            <span>{question}</span>
            <button type="button" class="btn btn-danger-small" on:click=move |_| on_yes.run(())>{yes}</button>
            <button type="button" class="btn btn-secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
        </div>
    }
}
