//! The application root: metadata, stylesheet and the route table.

use crate::layout::AppLayout;
use crate::pages::{
    AuditPage, BackupsPage, ConfigIndexPage, ConfigListPage, ConfigNewPage, ConfigObjectPage,
    HistoryDetailPage, HistoryPage, HomePage, LicencesPage, LivePage, LoginPage, NotFound,
    RoomEditPage, RoomNewPage, RoomsImportPage, RoomsPage, UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
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
        <Stylesheet id="leptos" href="/pkg/pexip-portal.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Pexip Portal".to_string() } else { format!("{page} · Pexip Portal") }
        } />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=StaticSegment("login") view=LoginPage />
                <ParentRoute path=StaticSegment("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=HomePage />
                    <Route path=StaticSegment("rooms") view=RoomsPage />
                    <Route path=(StaticSegment("rooms"), StaticSegment("import")) view=RoomsImportPage />
                    <Route path=(StaticSegment("rooms"), StaticSegment("new")) view=RoomNewPage />
                    <Route path=(StaticSegment("rooms"), ParamSegment("id")) view=RoomEditPage />
                    <Route path=StaticSegment("config") view=ConfigIndexPage />
                    <Route path=(StaticSegment("config"), ParamSegment("resource")) view=ConfigListPage />
                    <Route path=(StaticSegment("config"), ParamSegment("resource"), StaticSegment("new")) view=ConfigNewPage />
                    <Route path=(StaticSegment("config"), ParamSegment("resource"), ParamSegment("id")) view=ConfigObjectPage />
                    <Route path=StaticSegment("live") view=LivePage />
                    <Route path=StaticSegment("history") view=HistoryPage />
                    <Route path=(StaticSegment("history"), ParamSegment("id")) view=HistoryDetailPage />
                    <Route path=StaticSegment("backups") view=BackupsPage />
                    <Route path=StaticSegment("licences") view=LicencesPage />
                    <Route path=StaticSegment("audit") view=AuditPage />
                    <Route path=StaticSegment("users") view=UsersPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
