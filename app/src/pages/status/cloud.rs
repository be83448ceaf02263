//! Cloud bursting: the overflow Conferencing Nodes, their state and load, and "Start overflow
//! node" for those allowed (admins). The node's new state arrives through the live feed.

use super::Platform;
use crate::api::status::StartCloudNode;
use crate::live_stream::LiveFeed;
use crate::ui::charts::PercentBar;
use crate::ui::{
    Badge, Button, DataTable, Empty, Strong, SubText, SuccessNotice, Variant, VisuallyHidden,
    action_error,
};
use leptos::prelude::*;

/// Whether a cloud node can be started now (the node accepts only stopped ones).
fn startable(state: &str) -> bool {
    state.eq_ignore_ascii_case("stopped")
}

#[component]
pub fn CloudNodes(platform: Platform, feed: LiveFeed) -> impl IntoView {
    let start = ServerAction::<StartCloudNode>::new();
    let may_start = move || feed.rights.with(|r| r.start_cloud_nodes);
    let rows = move || platform.with(|p| p.cloud_nodes.clone());
    view! {
        <Show
            when=move || platform.with(|p| !p.cloud_nodes.is_empty())
            fallback=|| view! { <Empty>"No cloud overflow nodes: dynamic bursting is not set up."</Empty> }
        >
            <DataTable id="cloud-table">
                    <thead><tr>
                        <th scope="col">"Overflow node"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Media load"</th>
                        <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|c| format!("{c:?}") let:c>
                            <tr>
                                <td>
                                    {let name = c.name.clone(); view! { <Strong>{name}</Strong> }}
                                    <SubText>{format!("{} · {} · {} HD calls", c.instance_id, c.system_location, c.max_hd_calls)}</SubText>
                                </td>
                                <td>{let state = c.state.to_lowercase(); view! { <Badge>{state}</Badge> }}</td>
                                <td><PercentBar label=format!("Media load of {}", c.name) percent=c.media_load /></td>
                                <td>
                                    <Show when={
                                        let state = c.state.clone();
                                        move || may_start() && startable(&state)
                                    }>
                                        <Button variant=Variant::Secondary
                                            attr:aria-label=format!("Start overflow node {}", c.name)
                                            busy=start.pending()
                                            on_click={
                                                let instance_id = c.instance_id.clone();
                                                move |()| { start.dispatch(StartCloudNode { instance_id: instance_id.clone() }); }
                                            }>
                                            "Start overflow node"
                                        </Button>
                                    </Show>
                                </td>
                            </tr>
                        </For>
                    </tbody>
                </DataTable>
        </Show>
        {move || start.value().get().and_then(Result::ok).map(|_| view! {
            <SuccessNotice>"The node is starting; it takes calls once it is running."</SuccessNotice>
        })}
        {action_error(start)}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stopped_nodes_start() {
        assert!(startable("stopped"));
        assert!(startable("STOPPED"));
        assert!(!startable("running"));
        assert!(!startable("pending"));
        assert!(!startable(""));
    }
}
