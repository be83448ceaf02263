//! The Conferencing Nodes, the system locations with their load, and the configuration sync.

use super::Platform;
use crate::ui::charts::PercentBar;
use crate::ui::{Badge, BulletList, DataTable, Empty, Hint, Strong, SubText, Tone};
use bff::live::model::NodeStatus;
use leptos::prelude::*;

/// What a node is doing, in words, and whether that needs attention.
fn node_state(node: &NodeStatus) -> (String, bool) {
    if node.maintenance_mode {
        return ("maintenance".into(), true);
    }
    let sync = node.sync_status.to_lowercase();
    let deploy = node.deploy_status.to_lowercase();
    let mut parts = Vec::new();
    if !sync.is_empty() {
        parts.push(sync.clone());
    }
    if !deploy.is_empty() && deploy != "deployed" {
        parts.push(deploy);
    }
    let fine = sync.is_empty() || sync == "synced";
    (
        if parts.is_empty() {
            "unknown".into()
        } else {
            parts.join(", ")
        },
        !fine,
    )
}

#[component]
pub fn Nodes(platform: Platform) -> impl IntoView {
    let ids = move || platform.with(|p| p.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>());
    view! {
        <Show when=move || platform.with(|p| p.nodes.is_empty())>
            <Empty>"The node reports no Conferencing Nodes."</Empty>
        </Show>
        <DataTable id="nodes-table">
                <thead><tr>
                    <th scope="col">"Node"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Version"</th>
                    <th scope="col">"Media load"</th>
                    <th scope="col">"Calls"</th>
                </tr></thead>
                <tbody>
                    <For each=ids key=|id| id.clone() let:id>
                        <NodeRow id platform />
                    </For>
                </tbody>
            </DataTable>
    }
}

#[component]
fn NodeRow(id: String, platform: Platform) -> impl IntoView {
    let node = Memo::new(move |_| platform.with(|p| p.nodes.iter().find(|n| n.id == id).cloned()));
    move || {
        node.get().map(|n| {
            let (state, attention) = node_state(&n);
            let label = format!("Media load of {}", n.name);
            view! {
                <tr>
                    <td>
                        <Strong>{n.name.clone()}</Strong>
                        <SubText>{n.system_location.clone()}</SubText>
                    </td>
                    <td><Badge tone=if attention { Tone::Warn } else { Tone::Neutral }>{state}</Badge>
                        {n.cloud_bursting.then(|| view! { <Badge>"cloud"</Badge> })}</td>
                    <td>{n.version.clone()}</td>
                    <td><PercentBar label percent=n.media_load /></td>
                    <td>{format!("{} (of {} HD)", n.participant_count, n.max_hd_calls)}</td>
                </tr>
            }
        })
    }
}

#[component]
pub fn Locations(platform: Platform) -> impl IntoView {
    let rows = move || platform.with(|p| p.locations.clone());
    view! {
        <DataTable id="locations-table">
                <thead><tr>
                    <th scope="col">"Location"</th>
                    <th scope="col">"Media load"</th>
                    <th scope="col">"Calls"</th>
                </tr></thead>
                <tbody>
                    <For each=rows key=|l| format!("{l:?}") let:l>
                        <tr>
                            <td>{let name = l.name.clone(); view! { <Strong>{name}</Strong> }}</td>
                            <td><PercentBar label=format!("Media load of {}", l.name) percent=l.media_load /></td>
                            <td>{format!("{} (of {} HD)", l.participant_count, l.max_hd_calls)}</td>
                        </tr>
                    </For>
                </tbody>
            </DataTable>
    }
}

/// Nodes whose configuration is not in sync with the Management Node.
#[component]
pub fn Sync(platform: Platform) -> impl IntoView {
    let rows = move || platform.with(|p| p.out_of_sync.clone());
    view! {
        <Show
            when=move || platform.with(|p| !p.out_of_sync.is_empty())
            fallback=|| view! { <Hint id="sync-state">"Every Conferencing Node is in sync."</Hint> }
        >
            <BulletList id="sync-state">
                <For each=rows key=|row| row.clone() let:row>
                    <li><Strong>{row.0.clone()}</Strong>": "{row.1.to_lowercase()}</li>
                </For>
            </BulletList>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_states_in_words() {
        let synced = NodeStatus {
            sync_status: "SYNCED".into(),
            deploy_status: "DEPLOYED".into(),
            ..Default::default()
        };
        assert_eq!(node_state(&synced), ("synced".into(), false));
        let behind = NodeStatus {
            sync_status: "SYNCING".into(),
            deploy_status: "DEPLOYING".into(),
            ..Default::default()
        };
        assert_eq!(node_state(&behind), ("syncing, deploying".into(), true));
        let maintenance = NodeStatus {
            maintenance_mode: true,
            ..synced
        };
        assert_eq!(node_state(&maintenance), ("maintenance".into(), true));
    }
}
