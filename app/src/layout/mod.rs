//! The frame around every signed-in page: header, navigation and the main area.

mod nav;

pub use nav::{NavLinks, NavToggle};

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

#[component]
pub fn AppLayout() -> impl IntoView {
    // Open state of the navigation on narrow screens; toggled by the wasm after hydration.
    let (menu_open, set_menu_open) = signal(false);

    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            "Skip to content"
        </a>
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
