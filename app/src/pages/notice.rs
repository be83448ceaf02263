//! How a page says that something failed, and that there is nothing to show.

use crate::api::AppError;
use leptos::prelude::*;

/// What went wrong, in words that say what to do: Management Node trouble is named as such.
pub fn explain(error: &AppError) -> String {
    match error {
        AppError::Unavailable(detail) => format!(
            "The Pexip Management Node did not answer as expected ({detail}). Try again in a moment."
        ),
        AppError::Request(detail) => {
            format!(
                "The portal could not be reached ({detail}). Check the connection and try again."
            )
        }
        other => other.to_string(),
    }
}

/// An error of a load or an action, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! {
        <p role="alert" class="mt-4 rounded border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
            {explain(&error)}
        </p>
    }
}

/// The error of the last run of an action, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> impl IntoView
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    }
}

/// There is nothing to show (yet).
#[component]
pub fn Empty(children: Children) -> impl IntoView {
    view! { <p class="mt-4 rounded border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-600">{children()}</p> }
}

/// A load in progress.
#[component]
pub fn Loading(what: &'static str) -> impl IntoView {
    view! { <p class="mt-4 text-sm text-slate-600" aria-live="polite">{format!("Loading {what}…")}</p> }
}
