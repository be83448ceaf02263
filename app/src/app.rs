//! The application root: metadata and the route table (the stylesheet is linked by `shell`).

use crate::layout::AppLayout;
use crate::pages::{HomePage, LoginPage, NotFound, RoomsPage};
use crate::routes::{
    AuditRoute, BackupsRoute, ConfigIndexRoute, ConfigListRoute, ConfigNewRoute, ConfigObjectRoute,
    DeviceEditRoute, DeviceNewRoute, DevicesRoute, HistoryDetailRoute, HistoryRoute, LicencesRoute,
    LiveRoute, RoomEditRoute, RoomNewRoute, RoomsImportRoute, StatusRoute, UsageRoute, UsersRoute,
};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // Marks the document once the wasm has taken over (effects run only in the browser), so
    // tests and styles can tell a hydrated page from server-rendered HTML.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Pexip Portal".to_string() } else { format!("{page} · Pexip Portal") }
        } />
        // The shell, sign-in, home and the rooms list (with the end users' room cards) are in the
        // initial bundle; the other pages, the room editor included, are lazy routes
        // (`crate::routes`), each in its own wasm chunk loaded on navigation.
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                // In order, like the signed-in pages: the sign-in choices (directory hint,
                // "Sign in with …", demo people) are in the document itself, not swapped in by a
                // script, so they show without JavaScript even when they come after the first chunk.
                <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::InOrder />
                <ParentRoute path=StaticSegment("") view=AppLayout ssr=SsrMode::InOrder>
                    <Route path=StaticSegment("") view=HomePage />
                    <Route path=StaticSegment("rooms") view=RoomsPage />
                    <Route path=(StaticSegment("rooms"), StaticSegment("import")) view={Lazy::<RoomsImportRoute>::new()} />
                    <Route path=(StaticSegment("devices"), StaticSegment("import")) view={Lazy::<crate::routes::DevicesImportRoute>::new()} />
                    <Route path=(StaticSegment("rooms"), StaticSegment("new")) view={Lazy::<RoomNewRoute>::new()} />
                    <Route path=(StaticSegment("rooms"), ParamSegment("id")) view={Lazy::<RoomEditRoute>::new()} />
                    <Route path=StaticSegment("config") view={Lazy::<ConfigIndexRoute>::new()} />
                    <Route path=(StaticSegment("config"), ParamSegment("resource")) view={Lazy::<ConfigListRoute>::new()} />
                    <Route path=(StaticSegment("config"), ParamSegment("resource"), StaticSegment("new")) view={Lazy::<ConfigNewRoute>::new()} />
                    <Route path=(StaticSegment("config"), ParamSegment("resource"), ParamSegment("id")) view={Lazy::<ConfigObjectRoute>::new()} />
                    <Route path=StaticSegment("live") view={Lazy::<LiveRoute>::new()} />
                    <Route path=StaticSegment("status") view={Lazy::<StatusRoute>::new()} />
                    <Route path=StaticSegment("history") view={Lazy::<HistoryRoute>::new()} />
                    <Route path=(StaticSegment("history"), ParamSegment("id")) view={Lazy::<HistoryDetailRoute>::new()} />
                    <Route path=StaticSegment("backups") view={Lazy::<BackupsRoute>::new()} />
                    <Route path=StaticSegment("licences") view={Lazy::<LicencesRoute>::new()} />
                    <Route path=StaticSegment("audit") view={Lazy::<AuditRoute>::new()} />
                    <Route path=StaticSegment("users") view={Lazy::<UsersRoute>::new()} />
                    <Route path=StaticSegment("devices") view={Lazy::<DevicesRoute>::new()} />
                    <Route path=(StaticSegment("devices"), StaticSegment("new")) view={Lazy::<DeviceNewRoute>::new()} />
                    <Route path=(StaticSegment("devices"), ParamSegment("id")) view={Lazy::<DeviceEditRoute>::new()} />
                    <Route path=StaticSegment("usage") view={Lazy::<UsageRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
