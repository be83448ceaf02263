//! Links to the rooms CSV import page and to the CSV export of the list being shown, for the
//! rooms list page to place.

use crate::layout::CurrentUserResource;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// The export download with the list filters of the current URL (`name`, `alias`, `type`,
/// `order`; paging is left out, the export holds every matching room).
pub fn export_href(query: &ParamsMap) -> String {
    let mut filters = ParamsMap::new();
    for key in ["name", "alias", "type", "order"] {
        if let Some(value) = query.get(key).filter(|v| !v.is_empty()) {
            filters.insert(key, value);
        }
    }
    format!("/api/rooms/export.csv{}", filters.to_query_string())
}

/// "Import CSV" (for those who may create rooms) and "Export CSV" links for the rooms list; the
/// export follows the list's current filters.
#[component]
pub fn RoomsCsvLinks() -> impl IntoView {
    let query = use_query_map();
    let user = expect_context::<CurrentUserResource>();
    let may_create = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|user| user.can("room_create"))
    };
    view! {
        <div class="flex flex-wrap gap-2 text-sm">
            <Transition>
                {move || may_create().then(|| view! {
                    <A href="/rooms/import" attr:class="rounded border border-slate-300 px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-100">
                        "Import CSV"
                    </A>
                })}
            </Transition>
            <a
                id="rooms-export"
                href=move || export_href(&query.read())
                download="rooms.csv"
                class="rounded border border-slate-300 px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-100"
            >
                "Export CSV"
            </a>
        </div>
    }
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
            export_href(&query),
            "/api/rooms/export.csv?name=Board%20room&type=lecture&order=%2Dname"
        );
        assert_eq!(export_href(&ParamsMap::new()), "/api/rooms/export.csv");
    }
}
