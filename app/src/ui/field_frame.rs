//! The frame every field shares: label, the control, help and error, linked for screen readers.

use leptos::prelude::*;

/// The ids a control points to with `aria-describedby` and `aria-errormessage`.
pub(crate) fn described_by(id: &str, help: bool) -> String {
    if help {
        format!("{id}-help {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// Label above, then the control, then help and the error (announced when it appears).
pub(crate) fn field_frame(
    id: &str,
    label: String,
    required: bool,
    help: Option<String>,
    error: Signal<Option<String>>,
    control: AnyView,
) -> impl IntoView + use<> {
    let label_for = id.to_string();
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    view! {
        <div class="min-w-0">
            // Required is the control's own `required` (browsers and screen readers announce it);
            // a marker in the label would change the label's text that people search by.
            <label for=label_for class="field-label" data-required=required.then_some("true")>
                {label}
            </label>
            {control}
            {help.map(|help| view! { <p id=help_id class="field-help">{help}</p> })}
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
