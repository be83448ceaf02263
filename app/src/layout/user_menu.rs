//! Who is signed in, with the sign-out button, and the demo-mode banner.

use crate::api::auth::{CurrentUser, Logout};
use crate::ui::frame::UserBox;
use crate::ui::{Button, DemoBanner, Muted, Strong, Variant};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The signed-in person's name and role, and a sign-out button.
#[component]
pub fn UserMenu(user: CurrentUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let role = user.role.to_string().replace('_', " ");
    let tenant = user.tenant.clone().map(|tenant| format!(" · {tenant}"));
    view! {
        <UserBox>
            <Muted>
                <Strong id="current-user">{user.username.clone()}</Strong>
                " (" {role} {tenant} ")"
            </Muted>
            <ActionForm action=logout>
                <Button variant=Variant::Secondary submit=true busy=logout.pending()>"Sign out"</Button>
            </ActionForm>
        </UserBox>
    }
}

/// Shown on every page while the portal runs against the built-in simulator.
#[component]
pub fn DemoNotice() -> impl IntoView {
    view! {
        <DemoBanner>
            <Strong>"Demo"</Strong>
            " — this portal is connected to the built-in Pexip simulator, not a real Management Node."
        </DemoBanner>
    }
}
