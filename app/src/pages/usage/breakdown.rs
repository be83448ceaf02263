//! How the participants split by call quality (from their media streams' packet loss) and by
//! protocol.

use crate::api::usage::{Quality, UsageReport};
use crate::ui::charts::Distribution;
use crate::ui::{Grid, Section};
use leptos::prelude::*;

#[component]
pub fn Breakdown(report: UsageReport) -> impl IntoView {
    let quality: Vec<(String, u64)> = report
        .quality
        .iter()
        .map(|q| (Quality::parse(&q.name).label().to_string(), q.count))
        .collect();
    let protocols: Vec<(String, u64)> = report
        .protocols
        .into_iter()
        .map(|p| (p.name, p.count))
        .collect();
    view! {
        <Grid columns=2>
            <Section heading_id="usage-quality-heading" title="Call quality" id="usage-quality">
                <Distribution id="usage-quality-bars" parts=quality />
            </Section>
            <Section heading_id="usage-protocols-heading" title="Protocols" id="usage-protocols">
                <Distribution id="usage-protocol-bars" parts=protocols />
            </Section>
        </Grid>
    }
}
