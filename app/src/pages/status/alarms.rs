//! Active alarms, most severe first, with when they were raised.

use super::super::format::iso_time;
use super::Platform;
use crate::ui::{Badge, DataTable, Empty, Strong, SubText, Tone};
use bff::live::model::AlarmStatus;
use leptos::prelude::*;

/// Sort rank of a severity: errors first.
fn rank(level: &str) -> u8 {
    match level.to_lowercase().as_str() {
        "critical" | "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// The alarms in the order shown: most severe, then newest first.
fn ordered(alarms: &[AlarmStatus]) -> Vec<AlarmStatus> {
    let mut alarms = alarms.to_vec();
    alarms.sort_by(|a, b| {
        rank(&a.level)
            .cmp(&rank(&b.level))
            .then(b.time_raised.cmp(&a.time_raised))
    });
    alarms
}

#[component]
pub fn Alarms(platform: Platform) -> impl IntoView {
    let rows = move || platform.with(|p| ordered(&p.alarms));
    view! {
        <Show
            when=move || platform.with(|p| !p.alarms.is_empty())
            fallback=|| view! { <Empty>"No active alarms."</Empty> }
        >
            <DataTable id="alarms-table">
                    <thead><tr>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"Alarm"</th>
                        <th scope="col">"Node"</th>
                        <th scope="col">"Raised"</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|a| format!("{a:?}") let:a>
                            <tr>
                                <td><Badge tone=if rank(&a.level) < 2 { Tone::Warn } else { Tone::Neutral }>{a.level.clone()}</Badge></td>
                                <td>
                                    <Strong>{a.name.clone()}</Strong>
                                    <SubText>{a.details.clone()}</SubText>
                                </td>
                                <td>{a.node.clone()}</td>
                                <td>{iso_time(&a.time_raised)}</td>
                            </tr>
                        </For>
                    </tbody>
                </DataTable>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_first_then_the_newest() {
        let alarm = |name: &str, level: &str, time: &str| AlarmStatus {
            name: name.into(),
            level: level.into(),
            time_raised: time.into(),
            ..Default::default()
        };
        let shown = ordered(&[
            alarm("old warning", "warning", "2026-01-01T00:00:00"),
            alarm("info", "info", "2026-01-03T00:00:00"),
            alarm("error", "error", "2026-01-01T00:00:00"),
            alarm("new warning", "warning", "2026-01-02T00:00:00"),
        ]);
        let names: Vec<&str> = shown.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["error", "new warning", "old warning", "info"]);
    }
}
