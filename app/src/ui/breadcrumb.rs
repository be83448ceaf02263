//! The way back up from a page: links separated by " / ".

use leptos::prelude::*;

/// `<nav aria-label="Breadcrumb">` around [`TextLink`](super::TextLink)s.
#[component]
pub fn Breadcrumb(children: Children) -> impl IntoView {
    view! { <nav aria-label="Breadcrumb" class="breadcrumb">{children()}</nav> }
}
