//! How a page says that something failed, in words that say what to do.

use crate::api::AppError;
use leptos::prelude::*;

/// What went wrong: Management Node trouble is named as such.
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

/// An error of a load or an action, announced to screen readers (`role="alert"`). Give it an
/// [`AppError`] or, for a message of the page's own, `message`.
#[component]
pub fn ErrorNotice(
    #[prop(optional)] error: Option<AppError>,
    #[prop(optional, into)] message: Option<String>,
    /// One line under the action instead of a box (next to a button or a form).
    #[prop(optional)]
    inline: bool,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let text = error.as_ref().map(explain).or(message).unwrap_or_default();
    let class = if inline {
        "error-line"
    } else {
        "notice notice-error"
    };
    view! { <p id=id role="alert" class=class>{text}</p> }
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
