//! The rooms with the most participant minutes (the CSV export has every room).

use crate::api::usage::{TOP_ROOMS, UsageReport};
use crate::ui::{DataTable, Empty, Section};
use leptos::prelude::*;

#[component]
pub fn TopRooms(report: UsageReport) -> impl IntoView {
    let rooms = report.rooms;
    let body = if rooms.is_empty() {
        view! { <Empty id="usage-no-rooms">"No conference started in this span."</Empty> }
            .into_any()
    } else {
        view! {
            <DataTable id="usage-top-rooms" caption=format!("The {TOP_ROOMS} rooms with the most participant minutes")>
                <thead><tr>
                    <th scope="col">"Room"</th>
                    <th scope="col">"Tenant"</th>
                    <th scope="col">"Conferences"</th>
                    <th scope="col">"Participants"</th>
                    <th scope="col">"Participant minutes"</th>
                    <th scope="col">"Peak concurrent"</th>
                </tr></thead>
                <tbody>
                    {rooms.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.name}</td>
                            <td>{r.tag}</td>
                            <td>{r.figures.conferences}</td>
                            <td>{r.figures.participants}</td>
                            <td>{r.figures.participant_minutes}</td>
                            <td>{r.figures.peak_concurrent}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </DataTable>
        }.into_any()
    };
    view! {
        <Section heading_id="usage-rooms-heading" title="Top rooms" id="usage-rooms">
            {body}
        </Section>
    }
}
