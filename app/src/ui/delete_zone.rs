//! The bottom of an editor: delete the object, after a question asked in the page.

use crate::api::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// What deleting an object takes and says.
#[derive(Clone)]
pub struct Deletion {
    /// Deletes the object.
    pub action: Action<(), Result<(), AppError>>,
    /// "Delete this room".
    pub heading: &'static str,
    /// The first button, e.g. "Delete room…".
    pub label: &'static str,
    /// The question, with what goes with the object and that it cannot be undone.
    pub question: String,
    /// Where to go once deleted (the list).
    pub then: String,
}

/// A red-bordered section: a button that opens the question (`role="alertdialog"`) with
/// "Delete" (`#confirm-delete`, busy while deleting) and "Cancel"; a failure is shown in place.
#[component]
pub fn DeleteZone(deletion: Deletion) -> impl IntoView {
    let Deletion {
        action,
        heading,
        label,
        question,
        then,
    } = deletion;
    let (confirming, set_confirming) = signal(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            navigate(&then, Default::default());
        }
    });
    let busy = action.pending();
    view! {
        <section aria-labelledby="delete-heading" class="danger-zone">
            <h2 id="delete-heading" class="danger-zone-title">{heading}</h2>
            {move || if confirming.get() {
                view! {
                    <div role="alertdialog" aria-labelledby="delete-question" class="mt-2">
                        <p id="delete-question">{question.clone()}</p>
                        <div class="mt-3 flex gap-2">
                            <button type="button" id="confirm-delete" class="btn btn-danger-strong"
                                disabled=move || busy.get() aria-busy=move || busy.get().then_some("true")
                                on:click=move |_| { action.dispatch(()); }>"Delete"</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| set_confirming.set(false)>"Cancel"</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="btn btn-danger mt-2" on:click=move |_| set_confirming.set(true)>{label}</button>
                }.into_any()
            }}
            {move || match action.value().get() {
                Some(Err(error)) => view! { <super::ErrorNotice error inline=true /> }.into_any(),
                Some(Ok(())) => view! { <super::SuccessNotice>"Deleted."</super::SuccessNotice> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
