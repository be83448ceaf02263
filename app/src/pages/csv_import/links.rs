//! Links to an import page and to the CSV export of the list being shown, for the rooms and
//! device aliases lists to place.

use super::kind::ImportKind;
use crate::api::devices_bulk::DEVICES_CSV_PATH;
use crate::layout::CurrentUserResource;
use crate::ui::{Actions, LinkButton};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// The export download with the list filters of the current URL that the export understands
/// (paging is left out, the export holds every matching item).
fn export_href(path: &str, keys: &[&'static str], query: &ParamsMap) -> String {
    let mut filters = ParamsMap::new();
    for key in keys {
        if let Some(value) = query.get(key).filter(|v| !v.is_empty()) {
            filters.insert(*key, value);
        }
    }
    format!("{path}{}", filters.to_query_string())
}

/// The rooms export with the rooms list's filters (`name`, `alias`, `type`, `order`).
pub fn rooms_export_href(query: &ParamsMap) -> String {
    export_href(
        "/api/rooms/export.csv",
        &["name", "alias", "type", "order"],
        query,
    )
}

/// The device aliases export with the devices list's search (`alias`).
pub fn devices_export_href(query: &ParamsMap) -> String {
    export_href(DEVICES_CSV_PATH, &["alias"], query)
}

/// "Import CSV" (for those who may create) and "Export CSV" links for a list; the export
/// follows the list's current filters.
#[component]
fn CsvLinks(kind: ImportKind, file_name: &'static str) -> impl IntoView {
    let query = use_query_map();
    let user = expect_context::<CurrentUserResource>();
    let may_create = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|user| user.can(kind.permission()))
    };
    let import_href = format!("{}/import", kind.list().0);
    let href = Signal::derive(move || match kind {
        ImportKind::Rooms => rooms_export_href(&query.read()),
        ImportKind::Devices => devices_export_href(&query.read()),
    });
    view! {
        <Actions>
            <Transition>
                {move || may_create().then(|| view! {
                    <LinkButton href=import_href.clone()>"Import CSV"</LinkButton>
                })}
            </Transition>
            {move || view! {
                <LinkButton href=href.get() download=file_name>"Export CSV"</LinkButton>
            }}
        </Actions>
    }
}

/// The rooms list's CSV links.
#[component]
pub fn RoomsCsvLinks() -> impl IntoView {
    view! { <CsvLinks kind=ImportKind::Rooms file_name="rooms.csv" /> }
}

/// The device aliases list's CSV links.
#[component]
pub fn DevicesCsvLinks() -> impl IntoView {
    view! { <CsvLinks kind=ImportKind::Devices file_name="devices.csv" /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_keeps_the_filters_and_drops_the_paging() {
        let query: ParamsMap = [
            ("name", "Board room"),
            ("type", "lecture"),
            ("page", "3"),
            ("size", "100"),
            ("alias", ""),
            ("order", "-name"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            rooms_export_href(&query),
            "/api/rooms/export.csv?name=Board%20room&type=lecture&order=%2Dname"
        );
        assert_eq!(
            rooms_export_href(&ParamsMap::new()),
            "/api/rooms/export.csv"
        );
        let devices: ParamsMap = [("alias", "desk@"), ("page", "2"), ("name", "x")]
            .into_iter()
            .collect();
        assert_eq!(
            devices_export_href(&devices),
            "/api/devices/export.csv?alias=desk%40"
        );
    }
}
