//! The report's totals as four figures, and how much history the portal holds.

use crate::api::usage::UsageReport;
use crate::pages::format::utc_datetime;
use crate::ui::{Card, Grid, Hint, Strong, SubText};
use leptos::prelude::*;

#[component]
pub fn Summary(report: UsageReport) -> impl IntoView {
    let t = report.totals;
    let who = match (&report.tenant, &report.room) {
        (_, Some(room)) => format!("Room {room}"),
        (Some(tenant), None) => format!("Tenant {tenant}"),
        (None, None) => "All tenants".to_string(),
    };
    let c = report.coverage;
    let coverage = match (c.oldest, c.newest) {
        (Some(oldest), Some(newest)) => format!(
            "{who}, {} to {}. The portal holds {} ended conferences here, from {oldest} to {newest}{}.",
            report.from,
            report.to,
            c.stored_conferences,
            c.last_ingest
                .map(|at| format!(
                    "; the history was last read with news at {}",
                    utc_datetime(at * 1000)
                ))
                .unwrap_or_default()
        ),
        _ => format!(
            "{who}, {} to {}. The portal holds no ended conferences here yet: it reads the Management Node's history every minute.",
            report.from, report.to
        ),
    };
    let figure = |value: u64, label: &'static str| {
        view! {
            <Card raised=true>
                <Strong block=true>{value.to_string()}</Strong>
                <SubText>{label}</SubText>
            </Card>
        }
    };
    view! {
        <Hint id="usage-coverage">{coverage}</Hint>
        <Grid columns=4 id="usage-totals">
            {figure(t.conferences, "conferences")}
            {figure(t.participants, "participants")}
            {figure(t.participant_minutes, "participant minutes")}
            {figure(t.peak_concurrent, "peak concurrent participants")}
        </Grid>
    }
}
