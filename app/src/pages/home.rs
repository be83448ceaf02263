//! The landing page: an overview of the portal's sections. End users land on their meeting
//! rooms instead (a redirect: a 302 from the server, a navigation in the browser).

use super::sections;
use crate::layout::CurrentUserResource;
use crate::ui::{CardList, LinkCard, PageHeader};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let capabilities = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.capabilities)
            .unwrap_or_default()
    };
    let is_end_user = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.role == bff::Role::User)
    };
    view! {
        <Transition>{move || is_end_user().then(|| view! { <Redirect path="/rooms" /> })}</Transition>
        <PageHeader title="Overview" tab_title=""
            intro="Manage meeting rooms, follow live calls and look after the Pexip Infinity deployment." />
        <CardList>
            <Transition>
            {move || sections::visible(&capabilities())
                .map(|section| view! {
                    <LinkCard href=format!("/{}", section.slug) title=section.title summary=section.summary />
                })
                .collect_view()}
            </Transition>
        </CardList>
    }
}
