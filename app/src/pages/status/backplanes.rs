//! Backplanes: the media links between nodes of different locations that carry a conference.

use super::super::format::iso_time;
use super::Platform;
use crate::ui::{DataTable, Empty, Strong, SubText};
use leptos::prelude::*;

#[component]
pub fn Backplanes(platform: Platform) -> impl IntoView {
    let rows = move || platform.with(|p| p.backplanes.clone());
    view! {
        <Show
            when=move || platform.with(|p| !p.backplanes.is_empty())
            fallback=|| view! { <Empty>"No backplanes: every conference runs in one location."</Empty> }
        >
            <DataTable id="backplanes-table">
                    <thead><tr>
                        <th scope="col">"Conference"</th>
                        <th scope="col">"Between"</th>
                        <th scope="col">"Nodes"</th>
                        <th scope="col">"Since"</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|b| format!("{b:?}") let:b>
                            <tr>
                                <td>
                                    <Strong>{b.conference.clone()}</Strong>
                                    <SubText>{b.type_.clone()}</SubText>
                                </td>
                                <td>{format!("{} ↔ {}", b.system_location, b.remote_location)}</td>
                                <td>{format!("{} ↔ {}", b.local_node, b.remote_node)}</td>
                                <td>{iso_time(&b.connect_time)}</td>
                            </tr>
                        </For>
                    </tbody>
                </DataTable>
        </Show>
    }
}
