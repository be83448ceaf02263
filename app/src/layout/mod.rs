//! The frame around every signed-in page: header, navigation, who is signed in, and the main area.

mod nav;
mod pending;
mod user_menu;

pub use nav::{NavLinks, NavToggle};
pub use pending::PendingNote;
pub use user_menu::{DemoBanner, UserMenu};

use crate::api::auth::{CurrentUser, me};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// The signed-in person, for every page inside the layout.
pub type CurrentUserResource = Resource<Result<Option<CurrentUser>, crate::api::AppError>>;

#[component]
pub fn AppLayout() -> impl IntoView {
    // Open state of the navigation on narrow screens; toggled by the wasm after hydration.
    let (menu_open, set_menu_open) = signal(false);
    // The signed-in pages are streamed in order (`SsrMode::InOrder`, see `app.rs`): this frame
    // goes out at once (the person comes from the session, not from the Management Node), each
    // page's data follows in document order, so they work without JavaScript too.
    let user: CurrentUserResource = Resource::new(|| (), |_| me());
    provide_context(user);
    let signed_in = move || user.get().and_then(Result::ok).flatten();

    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            "Skip to content"
        </a>
        <Transition>
            {move || signed_in().filter(|user| user.demo).map(|_| view! { <DemoBanner /> })}
        </Transition>
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
                <A href="/" attr:class="flex items-center gap-2 font-semibold text-slate-900">
                    <span aria-hidden="true" class="inline-block h-6 w-6 rounded bg-indigo-600"></span>
                    "Pexip Portal"
                </A>
                <NavToggle open=menu_open set_open=set_menu_open />
                <nav aria-label="Main" class="hidden md:block">
                    <NavLinks />
                </nav>
                <Transition>
                    {move || signed_in().map(|user| view! { <UserMenu user /> })}
                </Transition>
            </div>
            <nav
                id="mobile-nav"
                aria-label="Main (compact)"
                class="border-t border-slate-200 px-4 py-2 md:hidden"
                hidden=move || !menu_open.get()
            >
                <NavLinks />
            </nav>
        </header>
        <main id="main" class="mx-auto max-w-7xl px-4 py-8">
            <Outlet />
        </main>
    }
}
