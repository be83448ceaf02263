//! A labelled multi-line text input.

use super::field_frame::{described_by, field_frame};
use leptos::prelude::*;

/// A `<textarea>` with its label, help and error; `monospace` for code and CSV.
#[component]
pub fn TextArea(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] monospace: bool,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let described = described_by(id, help.is_some());
    let class = if monospace {
        "field-input font-mono text-xs"
    } else {
        "field-input"
    };
    let control = view! {
        <textarea id=id name=name rows=rows.to_string() spellcheck=monospace.then_some("false") class=class
            required=required aria-describedby=described
            aria-invalid=move || error.read().is_some().then_some("true")
            disabled=move || disabled.get()
            prop:value=move || value.get()
            on:input=move |ev| {
                if let Some(on_input) = on_input {
                    on_input.run(event_target_value(&ev));
                }
            }
        ></textarea>
    }
    .into_any();
    field_frame(id, label, required, help, error, control)
}
