//! The lazy-loaded routes: each wraps a page component so that its code lives in its own wasm
//! chunk (`cargo leptos build --split`), fetched when the route is first visited (or preloaded
//! with the page when the server renders it). The shell, sign-in, home and the rooms list (with
//! an end user's room cards and their PIN change) stay in the initial bundle (`crate::app`); the
//! room editor is a lazy route like the other pages.
//!
//! `#[lazy_route]` turns each `view` into a `#[lazy]` function: on the server it runs at once and
//! records the chunk, so that the rendered page carries `<link rel="preload">` for exactly the
//! chunks it needs; in the browser it is loaded from its chunk on first use.
//!
//! `data()` runs on navigation, before the chunk arrives: the data pages' resources are made
//! there (each page's `…Data::load()`, which reads the URL's parameters), so their requests run
//! in parallel with the download of the code, and `view` hands them to the page. On the server
//! the same resources feed the in-order stream as before (the page's `<Transition>`/`<Suspense>`
//! waits for them), and their values are serialized for hydration. Pages whose data still loads
//! inside their own component have an empty `data()`.

use crate::pages::{
    AuditData, AuditPage, BackupsData, BackupsPage, ConfigIndexPage, ConfigListPage, ConfigNewPage,
    ConfigObjectPage, DeviceEditPage, DeviceNewPage, DevicesPage, HistoryData, HistoryDetailData,
    HistoryDetailPage, HistoryPage, LicencesPage, LiveData, LivePage, RoomEditPage, RoomNewPage,
    RoomsImportPage, StatusData, StatusPage, UsageData, UsagePage, UsersData, UsersPage,
};
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// `/live`: the live calls and their charts.
pub struct LiveRoute(LiveData);

#[lazy_route]
impl LazyRoute for LiveRoute {
    fn data() -> Self {
        Self(LiveData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <LivePage data=this.0 /> }.into_any()
    }
}

/// `/status`: the platform status.
pub struct StatusRoute(StatusData);

#[lazy_route]
impl LazyRoute for StatusRoute {
    fn data() -> Self {
        Self(StatusData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <StatusPage data=this.0 /> }.into_any()
    }
}

/// `/history`: the call history list.
pub struct HistoryRoute(HistoryData);

#[lazy_route]
impl LazyRoute for HistoryRoute {
    fn data() -> Self {
        Self(HistoryData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <HistoryPage data=this.0 /> }.into_any()
    }
}

/// `/history/:id`: one call of the history.
pub struct HistoryDetailRoute(HistoryDetailData);

#[lazy_route]
impl LazyRoute for HistoryDetailRoute {
    fn data() -> Self {
        Self(HistoryDetailData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <HistoryDetailPage data=this.0 /> }.into_any()
    }
}

/// `/backups`: backups and restore.
pub struct BackupsRoute(BackupsData);

#[lazy_route]
impl LazyRoute for BackupsRoute {
    fn data() -> Self {
        Self(BackupsData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <BackupsPage data=this.0 /> }.into_any()
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

/// `/rooms/new?type=…`: a new meeting room (the form engine's full room form).
pub struct RoomNewRoute;

#[lazy_route]
impl LazyRoute for RoomNewRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RoomNewPage /> }.into_any()
    }
}

/// `/rooms/:id`: one meeting room (view, change, delete, automatic participants).
pub struct RoomEditRoute;

#[lazy_route]
impl LazyRoute for RoomEditRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <RoomEditPage /> }.into_any()
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

/// `/devices/import`: the device aliases CSV import.
pub struct DevicesImportRoute;

#[lazy_route]
impl LazyRoute for DevicesImportRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::pages::DevicesImportPage /> }.into_any()
    }
}

/// `/audit`: the audit log.
pub struct AuditRoute(AuditData);

#[lazy_route]
impl LazyRoute for AuditRoute {
    fn data() -> Self {
        Self(AuditData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <AuditPage data=this.0 /> }.into_any()
    }
}

/// `/users`: the portal's accounts.
pub struct UsersRoute(UsersData);

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        Self(UsersData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <UsersPage data=this.0 /> }.into_any()
    }
}

/// `/usage`: usage reports.
pub struct UsageRoute(UsageData);

#[lazy_route]
impl LazyRoute for UsageRoute {
    fn data() -> Self {
        Self(UsageData::load())
    }

    fn view(this: Self) -> AnyView {
        view! { <UsagePage data=this.0 /> }.into_any()
    }
}

/// `/devices`: registered devices.
pub struct DevicesRoute;

#[lazy_route]
impl LazyRoute for DevicesRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <DevicesPage /> }.into_any()
    }
}

/// `/devices/new`: a new device.
pub struct DeviceNewRoute;

#[lazy_route]
impl LazyRoute for DeviceNewRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <DeviceNewPage /> }.into_any()
    }
}

/// `/devices/:id`: one device.
pub struct DeviceEditRoute;

#[lazy_route]
impl LazyRoute for DeviceEditRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <DeviceEditPage /> }.into_any()
    }
}
