//! Who is signed in, with the sign-out button, and the demo-mode banner.

use crate::api::auth::{CurrentUser, Logout};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The signed-in person's name and role, and a sign-out button.
#[component]
pub fn UserMenu(user: CurrentUser) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let role = user.role.to_string().replace('_', " ");
    let tenant = user.tenant.clone().map(|tenant| format!(" · {tenant}"));
    view! {
        <div class="flex items-center gap-3 text-sm">
            <span class="text-slate-600">
                <span id="current-user" class="font-medium text-slate-900">{user.username.clone()}</span>
                " (" {role} {tenant} ")"
            </span>
            <ActionForm action=logout>
                <button type="submit" class="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

/// Shown on every page while the portal runs against the built-in simulator.
#[component]
pub fn DemoBanner() -> impl IntoView {
    view! {
        <div id="demo-banner" role="status" class="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-900">
            <strong>"Demo"</strong>
            " — this portal is connected to the built-in Pexip simulator, not a real Management Node."
        </div>
    }
}
