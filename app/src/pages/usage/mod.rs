//! Usage: a report per tenant and room over days, weeks or months, from the history the portal
//! stores (conferences, participant minutes, peak concurrent participants, protocols, call
//! quality, the most used rooms), with its CSV export. The URL holds the report's parameters
//! (`tenant`, `room`, `period`, `from`, `to`), so a report can be linked to.

mod breakdown;
mod filters;
mod over_time;
mod summary;
mod top_rooms;

use crate::api::usage::{REPORT_CSV_PATH, UsageReport, load_usage_report};
use crate::api::{AppError, Deferred};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// The report's URL parameters.
pub const PARAMS: [&str; 5] = ["tenant", "room", "period", "from", "to"];

/// The CSV download of the report the URL's parameters ask for.
pub fn csv_href(query: &ParamsMap) -> String {
    let mut kept = ParamsMap::new();
    for key in PARAMS {
        if let Some(value) = query.get(key).filter(|v| !v.is_empty()) {
            kept.insert(key, value);
        }
    }
    format!("{REPORT_CSV_PATH}{}", kept.to_query_string())
}

/// The report the URL's parameters ask for. Made by the route's `data()`, so the request starts
/// on navigation, while the page's code loads.
#[derive(Clone, Copy)]
pub struct UsageData {
    query: Memo<ParamsMap>,
    report: Resource<Result<Deferred<UsageReport>, AppError>>,
}

impl UsageData {
    pub fn load() -> Self {
        let query = use_query_map();
        let param = move |name: &str| query.read().get(name).unwrap_or_default();
        let report = Resource::new(
            move || PARAMS.map(param),
            |[tenant, room, period, from, to]| load_usage_report(tenant, room, period, from, to),
        );
        Self { query, report }
    }
}

#[component]
pub fn UsagePage(data: UsageData) -> impl IntoView {
    let UsageData { query, report } = data;
    view! {
        <PageHeader title="Usage".to_string()
            intro="Conferences, participant minutes, peak concurrent participants, protocols and call quality per tenant and room, by day, week or month. From the history the portal keeps, which reaches further back than the Management Node's own. Times are UTC." />
        <Transition fallback=|| view! { <Loading what="the usage report" /> }>
            {move || report.get().map(|result| match result.and_then(Deferred::decode) {
                Err(error) => view! {
                    <filters::Filters report=None csv=csv_href(&query.read_untracked()) />
                    <ErrorNotice error />
                }.into_any(),
                Ok(report) => view! {
                    <filters::Filters report=Some(report.clone()) csv=csv_href(&query.read_untracked()) />
                    <summary::Summary report=report.clone() />
                    <over_time::OverTime report=report.clone() />
                    <breakdown::Breakdown report=report.clone() />
                    <top_rooms::TopRooms report />
                }.into_any(),
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_follows_the_reports_parameters() {
        let mut query = ParamsMap::new();
        query.insert("tenant", "acme".to_string());
        query.insert("period", "week".to_string());
        query.insert("room", String::new());
        query.insert("page", "3".to_string());
        assert_eq!(
            csv_href(&query),
            "/api/usage/report.csv?tenant=acme&period=week"
        );
        assert_eq!(csv_href(&ParamsMap::new()), "/api/usage/report.csv");
    }
}
