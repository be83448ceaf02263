//! A short bulleted list in running text.

use leptos::prelude::*;

#[component]
pub fn BulletList(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <ul id=id class="mt-2 list-disc pl-6 text-sm">{children()}</ul> }
}
