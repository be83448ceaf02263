//! The main navigation: one link per portal section.

use super::CurrentUserResource;
use crate::pages::sections;
use crate::ui::frame::{NavItem, NavList};
use leptos::prelude::*;

/// Links to the sections the signed-in person can use (the server still checks every request).
/// The current page's link carries `aria-current`.
#[component]
pub fn NavLinks() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let capabilities = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.capabilities)
            .unwrap_or_default()
    };
    view! {
        <NavList>
            <Transition>
            {move || sections::visible(&capabilities())
                .map(|section| view! { <NavItem href=format!("/{}", section.slug)>{section.title}</NavItem> })
                .collect_view()}
            </Transition>
        </NavList>
    }
}
