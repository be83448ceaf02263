//! Restoring a backup: the file goes up with `XMLHttpRequest` so the page can show the upload's
//! progress (fetch cannot report it), to `POST /api/backups/restore`; the answer is an error in
//! the server functions' JSON shape or 204.

use super::notice::ErrorNotice;
use super::style::{BUTTON, CONFIRM_BUTTON, INPUT, LABEL, SMALL_BUTTON};
use crate::api::AppError;
use leptos::prelude::*;

#[component]
pub fn RestoreForm(#[prop(into)] on_restored: Callback<()>) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    // Some(fraction uploaded) while a restore runs.
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<Result<(), AppError>>);
    let asking = RwSignal::new(false);

    let start = move |_| {
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
        <section aria-labelledby="restore-heading" class="mt-10">
            <h2 id="restore-heading" class="text-lg font-semibold">"Restore a backup"</h2>
            <p class="mt-1 text-sm text-slate-600">"Restoring replaces the whole configuration of the Management Node with the backup's."</p>
            <form node_ref=form method="post" enctype="multipart/form-data" action="/api/backups/restore"
                class="mt-2 grid gap-4 sm:grid-cols-3"
                on:submit=move |event| { event.prevent_default(); asking.set(true); }>
                <div><label for="restore-file" class=LABEL>"Backup file"</label>
                    <input id="restore-file" name="package" type="file" required class=INPUT /></div>
                <div><label for="restore-passphrase" class=LABEL>"Passphrase of the backup"</label>
                    <input id="restore-passphrase" name="passphrase" type="password" required autocomplete="off" class=INPUT /></div>
                <div class="flex items-end">
                    <button type="submit" class=BUTTON disabled=move || progress.get().is_some()>"Restore…"</button>
                </div>
            </form>
            <Show when=move || asking.get()>
                <div role="group" aria-label="Confirm" class="mt-3 flex flex-wrap items-center gap-2 rounded border border-red-200 bg-red-50 px-4 py-3">
                    <span class="text-sm text-red-800">"Replace the current configuration with this backup?"</span>
                    <button type="button" class=CONFIRM_BUTTON on:click=start>"Yes, restore"</button>
                    <button type="button" class=SMALL_BUTTON on:click=move |_| asking.set(false)>"Cancel"</button>
                </div>
            </Show>
            {move || progress.get().map(|fraction| {
                let percent = (fraction * 100.0).round();
                let text = if fraction >= 1.0 {
                    "Uploaded; the node is restoring the backup…".to_string()
                } else {
                    format!("Uploading… {percent} %")
                };
                view! {
                    <div role="status" class="mt-3 flex items-center gap-3 text-sm">
                        <progress id="restore-progress" max="100" value=percent.to_string() class="w-64" aria-label="Upload progress"></progress>
                        <span>{text}</span>
                    </div>
                }
            })}
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! { <p role="status" class="mt-3 text-sm text-emerald-700">"The backup was restored."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
    }
}

/// The server renders the form only; uploads start in the browser.
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
