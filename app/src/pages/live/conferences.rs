//! The conferences in progress and their participants, keyed by conference name and participant
//! id: a change re-renders only what changed, so focus and an open confirmation survive updates.

use super::super::format::{duration, iso_millis, iso_time};
use super::controls::{Control, allows};
use crate::live_stream::LiveFeed;
use crate::ui::{
    Actions, Badge, Button, Card, ConfirmButton, DataTable, Empty, Hint, Muted, Row, Space, Stack,
    Strong, SubText, Subheading, Tone, Variant, VisuallyHidden,
};
use bff::live::model::{LiveConference, LiveParticipant};
use bff::requests::CallCommand;
use leptos::prelude::*;

/// The summary line and one card per conference (oldest first).
#[component]
pub fn Conferences(
    feed: LiveFeed,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let names = move || {
        feed.state.with(|s| {
            let mut conferences: Vec<&LiveConference> = s.conferences.values().collect();
            conferences.sort_by(|a, b| a.start_time.cmp(&b.start_time).then(a.name.cmp(&b.name)));
            conferences
                .into_iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        feed.state.with(|s| {
            format!(
                "{} conferences, {} calls",
                s.conferences.len(),
                s.participant_count()
            )
        })
    };
    let empty = move || feed.state.with(|s| s.conferences.is_empty());
    view! {
        <Hint id="live-summary">{summary}</Hint>
        <Show when=empty>
            <Empty>"No conferences are in progress."</Empty>
        </Show>
        <Stack space=Space::Large>
            <For each=names key=|name| name.clone() let:name>
                <ConferenceCard name feed run inspected />
            </For>
        </Stack>
    }
}

/// A flag of the conference as the feed has it now.
fn conference_flag(
    conference: Memo<Option<LiveConference>>,
    flag: fn(&LiveConference) -> bool,
) -> impl Fn() -> bool + Copy {
    move || conference.with(|c| c.as_ref().is_some_and(flag))
}

#[component]
fn ConferenceCard(
    name: String,
    feed: LiveFeed,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let conference = {
        let name = name.clone();
        Memo::new(move |_| feed.state.with(|s| s.conferences.get(&name).cloned()))
    };
    let field = move |get: fn(&LiveConference) -> String| {
        move || conference.with(|c| c.as_ref().map(get).unwrap_or_default())
    };
    let id = field(|c| c.id.clone());
    let locked = conference_flag(conference, |c| c.is_locked);
    let guests_muted = conference_flag(conference, |c| c.guests_muted);
    let start = field(|c| c.start_time.clone());
    // "Now" is the feed's last update: the durations move with the feed.
    let running = move || {
        let now = feed.state.with(|s| s.feed.updated_at);
        let since = start();
        iso_millis(&since)
            .map(|start| {
                format!(
                    "since {} ({})",
                    iso_time(&since),
                    duration(((now - start).max(0) / 1000) as u64)
                )
            })
            .unwrap_or_default()
    };
    let rights = feed.rights;
    // Conference commands need the conference's status id (event sinks do not carry it).
    let may = move |control: Control| rights.with(|r| allows(r, control)) && !id().is_empty();
    let heading_id = format!(
        "conference-{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let participants = move || {
        conference.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.participants
                        .iter()
                        .map(|p| p.id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let end_target = name.clone();
    let labelled_by = heading_id.clone();
    let key = name.clone();
    view! {
        <Card labelled_by attr:data-conference=key>
            <Row spread=true>
                <Subheading id=heading_id flush=true>
                    {name.clone()}
                    <Badge>{field(|c| c.service_type.clone())}</Badge>
                    <Show when=locked><Badge tone=Tone::Warn>"locked"</Badge></Show>
                    <Show when=guests_muted><Badge tone=Tone::Warn>"guests muted"</Badge></Show>
                </Subheading>
                <Muted>{running}</Muted>
                <Actions>
                    <Show when=move || may(Control::Lock)>
                        <Button variant=Variant::Secondary
                            on_click=move |()| {
                                let conference_id = id();
                                run.run(if locked() {
                                    CallCommand::Unlock { conference_id }
                                } else {
                                    CallCommand::Lock { conference_id }
                                })
                            }>
                            {move || if locked() { "Unlock" } else { "Lock" }}
                        </Button>
                    </Show>
                    <Show when=move || may(Control::Mute)>
                        <Button variant=Variant::Secondary
                            on_click=move |()| {
                                let conference_id = id();
                                run.run(if guests_muted() {
                                    CallCommand::UnmuteGuests { conference_id }
                                } else {
                                    CallCommand::MuteGuests { conference_id }
                                })
                            }>
                            {move || if guests_muted() { "Unmute guests" } else { "Mute guests" }}
                        </Button>
                    </Show>
                    <Show when=move || may(Control::Disconnect)>
                        <ConfirmButton label="End conference" target=end_target.clone()
                            consequence="Everyone in it is disconnected."
                            on_confirm=move |_: ()| run.run(CallCommand::DisconnectConference { conference_id: id() }) />
                    </Show>
                </Actions>
            </Row>
            <DataTable>
                    <thead><tr>
                        <th scope="col">"Participant"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Call"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col">"State"</th>
                        <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
                    </tr></thead>
                    <tbody>
                        <For each=participants key=|id| id.clone() let:id>
                            <ParticipantRow id conference feed run inspected />
                        </For>
                    </tbody>
                </DataTable>
        </Card>
    }
}

/// What a participant is doing, in words.
fn participant_state(p: &LiveParticipant) -> String {
    let mut state = Vec::new();
    if p.is_muted {
        state.push("muted");
    }
    if p.is_on_hold {
        state.push("waiting for host");
    }
    if p.is_presenting {
        state.push("presenting");
    }
    if state.is_empty() {
        "connected".to_string()
    } else {
        state.join(", ")
    }
}

/// The name a participant is shown by.
fn shown_name(p: &LiveParticipant) -> String {
    if p.display_name.is_empty() {
        p.remote_alias.clone()
    } else {
        p.display_name.clone()
    }
}

#[component]
fn ParticipantRow(
    id: String,
    conference: Memo<Option<LiveConference>>,
    feed: LiveFeed,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let participant = {
        let id = id.clone();
        Memo::new(move |_| {
            conference.with(|c| {
                c.as_ref()
                    .and_then(|c| c.participants.iter().find(|p| p.id == id))
                    .cloned()
            })
        })
    };
    let field = move |get: fn(&LiveParticipant) -> String| {
        move || participant.with(|p| p.as_ref().map(get).unwrap_or_default())
    };
    let name = field(shown_name);
    let muted = move || participant.with(|p| p.as_ref().is_some_and(|p| p.is_muted));
    let rights = feed.rights;
    let may = move |control: Control| rights.with(|r| allows(r, control));
    // The name the buttons are labelled with; a row keeps its participant for its lifetime.
    let label = participant
        .get_untracked()
        .map(|p| shown_name(&p))
        .unwrap_or_default();
    let (mute_id, drop_id, media_id) = (id.clone(), id.clone(), id.clone());
    let media_name = label.clone();
    let (media_label, mute_label, drop_label) = (label.clone(), label.clone(), label);
    view! {
        <tr data-participant=id.clone()>
            <td>
                <Strong>{name}</Strong>
                <SubText>{field(|p| p.remote_alias.clone())}</SubText>
            </td>
            <td>{field(|p| p.role.clone())}</td>
            <td>{field(|p| format!("{} {} · {} kbps", p.protocol, if p.call_direction == "out" { "out" } else { "in" }, p.bandwidth))}</td>
            <td>{field(|p| p.system_location.clone())}</td>
            <td data-participant-state="">{field(participant_state)}</td>
            <td><Actions>
                <Button variant=Variant::Secondary attr:aria-label=format!("Media quality of {media_label}")
                    on_click=move |()| inspected.set(Some((media_id.clone(), media_name.clone())))>
                    "Media"
                </Button>
                <Show when=move || may(Control::Mute)>
                    <Button variant=Variant::Secondary
                        attr:aria-label={
                            let mute_label = mute_label.clone();
                            move || format!("{} {mute_label}", if muted() { "Unmute" } else { "Mute" })
                        }
                        on_click={
                            let mute_id = mute_id.clone();
                            move |()| {
                                let participant_id = mute_id.clone();
                                run.run(if muted() {
                                    CallCommand::Unmute { participant_id }
                                } else {
                                    CallCommand::Mute { participant_id }
                                })
                            }
                        }>
                        {move || if muted() { "Unmute" } else { "Mute" }}
                    </Button>
                </Show>
                <Show when=move || may(Control::Disconnect)>
                    <ConfirmButton label="Disconnect" target=drop_label.clone()
                        on_confirm={
                            let drop_id = drop_id.clone();
                            move |_: ()| run.run(CallCommand::Disconnect { participant_id: drop_id.clone() })
                        } />
                </Show>
            </Actions></td>
        </tr>
    }
}
