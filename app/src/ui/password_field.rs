//! A labelled password input with a "Show password" switch under it.

use super::field_frame::{described_by, field_frame};
use leptos::prelude::*;

/// `<input type="password">` with its label and error; the checkbox under it (its id is
/// `<id>-show`) turns it into plain text while checked. `value` is the field's text, kept in
/// both directions (another control may fill it in).
#[component]
pub fn PasswordField(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    value: RwSignal<String>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let described = described_by(id, false);
    let invalid = move || error.read().is_some().then_some("true");
    let control = view! {
        <input id=id name=name class="field-input" required=required autocomplete=autocomplete
            type=move || if shown.get() { "text" } else { "password" }
            aria-describedby=described aria-invalid=invalid
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev)) />
        <label class="field-check">
            <input id=format!("{id}-show") type="checkbox"
                prop:checked=move || shown.get()
                on:change=move |ev| shown.set(event_target_checked(&ev)) />
            "Show password"
        </label>
    }
    .into_any();
    field_frame(id, label, required, None, error, control)
}
