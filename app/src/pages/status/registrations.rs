//! Registered aliases: how many, and the first of them (a deployment may have thousands), a
//! page more at a time.

use super::Platform;
use crate::ui::{Button, Code, DataTable, Empty, Hint, Row, Variant};
use leptos::prelude::*;

/// How many registrations are shown at first, and added per "Show more".
const PAGE: usize = 50;

#[component]
pub fn Registrations(platform: Platform) -> impl IntoView {
    let shown = RwSignal::new(PAGE);
    let total = move || platform.with(|p| p.registrations.len());
    let rows = move || {
        platform.with(|p| {
            p.registrations
                .iter()
                .take(shown.get())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Hint id="registrations-count">
            {move || match total() {
                1 => "1 registered alias".to_string(),
                n => format!("{n} registered aliases"),
            }}
        </Hint>
        <Show when=move || total() == 0>
            <Empty>"No device is registered."</Empty>
        </Show>
        <Show when=move || total() != 0>
            <DataTable id="registrations-table">
                    <thead><tr>
                        <th scope="col">"Alias"</th>
                        <th scope="col">"Protocol"</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|r| r.clone() let:r>
                            <tr>
                                <td><Code>{r.0.clone()}</Code></td>
                                <td>{r.1.clone()}</td>
                            </tr>
                        </For>
                    </tbody>
                </DataTable>
        </Show>
        <Show when=move || { total() > shown.get() }>
            <Row>
                <Hint>{move || format!("Showing {} of {}.", shown.get().min(total()), total())}</Hint>
                <Button variant=Variant::Secondary on_click=move |()| shown.update(|n| *n += PAGE)>
                    "Show more"
                </Button>
            </Row>
        </Show>
    }
}
