//! CSV downloads of the usage reports and of the History page's filtered list:
//! `GET /api/usage/report.csv?tenant=&room=&period=&from=&to=` (the report, every room) and
//! `GET /api/history/export.csv?name=&from=&to=` (every ended conference the list shows). Plain
//! GETs so that a link downloads them; who may see what is decided by the policy in the BFF.

use crate::signed_in::{SignedIn, error_response};
use app::api::AppError;
use app::api::history::history_filters;
use app::api::usage::{HISTORY_CSV_PATH, REPORT_CSV_PATH, usage_query};
use axum::{
    Router,
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use bff::portal::Portal;
use serde::Deserialize;

pub fn router(portal: Portal) -> Router {
    Router::new()
        .route(REPORT_CSV_PATH, get(report))
        .route(HISTORY_CSV_PATH, get(history))
        .with_state(portal)
}

/// The usage page's URL parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportParams {
    tenant: String,
    room: String,
    period: String,
    from: String,
    to: String,
}

/// The History page's URL parameters (`page` is ignored: the export holds every page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HistoryParams {
    name: String,
    from: String,
    to: String,
}

async fn report(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Query(params): Query<ReportParams>,
) -> Response {
    let query = match usage_query(
        params.tenant,
        params.room,
        &params.period,
        params.from,
        params.to,
    ) {
        Ok(query) => query,
        Err(error) => return refused(error),
    };
    match portal.usage_report_csv(&actor, &query).await {
        Ok(csv) => download(csv, &report_file_name(&query)),
        Err(error) => refused(AppError::from(error)),
    }
}

async fn history(
    State(portal): State<Portal>,
    SignedIn(actor): SignedIn,
    Query(params): Query<HistoryParams>,
) -> Response {
    let filters = match history_filters(&params.name, &params.from, &params.to) {
        Ok(filters) => filters,
        Err(error) => return refused(error),
    };
    match portal.history_export_csv(&actor, &filters).await {
        Ok(csv) => download(csv, "history.csv"),
        Err(error) => refused(AppError::from(error)),
    }
}

/// `usage-<tenant>-<from>-<to>.csv` from the parts of the query that are safe in a file name.
fn report_file_name(query: &bff::usage::model::UsageQuery) -> String {
    let parts = [
        query.tenant.as_str(),
        query.from.as_str(),
        query.to.as_str(),
    ];
    let mut name = String::from("usage");
    for part in parts {
        let safe: String = part
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .take(40)
            .collect();
        if !safe.is_empty() {
            name.push('-');
            name.push_str(&safe);
        }
    }
    name + ".csv"
}

pub(crate) fn download(csv: String, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        csv,
    )
        .into_response()
}

/// A refusal in the server functions' JSON shape; bad input is logged once at WARN, server
/// failures at ERROR.
pub(crate) fn refused(error: AppError) -> Response {
    let status = error.status();
    if status.is_server_error() {
        tracing::error!(%error, "CSV export failed");
    } else if status.is_client_error() && !matches!(error, AppError::NotSignedIn) {
        tracing::warn!(%status, "CSV export refused: {error}");
    }
    error_response(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        let query = bff::usage::model::UsageQuery {
            tenant: "acme\"; x=/../".into(),
            from: "2026-11-01".into(),
            ..Default::default()
        };
        assert_eq!(report_file_name(&query), "usage-acmex..-2026-11-01.csv");
        assert_eq!(report_file_name(&Default::default()), "usage.csv");
    }
}
