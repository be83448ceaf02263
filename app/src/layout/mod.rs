//! The frame around every signed-in page: header, navigation, who is signed in, and the main area.
//! Composed from the kit's frame components (`crate::ui::frame`); no class strings here.

mod nav;
mod user_menu;

pub use crate::ui::PendingNote;
pub use nav::NavLinks;
pub use user_menu::{DemoNotice, UserMenu};

use crate::api::auth::{CurrentUser, me};
use crate::ui::frame::{
    AppBar, AppBarBelow, Brand, CompactNav, MainArea, MainNav, MenuToggle, SkipLink,
};
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// The signed-in person, for every page inside the layout.
pub type CurrentUserResource = Resource<Result<Option<CurrentUser>, crate::api::AppError>>;

#[component]
pub fn AppLayout() -> impl IntoView {
    // Open state of the navigation on narrow screens; toggled by the wasm after hydration.
    let menu_open = RwSignal::new(false);
    // The signed-in pages are streamed in order (`SsrMode::InOrder`, see `app.rs`): this frame
    // goes out at once (the person comes from the session, not from the Management Node), each
    // page's data follows in document order, so they work without JavaScript too.
    let user: CurrentUserResource = Resource::new(|| (), |_| me());
    provide_context(user);
    let signed_in = move || user.get().and_then(Result::ok).flatten();

    view! {
        <SkipLink />
        <Transition>
            {move || signed_in().filter(|user| user.demo).map(|_| view! { <DemoNotice /> })}
        </Transition>
        <AppBar>
            <AppBarBelow slot>
                <CompactNav open=menu_open>
                    <NavLinks />
                </CompactNav>
            </AppBarBelow>
            <Brand />
            <MenuToggle open=menu_open />
            <MainNav>
                <NavLinks />
            </MainNav>
            <Transition>
                {move || signed_in().map(|user| view! { <UserMenu user /> })}
            </Transition>
        </AppBar>
        <MainArea>
            <Outlet />
        </MainArea>
    }
}
