//! The load of a page's data: a loading line, then the page, or what went wrong.

use super::{ErrorNotice, Loading};
use crate::api::AppError;
use leptos::prelude::*;

/// Shows `what` loading until `data` is there, then `view` of it; an error as an
/// [`ErrorNotice`], except "not found", which shows `not_found` (the page's 404).
#[component]
pub fn Loaded<T, F>(
    what: &'static str,
    /// The page's resources, combined (read inside, so the transition waits for them).
    #[prop(into)]
    data: Signal<Option<Result<T, AppError>>>,
    view: F,
    #[prop(optional, into)] not_found: ViewFn,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Clone + Send + Sync + 'static,
{
    let not_found = StoredValue::new(not_found);
    view! {
        <Transition fallback=move || view! { <Loading what /> }>
            {
                let view = view.clone();
                move || data.get().map(|result| match result {
                    Ok(data) => view(data),
                    Err(AppError::NotFound) => not_found.with_value(|v| v.run()),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })
            }
        </Transition>
    }
}
