//! Restoring a backup: the file goes up with `XMLHttpRequest` so the page can show the upload's
//! progress (fetch cannot report it), to `POST /api/backups/restore`; the answer is an error in
//! the server functions' JSON shape or 204.

use crate::api::AppError;
use crate::ui::{
    Button, ConfirmPanel, ErrorNotice, FormActions, Grid, Hint, Progress, Section, SuccessNotice,
    TextField,
};
use leptos::prelude::*;

#[component]
pub fn RestoreForm(#[prop(into)] on_restored: Callback<()>) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    // Some(fraction uploaded) while a restore runs.
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<Result<(), AppError>>);
    let asking = RwSignal::new(false);

    let start = move |()| {
        asking.set(false);
        outcome.set(None);
        let started = form
            .get_untracked()
            .is_some_and(|element| upload(&element, progress, outcome, on_restored).is_ok());
        if !started {
            progress.set(None);
            outcome.set(Some(Err(AppError::Request(
                "the browser could not start the upload".into(),
            ))));
        }
    };

    view! {
        <Section heading_id="restore-heading" title="Restore a backup">
            <Hint>"Restoring replaces the whole configuration of the Management Node with the backup's."</Hint>
            <form node_ref=form method="post" enctype="multipart/form-data" action="/api/backups/restore"
                on:submit=move |event| { event.prevent_default(); asking.set(true); }>
                <Grid columns=3>
                    <TextField id="restore-file" name="package" label="Backup file" input_type="file" required=true />
                    <TextField id="restore-passphrase" name="passphrase" label="Passphrase of the backup"
                        input_type="password" required=true autocomplete="off" />
                    <FormActions>
                        <Button submit=true busy=Signal::derive(move || progress.get().is_some())>"Restore…"</Button>
                    </FormActions>
                </Grid>
            </form>
            <Show when=move || asking.get()>
                <ConfirmPanel question="Replace the current configuration with this backup?" yes="Yes, restore"
                    on_yes=start on_cancel=move |()| asking.set(false) />
            </Show>
            {move || progress.get().map(|fraction| {
                let text = if fraction >= 1.0 {
                    "Uploaded; the node is restoring the backup…".to_string()
                } else {
                    format!("Uploading… {} %", (fraction * 100.0).round())
                };
                view! {
                    <Progress id="restore-progress" label="Upload progress"
                        percent=Signal::derive(move || (fraction * 100.0).round())>{text}</Progress>
                }
            })}
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! { <SuccessNotice>"The backup was restored."</SuccessNotice> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </Section>
    }
}

#[cfg(not(feature = "hydrate"))]
fn upload(
    _form: &leptos::web_sys::HtmlFormElement,
    _progress: RwSignal<Option<f64>>,
    _outcome: RwSignal<Option<Result<(), AppError>>>,
    _on_restored: Callback<()>,
) -> Result<(), ()> {
    Err(())
}

/// Sends the form with its file and reports progress and the answer into the signals.
#[cfg(feature = "hydrate")]
fn upload(
    form: &web_sys::HtmlFormElement,
    progress: RwSignal<Option<f64>>,
    outcome: RwSignal<Option<Result<(), AppError>>>,
    on_restored: Callback<()>,
) -> Result<(), leptos::wasm_bindgen::JsValue> {
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    let data = web_sys::FormData::new_with_form(form)?;
    let request = web_sys::XmlHttpRequest::new()?;
    request.open_with_async("POST", "/api/backups/restore", true)?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress.set(Some(event.loaded() / event.total()));
            }
        });
    request
        .upload()?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let answered = request.clone();
    let on_end = Closure::once_into_js(move |_: web_sys::Event| {
        // The progress handler is not needed any more once the request has ended.
        drop(on_progress);
        let status = answered.status().unwrap_or(0);
        let result = match status {
            200..=299 => Ok(()),
            0 => Err(AppError::Request("the upload was interrupted".into())),
            413 => Err(AppError::Request(
                "the file is larger than a restore accepts".into(),
            )),
            _ => Err(answered
                .response_text()
                .ok()
                .flatten()
                .and_then(|body| serde_json::from_str::<AppError>(&body).ok())
                .unwrap_or_else(|| AppError::Request(format!("the server answered {status}")))),
        };
        progress.set(None);
        if result.is_ok() {
            on_restored.run(());
        }
        outcome.set(Some(result));
    });
    request.set_onloadend(Some(on_end.unchecked_ref()));
    progress.set(Some(0.0));
    request.send_with_opt_form_data(Some(&data))?;
    Ok(())
}
