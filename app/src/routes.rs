//! The lazy-loaded routes: each wraps a page component so that its code lives in its own wasm
//! chunk (`cargo leptos build --split`), fetched when the route is first visited (or preloaded
//! with the page when the server renders it). The shell, sign-in, home and the rooms pages stay in
//! the initial bundle (`crate::app`).
//!
//! `#[lazy_route]` turns each `view` into a `#[lazy]` function: on the server it runs at once and
//! records the chunk, so that the rendered page carries `<link rel="preload">` for exactly the
//! chunks it needs; in the browser it is loaded from its chunk on first use. `data()` runs before
//! the code arrives; the pages create their resources themselves, so it holds nothing yet.

use crate::pages::{
    AuditPage, BackupsPage, ConfigIndexPage, ConfigListPage, ConfigNewPage, ConfigObjectPage,
    HistoryDetailPage, HistoryPage, LicencesPage, LivePage, RoomsImportPage, StatusPage, UsersPage,
};
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// `/live`: the live calls and their charts.
pub struct LiveRoute;

#[lazy_route]
impl LazyRoute for LiveRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <LivePage /> }.into_any()
    }
}

/// `/status`: the platform status.
pub struct StatusRoute;

#[lazy_route]
impl LazyRoute for StatusRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <StatusPage /> }.into_any()
    }
}

/// `/history`: the call history list.
pub struct HistoryRoute;

#[lazy_route]
impl LazyRoute for HistoryRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <HistoryPage /> }.into_any()
    }
}

/// `/history/:id`: one call of the history.
pub struct HistoryDetailRoute;

#[lazy_route]
impl LazyRoute for HistoryDetailRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <HistoryDetailPage /> }.into_any()
    }
}

/// `/backups`: backups and restore.
pub struct BackupsRoute;

#[lazy_route]
impl LazyRoute for BackupsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <BackupsPage /> }.into_any()
    }
}

/// `/licences`: licence use.
pub struct LicencesRoute;

#[lazy_route]
impl LazyRoute for LicencesRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <LicencesPage /> }.into_any()
    }
}

/// `/config`: the configuration browser's index.
pub struct ConfigIndexRoute;

#[lazy_route]
impl LazyRoute for ConfigIndexRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <ConfigIndexPage /> }.into_any()
    }
}

/// `/config/:resource`: one resource's list.
pub struct ConfigListRoute;

#[lazy_route]
impl LazyRoute for ConfigListRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <ConfigListPage /> }.into_any()
    }
}

/// `/config/:resource/new`: a new object.
pub struct ConfigNewRoute;

#[lazy_route]
impl LazyRoute for ConfigNewRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <ConfigNewPage /> }.into_any()
    }
}

/// `/config/:resource/:id`: one object.
pub struct ConfigObjectRoute;

#[lazy_route]
impl LazyRoute for ConfigObjectRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <ConfigObjectPage /> }.into_any()
    }
}

/// `/rooms/import`: the rooms CSV import.
pub struct RoomsImportRoute;

#[lazy_route]
impl LazyRoute for RoomsImportRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RoomsImportPage /> }.into_any()
    }
}

/// `/audit`: the audit log.
pub struct AuditRoute;

#[lazy_route]
impl LazyRoute for AuditRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <AuditPage /> }.into_any()
    }
}

/// `/users`: the portal's accounts.
pub struct UsersRoute;

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <UsersPage /> }.into_any()
    }
}
