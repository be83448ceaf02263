//! "Sync now" for a conference sync template (`/config/conference_sync_template/<id>`): starts
//! the template's LDAP sync on the Management Node and shows its `conference_sync` status,
//! read again every second while it runs (VMRs created, updated, unchanged and deleted so far).

use crate::api::template_sync::{start_template_sync, template_sync_status};
use crate::ui::{Badge, Button, ErrorNotice, Hint, Loading, Row, Section, Strong, SubText, Tone};
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The configuration resource whose objects get the panel.
pub const TEMPLATE_RESOURCE: &str = "conference_sync_template";

/// How often a running sync's status is read again.
const POLL: Duration = Duration::from_secs(1);

/// The counts a status shows, in order: (field, label).
const COUNTS: [(&str, &str); 4] = [
    ("conferences_created", "created"),
    ("conferences_updated", "updated"),
    ("conferences_unchanged", "unchanged"),
    ("conferences_deleted", "deleted"),
];

/// The state word of a status and how it is shown.
fn state(status: &Value) -> (&str, Tone) {
    let word = status
        .get("sync_status")
        .and_then(Value::as_str)
        .unwrap_or("IDLE");
    let tone = match word {
        "COMPLETED" => Tone::Good,
        "FAILED" => Tone::Bad,
        "RUNNING" => Tone::Warn,
        _ => Tone::Neutral,
    };
    (word, tone)
}

/// "4 created, 0 updated, …" of a status.
pub fn progress(status: &Value) -> String {
    COUNTS
        .iter()
        .map(|(field, label)| {
            let n = status.get(*field).and_then(Value::as_u64).unwrap_or(0);
            format!("{n} {label}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The panel: the state of the last sync, its progress, and "Sync now".
///
/// The status is read only inside the panel's own `<Transition>`: the panel sits inside the
/// object page's, and a read outside this one would tie that outer boundary to this resource
/// (the server's render of the page never finished: the boundary waited on a resource made
/// while it rendered). The polling is an effect of the rendered status for the same reason.
#[component]
pub fn TemplateSyncPanel(id: u64) -> impl IntoView {
    let status = Resource::new(|| (), move |_| template_sync_status(id));
    let start = Action::new(move |_: &()| start_template_sync(id));
    let alive = Arc::new(AtomicBool::new(true));
    {
        let alive = alive.clone();
        on_cleanup(move || alive.store(false, Ordering::Relaxed));
    }
    // Read the status again once the sync has started.
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            status.refetch();
        }
    });
    let sync_now = move |running: bool| {
        view! {
            <Button busy=Signal::derive(move || running || start.pending().get()) busy_label="Syncing…"
                on_click=Callback::new(move |()| { start.dispatch(()); })>"Sync now"</Button>
        }
    };
    view! {
        <Section heading_id="sync-heading" title="LDAP sync" id="template-sync">
            <Hint>"Sync now creates a Virtual Meeting Room for every directory entry the template's LDAP sync source finds, updates the ones that changed, and deletes those whose entry is gone."</Hint>
            <Transition fallback=|| view! { <Loading what="the sync status" /> }>
                {
                    let alive = alive.clone();
                    move || status.get().map(|result| match result {
                        Ok(s) => {
                            let (word, tone) = state(&s);
                            let running = word == "RUNNING";
                            if running {
                                // Read it again in a second while it runs (in the browser: effects
                                // do not run on the server).
                                let alive = alive.clone();
                                Effect::new(move |_| {
                                    let alive = alive.clone();
                                    set_timeout(
                                        move || {
                                            if alive.load(Ordering::Relaxed) {
                                                status.refetch();
                                            }
                                        },
                                        POLL,
                                    );
                                });
                            }
                            let word = word.to_string();
                            let counts = progress(&s);
                            let error = s.get("error_message").and_then(Value::as_str).unwrap_or_default().to_string();
                            let when = s.get("last_updated").and_then(Value::as_str).unwrap_or_default().to_string();
                            view! {
                                <Row>
                                    {sync_now(running)}
                                    <span id="sync-state"><Badge tone>{word}</Badge></span>
                                    <span id="sync-progress"><Strong>{counts}</Strong></span>
                                    {(!when.is_empty()).then(|| view! { <SubText>{format!("last updated {when} UTC")}</SubText> })}
                                    {(!error.is_empty()).then(|| view! { <ErrorNotice inline=true message=error /> })}
                                </Row>
                            }.into_any()
                        }
                        Err(error) => view! {
                            <Row>
                                {sync_now(false)}
                                <ErrorNotice error inline=true />
                            </Row>
                        }.into_any(),
                    })
                }
            </Transition>
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        </Section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn progress_and_state_of_a_status() {
        let status = json!({"sync_status": "RUNNING", "conferences_created": 4,
            "conferences_updated": 1, "conferences_unchanged": 0, "conferences_deleted": 0});
        assert_eq!(
            progress(&status),
            "4 created, 1 updated, 0 unchanged, 0 deleted"
        );
        assert_eq!(state(&status), ("RUNNING", Tone::Warn));
        assert_eq!(state(&json!({})), ("IDLE", Tone::Neutral));
        assert_eq!(state(&json!({"sync_status": "FAILED"})).1, Tone::Bad);
    }
}
