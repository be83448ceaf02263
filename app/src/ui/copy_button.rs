//! A copy button: puts a text on the clipboard and says "Copied"; where the browser refuses
//! (no clipboard permission, not a secure context) it selects the text on the page instead and
//! says how to copy it.

use leptos::prelude::*;
use std::time::Duration;

/// What the last click did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Yes,
    /// The text is selected for the person to copy.
    Selected,
}

/// Copies `text` (read when clicked). `target` is the id of the element showing the text,
/// selected when the clipboard cannot be written; `what` names the text ("the join link"):
/// the button reads "Copy" (then "Copied"), and screen readers hear "Copy the join link" (the
/// visible word stays the start of the accessible name).
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] target: String,
    what: &'static str,
) -> impl IntoView {
    let (copied, set_copied) = signal(Copied::Not);
    let target = StoredValue::new(target);
    let on_click = move |_| {
        let text = text.get_untracked();
        leptos::task::spawn_local(async move {
            let state = if write_clipboard(&text).await {
                Copied::Yes
            } else {
                select_element(&target.get_value());
                Copied::Selected
            };
            set_copied.set(state);
            set_timeout(move || set_copied.set(Copied::Not), Duration::from_secs(3));
        });
    };
    view! {
        <span class="inline-flex items-center gap-2">
            <button type="button" class="btn btn-secondary" on:click=on_click data-copied=move || (copied.get() == Copied::Yes).to_string()>
                {move || if copied.get() == Copied::Yes { "Copied" } else { "Copy" }}
                <span class="sr-only">{format!(" {what}")}</span>
            </button>
            <span role="status" class="fine-print">
                {move || match copied.get() {
                    Copied::Yes => "Copied to the clipboard.",
                    Copied::Selected => "Selected: press Ctrl+C (⌘C on a Mac) to copy.",
                    Copied::Not => "",
                }}
            </span>
        </span>
    }
}

/// Writes the clipboard; false when the browser does not allow it.
async fn write_clipboard(text: &str) -> bool {
    let window = window();
    if !window.is_secure_context() {
        return false;
    }
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Selects the text of the element with this id.
fn select_element(id: &str) {
    let Some(element) = document().get_element_by_id(id) else {
        return;
    };
    if let Ok(Some(selection)) = window().get_selection() {
        let _ = selection.select_all_children(&element);
    }
}
