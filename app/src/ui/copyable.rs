//! A value to copy (an alias, a link), with its copy button beside it.

use super::CopyButton;
use leptos::prelude::*;

/// The value in monospace (`<code>`, or with `link` an `<a>` that opens it in a new tab) and a
/// [`CopyButton`]. `id` is the value's element, selected when the clipboard cannot be written;
/// `what` names the value for the button ("the alias").
#[component]
pub fn Copyable(
    #[prop(into)] id: String,
    #[prop(into)] text: String,
    what: &'static str,
    #[prop(optional)] link: bool,
) -> impl IntoView {
    let target = id.clone();
    let value = if link {
        view! {
            <a id=id href=text.clone() class="link code text-sm" rel="noopener" target="_blank">{text.clone()}</a>
        }
        .into_any()
    } else {
        view! { <code id=id class="code text-sm">{text.clone()}</code> }.into_any()
    };
    view! {
        <div class="flex flex-wrap items-center justify-between gap-2">
            {value}
            <CopyButton text=text target what />
        </div>
    }
}
