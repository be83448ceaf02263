//! Where the CSV text comes from: a file read in the browser, or text pasted into the page.

use bff::bulk::MAX_IMPORT_BYTES;
use leptos::prelude::*;

const INPUT: &str = "mt-1 block w-full rounded border border-slate-300 px-3 py-2";

/// `Err` with a message for people when `bytes` is more than an import takes.
pub fn check_size(bytes: usize) -> Result<(), String> {
    if bytes > MAX_IMPORT_BYTES {
        Err(format!(
            "The file has {} KB; an import takes at most {} KB (about 2,000 rooms). Split it into several files.",
            bytes.div_ceil(1024),
            MAX_IMPORT_BYTES / 1024
        ))
    } else {
        Ok(())
    }
}

/// A file chooser and a text area; choosing a file puts its text into the text area.
#[component]
pub fn SourceInput(
    csv: RwSignal<String>,
    source_error: RwSignal<Option<String>>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let on_file = move |event: leptos::ev::Event| {
        source_error.set(None);
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        if let Err(message) = check_size(file.size() as usize) {
            source_error.set(Some(message));
            input.set_value("");
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => csv.set(text.as_string().unwrap_or_default()),
                Err(_) => source_error.set(Some(
                    "The file could not be read as text; save it as CSV (UTF-8) and choose it again."
                        .into(),
                )),
            }
        });
    };
    view! {
        <div class="mt-3 grid max-w-3xl gap-4">
            <div>
                <label for="import-file" class="text-sm font-medium">"CSV file"</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".csv,text/csv,text/plain"
                    class="mt-1 block text-sm"
                    disabled=move || disabled.get()
                    on:change=on_file
                />
            </div>
            <div>
                <label for="import-text" class="text-sm font-medium">"or paste the CSV text"</label>
                <textarea
                    id="import-text"
                    rows="8"
                    spellcheck="false"
                    class=format!("{INPUT} font-mono text-xs")
                    disabled=move || disabled.get()
                    prop:value=move || csv.get()
                    on:input=move |event| csv.set(event_target_value(&event))
                ></textarea>
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_cap_is_explained() {
        assert_eq!(check_size(MAX_IMPORT_BYTES), Ok(()));
        let error = check_size(MAX_IMPORT_BYTES + 1).unwrap_err();
        assert!(error.contains("at most 384 KB"), "{error}");
    }
}
