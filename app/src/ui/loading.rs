//! A load in progress, announced politely.

use leptos::prelude::*;

/// "Loading the rooms…".
#[component]
pub fn Loading(what: &'static str) -> impl IntoView {
    view! { <p class="loading" aria-live="polite">{format!("Loading {what}…")}</p> }
}
