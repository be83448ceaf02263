//! A labelled file chooser: help, error, the largest size accepted and an upload's progress.

use super::Progress;
use leptos::html::Input;
use leptos::prelude::*;

/// `<input type="file">` with its label, help (ending with "At most 64 MiB." once `limit` is
/// known), error, and a progress bar while `progress` holds the uploaded fraction. A page reads
/// the chosen file through `node_ref`, or from the target of `on_change`'s event.
#[component]
pub fn FileField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional)] node_ref: NodeRef<Input>,
    /// The form field name, for a plain form post.
    #[prop(optional)]
    name: Option<&'static str>,
    /// The `accept` attribute (".zip", ".pem,.crt,.key").
    #[prop(optional)]
    accept: Option<&'static str>,
    /// The largest file accepted, as text ("64 MiB").
    #[prop(optional, into)]
    limit: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// The change event (read `files()` from its target).
    #[prop(optional, into)]
    on_change: Option<Callback<leptos::ev::Event>>,
    /// The uploaded fraction (0 to 1) while an upload runs; the chooser is disabled meanwhile.
    #[prop(optional, into)]
    progress: Signal<Option<f64>>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described = format!("{help_id} {error_id}");
    let help_text = move || {
        let limit = limit.get().map(|l| format!("At most {l}."));
        match (&help, limit) {
            (Some(help), Some(limit)) => format!("{help} {limit}"),
            (Some(help), None) => help.clone(),
            (None, Some(limit)) => limit,
            (None, None) => String::new(),
        }
    };
    let invalid = move || error.read().is_some().then_some("true");
    let change = move |ev: leptos::ev::Event| {
        if let Some(on_change) = on_change {
            on_change.run(ev);
        }
    };
    view! {
        <div class="min-w-0">
            <label for=id.clone() class="field-label" data-required=required.then_some("true")>{label}</label>
            <input node_ref=node_ref id=id.clone() name=name type="file" class="mt-1 block text-sm"
                accept=accept required=required aria-describedby=described aria-invalid=invalid
                disabled=move || disabled.get() || progress.get().is_some() on:change=change />
            // The limit may come from a resource: read here, inside a boundary of its own, so it
            // is awaited where it is shown (not by an enclosing page's boundary).
            <p id=help_id class="field-help"><Transition>{help_text}</Transition></p>
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
            {move || progress.get().map(|fraction| {
                let percent = (fraction * 100.0).round();
                let text = if fraction >= 1.0 {
                    "Uploaded; waiting for the Management Node…".to_string()
                } else {
                    format!("Uploading… {percent} %")
                };
                view! {
                    <Progress label="Upload progress" percent=Signal::derive(move || percent)>{text}</Progress>
                }
            })}
        </div>
    }
}
