//! Usage reports per tenant and room, from the history the portal stores (admins and helpdesk:
//! any tenant; tenant admins: their own; the policy decides on the server). The CSV downloads of
//! a report and of the filtered history list are plain GETs served by the server crate
//! ([`REPORT_CSV_PATH`], [`HISTORY_CSV_PATH`]).

use super::{AppError, Deferred};
pub use bff::usage::model::{
    Coverage, NamedCount, Period, Quality, RoomUsage, UsageBucket, UsageFigures, UsageQuery,
    UsageReport,
};
use leptos::prelude::*;

/// The report as CSV (same query parameters as the page: `tenant`, `room`, `period`, `from`,
/// `to`).
pub const REPORT_CSV_PATH: &str = "/api/usage/report.csv";
/// The history list as CSV (same query parameters as the History page: `name`, `from`, `to`).
pub const HISTORY_CSV_PATH: &str = "/api/history/export.csv";
/// How many rooms the page lists (the CSV has all of them).
pub const TOP_ROOMS: usize = 10;

/// The query a page's parameters make, or the 400 naming the parameter at fault.
pub fn usage_query(
    tenant: String,
    room: String,
    period: &str,
    from: String,
    to: String,
) -> Result<UsageQuery, AppError> {
    let period = Period::parse(period).ok_or_else(|| {
        let message = "choose day, week or month".to_string();
        AppError::Invalid {
            message: message.clone(),
            fields: [("period".to_string(), vec![message])].into(),
        }
    })?;
    Ok(UsageQuery {
        tenant,
        room,
        period,
        from,
        to,
    })
}

/// The usage report: totals, one bucket per day, week or month of the span, protocols, call
/// quality, and the [`TOP_ROOMS`] rooms with the most participant minutes.
#[server(endpoint = "usage/report", output = crate::api::JsonText)]
pub async fn load_usage_report(
    tenant: String,
    room: String,
    period: String,
    from: String,
    to: String,
) -> Result<Deferred<UsageReport>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let query = usage_query(tenant, room, &period, from, to).map_err(AppError::with_status)?;
    let mut report = portal.usage_report(&actor, &query).await?;
    report.rooms.truncate(TOP_ROOMS);
    Deferred::new(&report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_checked() {
        let query = usage_query(
            "acme".into(),
            String::new(),
            "week",
            String::new(),
            String::new(),
        )
        .unwrap();
        assert_eq!(query.period, Period::Week);
        assert_eq!(query.tenant, "acme");
        let error = usage_query(
            String::new(),
            String::new(),
            "year",
            String::new(),
            String::new(),
        )
        .unwrap_err();
        assert!(!error.field("period").is_empty());
    }
}
