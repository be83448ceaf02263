//! The usage reports and the history export for a signed-in person: the policy decides first
//! (which tenant a report may cover), then the stored history is read.

use super::calendar::{date_of, format_date, format_minute, month_of, parse_date};
use super::export;
use super::model::{Coverage, Period, UsageQuery, UsageReport};
use super::report::{self, Span};
use super::store::{self, Selection};
use crate::db::now_unix;
use crate::gateway::{BffError, MAX_PAGE};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use serde_json::Value;

/// The longest span of a report with daily buckets, in days (a year and a bit).
pub const MAX_DAILY_SPAN_DAYS: i64 = 400;
/// The longest span of any report, in days (ten years).
pub const MAX_SPAN_DAYS: i64 = 3660;
/// The most ended conferences one history export holds (what a v14 node keeps at most).
pub const MAX_HISTORY_EXPORT: usize = 10_000;

impl Portal {
    /// The usage report `query` asks for, within the caller's scope: admins and helpdesk any
    /// tenant or all, tenant admins their own tenant only.
    pub async fn usage_report(
        &self,
        actor: &Actor,
        query: &UsageQuery,
    ) -> Result<UsageReport, BffError> {
        let scope = self.scope(actor, Operation::UsageView)?;
        let asked = Some(query.tenant.trim()).filter(|t| !t.is_empty());
        let tenant = scope.usage_tenant(asked)?;
        let tenant_fixed = !matches!(scope, crate::policy::Scope::All);
        let span = resolve_span(query)?;
        let room = Some(query.room.trim())
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let (from, to) = span.bounds();
        let selection = Selection {
            from,
            to,
            tag: tenant.clone(),
            room: room.clone(),
        };
        let conferences = store::conferences(&self.db, &selection).await?;
        let participants = store::participants(&self.db, &selection).await?;
        let figures = report::build(&span, &conferences, &participants);
        let tenants = match (&tenant, tenant_fixed) {
            (Some(tag), true) => vec![tag.clone()],
            _ => store::tenants(&self.db).await?,
        };
        let (stored, oldest, newest, last_ingest) =
            store::coverage(&self.db, tenant.as_deref()).await?;
        Ok(UsageReport {
            tenant,
            tenant_fixed,
            room,
            period: span.period,
            from: format_date(span.first),
            to: format_date(span.last),
            totals: figures.totals,
            buckets: figures.buckets,
            protocols: figures.protocols,
            quality: figures.quality,
            rooms: figures.rooms,
            tenants,
            coverage: Coverage {
                stored_conferences: u64::try_from(stored).unwrap_or(0),
                oldest: oldest.map(format_minute),
                newest: newest.map(format_minute),
                last_ingest,
            },
        })
    }

    /// The usage report as CSV (every room, not only the top ones).
    pub async fn usage_report_csv(
        &self,
        actor: &Actor,
        query: &UsageQuery,
    ) -> Result<String, BffError> {
        Ok(export::report_csv(&self.usage_report(actor, query).await?))
    }

    /// Every ended conference the history list shows with `filters` (newest first, at most
    /// [`MAX_HISTORY_EXPORT`]), as CSV; the history list's policy applies.
    pub async fn history_export_csv(
        &self,
        actor: &Actor,
        filters: &[(String, String)],
    ) -> Result<String, BffError> {
        let mut conferences: Vec<Value> = Vec::new();
        while conferences.len() < MAX_HISTORY_EXPORT {
            let page = self
                .history_list(
                    actor,
                    "conference",
                    filters,
                    Some("-end_time"),
                    MAX_PAGE,
                    conferences.len() as u64,
                )
                .await?;
            let done = page.objects.is_empty() || !page.has_next();
            conferences.extend(page.objects);
            if done {
                break;
            }
        }
        conferences.truncate(MAX_HISTORY_EXPORT);
        Ok(export::history_csv(&conferences))
    }
}

/// The days and bucket length a query asks for: `from` defaults to the first day of the current
/// month (UTC), `to` to the last day of `from`'s month.
fn resolve_span(query: &UsageQuery) -> Result<Span, BffError> {
    let day = |field: &str, text: &str| -> Result<Option<time::Date>, BffError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        parse_date(text)
            .map(Some)
            .ok_or_else(|| BffError::field(field, "enter a day as YYYY-MM-DD"))
    };
    let first = day("from", &query.from)?.unwrap_or_else(|| month_of(date_of(now_unix())).0);
    let last = day("to", &query.to)?.unwrap_or_else(|| month_of(first).1);
    if last < first {
        return Err(BffError::field("to", "the last day comes before the first"));
    }
    let days = i64::from(last.to_julian_day() - first.to_julian_day()) + 1;
    let longest = match query.period {
        Period::Day => MAX_DAILY_SPAN_DAYS,
        Period::Week | Period::Month => MAX_SPAN_DAYS,
    };
    if days > longest {
        return Err(BffError::field(
            "to",
            format!(
                "a report by {} covers at most {longest} days",
                query.period.as_str()
            ),
        ));
    }
    Ok(Span {
        first,
        last,
        period: query.period,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str, period: Period) -> UsageQuery {
        UsageQuery {
            from: from.into(),
            to: to.into(),
            period,
            ..UsageQuery::default()
        }
    }

    #[test]
    fn spans_default_to_a_month_and_are_checked() {
        let span = resolve_span(&query("2026-02-10", "", Period::Day)).unwrap();
        assert_eq!(format_date(span.first), "2026-02-10");
        assert_eq!(format_date(span.last), "2026-02-28");
        let this_month = resolve_span(&query("", "", Period::Week)).unwrap();
        assert_eq!(this_month.first.day(), 1);
        for (bad, field) in [
            (query("2026-13-01", "", Period::Day), "from"),
            (query("2026-02-10", "yesterday", Period::Day), "to"),
            (query("2026-02-10", "2026-02-09", Period::Day), "to"),
            (query("2020-01-01", "2026-01-01", Period::Day), "to"),
        ] {
            match resolve_span(&bad) {
                Err(BffError::Invalid(fields)) => assert!(fields.contains_key(field), "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert!(resolve_span(&query("2020-01-01", "2026-01-01", Period::Month)).is_ok());
    }
}
