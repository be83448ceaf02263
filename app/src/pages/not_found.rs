//! The page for any URL the portal does not know. Answers 404 when rendered on the server.

use crate::ui::{Centered, Intro, PageHeader, Space, Stack, TextLink};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Centered>
            <PageHeader title="Page not found" tab_title="Not found" />
            <Intro>"There is nothing at this address."</Intro>
            <Stack space=Space::Large><TextLink href="/">"Back to the overview"</TextLink></Stack>
        </Centered>
    }
}
