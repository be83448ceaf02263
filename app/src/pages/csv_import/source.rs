//! Where the CSV text comes from: a file read in the browser, or text pasted into the page.

use crate::ui::{FileField, Stack, TextArea};
use bff::bulk::MAX_IMPORT_BYTES;
use leptos::prelude::*;

/// `Err` with a message for people when `bytes` is more than an import takes.
pub fn check_size(bytes: usize) -> Result<(), String> {
    if bytes > MAX_IMPORT_BYTES {
        Err(format!(
            "The file has {} KB; an import takes at most {} KB (about 2,000 lines). Split it into several files.",
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
    let on_file = Callback::new(move |event: leptos::ev::Event| {
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
    });
    view! {
        <Stack>
            <FileField id="import-file" label="CSV file" accept=".csv,text/csv,text/plain"
                disabled on_change=on_file />
            <TextArea id="import-text" label="or paste the CSV text" rows=8 monospace=true
                disabled value=Signal::derive(move || csv.get())
                on_input=Callback::new(move |text| csv.set(text)) />
        </Stack>
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
