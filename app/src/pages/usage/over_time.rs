//! The report's buckets: participant minutes and conferences as bars, and every bucket's
//! figures in a table.

use crate::api::usage::UsageReport;
use crate::ui::charts::BarChart;
use crate::ui::{DataTable, Section};
use leptos::prelude::*;

#[component]
pub fn OverTime(report: UsageReport) -> impl IntoView {
    let per = report.period.as_str();
    let series = |value: fn(&crate::api::usage::UsageFigures) -> u64| -> Vec<(String, u64)> {
        report
            .buckets
            .iter()
            .map(|b| (b.start.clone(), value(&b.figures)))
            .collect()
    };
    let minutes = series(|f| f.participant_minutes);
    let conferences = series(|f| f.conferences);
    view! {
        <Section heading_id="usage-time-heading" title=format!("By {per}") id="usage-over-time">
            <BarChart id="usage-minutes-chart" what=format!("Participant minutes per {per}") bars=minutes />
            <BarChart id="usage-conferences-chart" what=format!("Conferences per {per}") bars=conferences />
            <DataTable id="usage-buckets" caption=format!("Figures per {per}")>
                <thead><tr>
                    <th scope="col">{report.period.label()}</th>
                    <th scope="col">"Conferences"</th>
                    <th scope="col">"Participants"</th>
                    <th scope="col">"Participant minutes"</th>
                    <th scope="col">"Peak concurrent"</th>
                </tr></thead>
                <tbody>
                    {report.buckets.into_iter().map(|b| view! {
                        <tr>
                            <td>{b.start}</td>
                            <td>{b.figures.conferences}</td>
                            <td>{b.figures.participants}</td>
                            <td>{b.figures.participant_minutes}</td>
                            <td>{b.figures.peak_concurrent}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </DataTable>
        </Section>
    }
}
