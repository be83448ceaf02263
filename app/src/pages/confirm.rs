//! A button for a destructive action that asks first, in the page (no browser dialog): the
//! first click shows the question with a confirming button and a way back.

use super::style::{CONFIRM_BUTTON, DANGER_BUTTON, SMALL_BUTTON};
use leptos::prelude::*;

#[component]
pub fn ConfirmButton(
    /// The button's text, e.g. "Disconnect".
    label: &'static str,
    /// What it acts on, for the accessible name ("Disconnect Alice") and the question.
    target: String,
    /// The question's verb phrase, e.g. "Disconnect" → "Disconnect Alice?".
    #[prop(optional)]
    consequence: Option<&'static str>,
    /// Runs when confirmed.
    #[prop(into)]
    on_confirm: Callback<()>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let (asking, set_asking) = signal(false);
    let accessible = format!("{label} {target}");
    let question = match consequence {
        Some(consequence) => format!("{label} {target}? {consequence}"),
        None => format!("{label} {target}?"),
    };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class=DANGER_BUTTON aria-label=accessible.clone()
                    disabled=move || disabled.get()
                    on:click=move |_| set_asking.set(true)>
                    {label}
                </button>
            }
        >
            <span role="group" aria-label="Confirm" class="inline-flex flex-wrap items-center gap-2">
                <span class="text-sm text-red-800">{question.clone()}</span>
                <button type="button" class=CONFIRM_BUTTON
                    on:click=move |_| { set_asking.set(false); on_confirm.run(()); }>
                    {format!("Yes, {}", label.to_lowercase())}
                </button>
                <button type="button" class=SMALL_BUTTON on:click=move |_| set_asking.set(false)>"Cancel"</button>
            </span>
        </Show>
    }
}
