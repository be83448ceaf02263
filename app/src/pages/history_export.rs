//! "Export CSV" for the History page: every ended conference the list's current filters keep
//! (`name`, `from`, `to`; paging left out), as a download.

use crate::api::usage::HISTORY_CSV_PATH;
use crate::ui::LinkButton;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// The export download with the list filters of the current URL.
pub fn history_csv_href(query: &ParamsMap) -> String {
    let mut filters = ParamsMap::new();
    for key in ["name", "from", "to"] {
        if let Some(value) = query.get(key).filter(|v| !v.is_empty()) {
            filters.insert(key, value);
        }
    }
    format!("{HISTORY_CSV_PATH}{}", filters.to_query_string())
}

/// The link, following the URL's filters as they change.
#[component]
pub fn HistoryCsvLink() -> impl IntoView {
    let query = use_query_map();
    move || {
        let href = history_csv_href(&query.read());
        view! { <LinkButton href external=true>"Export CSV"</LinkButton> }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_keeps_the_filters_and_drops_the_page() {
        let mut query = ParamsMap::new();
        query.insert("name", "Board room".to_string());
        query.insert("page", "2".to_string());
        query.insert("from", "2026-11-29T14:30".to_string());
        assert_eq!(
            history_csv_href(&query),
            "/api/history/export.csv?name=Board%20room&from=2026%2D11%2D29T14%3A30"
        );
    }
}
