//! A labelled text input (text, search, email, password, number, date and time, file).

use super::field_frame::{described_by, field_frame};
use leptos::prelude::*;

/// An `<input>` with its label, help and error. Inside a plain or `ActionForm` form give it a
/// `name`; a controlled field gets `value` (shown, in the server's HTML too, so that a plain GET
/// form keeps its search after the page load) and `on_input` (each keystroke).
#[component]
pub fn TextField(
    /// The input's id (ids in repeated parts, cards say, are made at run time).
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    #[prop(optional)] name: Option<&'static str>,
    /// `type`, "text" by default.
    #[prop(optional)]
    input_type: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// For `type="file"`.
    #[prop(optional)]
    accept: Option<&'static str>,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// The shown value of a controlled field.
    #[prop(optional, into)]
    value: Option<Signal<String>>,
    #[prop(optional, into)] on_input: Option<Callback<String>>,
    /// For `type="file"`: the change event (read `files()` from its target).
    #[prop(optional, into)]
    on_change: Option<Callback<leptos::ev::Event>>,
    /// The id of one more element that describes the field (a hint that loads later).
    #[prop(optional)]
    also_described_by: Option<&'static str>,
) -> impl IntoView {
    let input_type = input_type.unwrap_or("text");
    let file = input_type == "file";
    let class = if file {
        "mt-1 block text-sm"
    } else {
        "field-input"
    };
    let described = match also_described_by {
        Some(other) => format!("{other} {}", described_by(&id, help.is_some())),
        None => described_by(&id, help.is_some()),
    };
    let invalid = move || error.read().is_some().then_some("true");
    let input = move |ev: leptos::ev::Event| {
        if let Some(on_input) = on_input {
            on_input.run(event_target_value(&ev));
        }
    };
    let change = move |ev: leptos::ev::Event| {
        if let Some(on_change) = on_change {
            on_change.run(ev);
        }
    };
    let minlength = minlength.map(|n| n.to_string());
    let input_id = id.clone();
    let control = match value {
        Some(value) => view! {
            <input id=input_id name=name type=input_type class=class required=required minlength=minlength
                autocomplete=autocomplete placeholder=placeholder accept=accept
                aria-describedby=described aria-invalid=invalid disabled=move || disabled.get()
                value=move || value.get() prop:value=move || value.get() on:input=input on:change=change />
        }
        .into_any(),
        None => view! {
            <input id=input_id name=name type=input_type class=class required=required minlength=minlength
                autocomplete=autocomplete placeholder=placeholder accept=accept
                aria-describedby=described aria-invalid=invalid disabled=move || disabled.get()
                on:input=input on:change=change />
        }
        .into_any(),
    };
    field_frame(&id, label, required, help, error, control)
}
