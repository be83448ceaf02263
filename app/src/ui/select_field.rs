//! A labelled drop-down.

use super::field_frame::{described_by, field_frame};
use leptos::prelude::*;

/// A `<select>` with its label, help and error; the `<option>`s are its children.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] on_change: Option<Callback<String>>,
    children: Children,
) -> impl IntoView {
    let described = described_by(id, help.is_some());
    let control = view! {
        <select id=id name=name class="field-input" required=required aria-describedby=described
            aria-invalid=move || error.read().is_some().then_some("true")
            disabled=move || disabled.get()
            on:change=move |ev| {
                if let Some(on_change) = on_change {
                    on_change.run(event_target_value(&ev));
                }
            }
        >
            {children()}
        </select>
    }
    .into_any();
    field_frame(id, label, required, help, error, control)
}
