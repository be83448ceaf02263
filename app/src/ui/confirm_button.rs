//! A button for a destructive action that asks first, in the page (no browser dialog): the
//! first click shows the question with a confirming button and a way back.
//!
//! Which question is open lives in the page ([`ConfirmState`]), not in the button: lists that
//! are fetched again (after another action, or every few seconds on the live page) re-create
//! their rows, and an open question must survive that.

use leptos::prelude::*;

/// The open question of a page (its button's accessible name), if any.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmState(RwSignal<Option<String>>);

impl ConfirmState {
    /// Gives the current page one open question at a time; call in the page component.
    pub fn provide() {
        provide_context(ConfirmState(RwSignal::new(None)));
    }
}

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
) -> impl IntoView {
    let open = use_context::<ConfirmState>()
        .unwrap_or_else(|| ConfirmState(RwSignal::new(None)))
        .0;
    let accessible = format!("{label} {target}");
    let key = accessible.clone();
    let asking = Signal::derive(move || open.read().as_deref() == Some(key.as_str()));
    let ask = {
        let key = accessible.clone();
        move || open.set(Some(key.clone()))
    };
    let close = move || open.set(None);
    let question = match consequence {
        Some(consequence) => format!("{label} {target}? {consequence}"),
        None => format!("{label} {target}?"),
    };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="btn btn-danger" aria-label=accessible.clone()
                    on:click={
                        let ask = ask.clone();
                        move |_| ask()
                    }>
                    {label}
                </button>
            }
        >
            <span role="group" aria-label="Confirm" class="inline-flex flex-wrap items-center gap-2">
                <span class="text-sm text-red-800">{question.clone()}</span>
                <button type="button" class="btn btn-danger-small"
                    on:click=move |_| { close(); on_confirm.run(()); }>
                    {format!("Yes, {}", label.to_lowercase())}
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| close()>"Cancel"</button>
            </span>
        </Show>
    }
}
