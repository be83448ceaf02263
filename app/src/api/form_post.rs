//! Server functions posted by a plain HTML form, before (or without) the wasm: the browser
//! navigates to the answer, so it must be a redirect back to a page that shows the outcome.
//!
//! server_fn and leptos_axum answer such a post (one that accepts `text/html`) with `302` to the
//! `Referer` (an error encoded in it as `__path`/`__err`, which the page's `ServerAction` reads),
//! or to where the function redirected; but an error's own status (`AppError::with_status`)
//! would replace the `302`, and the browser would show the error's JSON instead of the page.
//! [`see_other`] makes the answer a `303 See Other` (the page is then fetched with GET) in both
//! cases; calls from the wasm or from scripts keep their status.

/// Whether this server function call is a plain form post from a browser.
pub fn from_plain_form() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|request| {
        request
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Answers a plain form post with `303 See Other` (its `Location` is set by the caller or by
/// server_fn); does nothing for other calls.
pub fn see_other() {
    if !from_plain_form() {
        return;
    }
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
    }
}
