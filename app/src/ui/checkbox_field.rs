//! A checkbox with its label beside it.

use leptos::prelude::*;

/// `<input type="checkbox">` inside its `<label>`, with optional help and error below. Its
/// state is in the server's HTML too (a plain form posts it before the wasm).
#[component]
pub fn CheckboxField(
    /// The input's id (ids in repeated parts, cards say, are made at run time).
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] checked: Option<RwSignal<bool>>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let described = super::field_frame::described_by(&id, help.is_some());
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let label_for = id.clone();
    view! {
        <div class="min-w-0">
            <label for=label_for class="field-check">
                <input id=id name=name type="checkbox" value="true" aria-describedby=described
                    disabled=move || disabled.get()
                    checked=move || checked.is_some_and(|c| c.get())
                    prop:checked=move || checked.is_some_and(|c| c.get())
                    on:change=move |ev| {
                        if let Some(checked) = checked {
                            checked.set(event_target_checked(&ev));
                        }
                    } />
                {label}
            </label>
            {help.map(|help| view! { <p id=help_id class="field-help">{help}</p> })}
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
