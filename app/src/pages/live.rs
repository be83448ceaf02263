//! Live: conferences in progress and their participants, refreshed every few seconds, with call
//! control for those whose role allows it (the server decides every command again).

use super::charts::{LoadChart, QualityBars, Sample};
use super::confirm::{ConfirmButton, ConfirmState};
use super::format::{duration, iso_millis, iso_time};
use super::notice::{Empty, ErrorNotice, Loading, action_error};
use super::style::{BADGE, BUTTON, HEAD_ROW, INPUT, LABEL, ROW, SMALL_BUTTON, TABLE, WARN_BADGE};
use crate::api::live::{
    CallControl, DialOut, LiveConference, LiveParticipant, LiveSnapshot, load_live,
    participant_media,
};
use crate::layout::CurrentUserResource;
use bff::requests::CallCommand;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

/// How often the page asks for a fresh picture.
const REFRESH: Duration = Duration::from_secs(5);
/// How many snapshots the chart keeps (an hour at the refresh rate).
const KEEP_SAMPLES: usize = 720;

#[component]
pub fn LivePage() -> impl IntoView {
    ConfirmState::provide();
    let user = expect_context::<CurrentUserResource>();
    let can_control = Signal::derive(move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.can("call_control"))
    });
    let command = ServerAction::<CallControl>::new();
    let dial = ServerAction::<DialOut>::new();

    // A tick from the browser every few seconds (effects only run there, so the server renders
    // one snapshot and never waits).
    let (tick, set_tick) = signal(0u64);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || set_tick.update(|t| *t += 1), REFRESH)
        {
            on_cleanup(move || handle.clear());
        }
    });
    let snapshot = Resource::new(
        move || (tick.get(), command.version().get(), dial.version().get()),
        |_| load_live(),
    );

    // The chart's history: one sample per snapshot seen in this page.
    let samples = RwSignal::new(Vec::<Sample>::new());
    Effect::new(move |_| {
        if let Some(Ok(snap)) = snapshot.get() {
            samples.update(|list| {
                if list.last().is_none_or(|s| s.at < snap.taken_at) {
                    list.push(Sample {
                        at: snap.taken_at,
                        participants: snap.participant_count(),
                        conferences: snap.conferences.len(),
                    });
                    let excess = list.len().saturating_sub(KEEP_SAMPLES);
                    list.drain(..excess);
                }
            });
        }
    });

    // The participant whose media quality is shown.
    let inspected = RwSignal::new(None::<(String, String)>);
    let run = Callback::new(move |c: CallCommand| {
        command.dispatch(CallControl { command: c });
    });

    view! {
        <Title text="Live" />
        <h1 class="text-2xl font-semibold">"Live"</h1>
        <p class="mt-2 text-slate-600">"Conferences in progress and their participants. The view refreshes every 5 seconds."</p>

        <section aria-labelledby="load-heading" class="mt-6">
            <h2 id="load-heading" class="text-lg font-semibold">"Calls over time"</h2>
            {move || view! { <LoadChart samples=samples.get() /> }}
        </section>

        {action_error(command)}

        <section aria-labelledby="conferences-heading" class="mt-8">
            <h2 id="conferences-heading" class="text-lg font-semibold">"Conferences in progress"</h2>
            <Transition fallback=|| view! { <Loading what="conferences in progress" /> }>
                {move || snapshot.get().map(|result| match result {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(snap) if snap.conferences.is_empty() => view! {
                        <Empty>"No conferences are in progress."</Empty>
                    }.into_any(),
                    Ok(snap) => view! { <Conferences snap can_control run inspected /> }.into_any(),
                })}
            </Transition>
        </section>

        {move || inspected.get().map(|(id, name)| view! { <MediaPanel id name tick inspected /> })}

        <Transition>
            <Show when=move || can_control.get()>
                <DialForm dial snapshot />
            </Show>
        </Transition>
    }
}

#[component]
fn Conferences(
    snap: LiveSnapshot,
    can_control: Signal<bool>,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let now = snap.taken_at;
    let summary = format!(
        "{} conferences, {} calls",
        snap.conferences.len(),
        snap.participant_count()
    );
    view! {
        <p class="mt-2 text-sm text-slate-600" id="live-summary">{summary}</p>
        <div class="mt-2 space-y-6">
            {snap.conferences.into_iter().map(|conference| view! {
                <ConferenceCard conference now can_control run inspected />
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn ConferenceCard(
    conference: LiveConference,
    now: i64,
    can_control: Signal<bool>,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let running = iso_millis(&conference.start_time)
        .map(|start| duration(((now - start).max(0) / 1000) as u64))
        .unwrap_or_default();
    let id = conference.id.clone();
    let name = conference.name.clone();
    let locked = conference.is_locked;
    let guests_muted = conference.guests_muted;
    let heading_id = format!("conference-{}", conference.id);
    let labelled_by = heading_id.clone();
    let controls = {
        let (id, name) = (id.clone(), name.clone());
        move || {
            can_control.get().then(|| {
                let (lock_id, guests_id, end_id) = (id.clone(), id.clone(), id.clone());
                view! {
                    <div class="flex flex-wrap gap-2">
                        <button type="button" class=SMALL_BUTTON
                            on:click=move |_| run.run(if locked {
                                CallCommand::Unlock { conference_id: lock_id.clone() }
                            } else {
                                CallCommand::Lock { conference_id: lock_id.clone() }
                            })>
                            {if locked { "Unlock" } else { "Lock" }}
                        </button>
                        <button type="button" class=SMALL_BUTTON
                            on:click=move |_| run.run(if guests_muted {
                                CallCommand::UnmuteGuests { conference_id: guests_id.clone() }
                            } else {
                                CallCommand::MuteGuests { conference_id: guests_id.clone() }
                            })>
                            {if guests_muted { "Unmute guests" } else { "Mute guests" }}
                        </button>
                        <ConfirmButton label="End conference" target=name.clone()
                            consequence="Everyone in it is disconnected."
                            on_confirm=move |_: ()| run.run(CallCommand::DisconnectConference { conference_id: end_id.clone() }) />
                    </div>
                }
            })
        }
    };
    view! {
        <article class="rounded border border-slate-200 p-4" aria-labelledby=labelled_by>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h3 id=heading_id class="font-semibold">
                    {conference.name.clone()}
                    <span class=BADGE>{conference.service_type.clone()}</span>
                    {locked.then(|| view! { <span class=WARN_BADGE>"locked"</span> })}
                    {guests_muted.then(|| view! { <span class=WARN_BADGE>"guests muted"</span> })}
                </h3>
                <span class="text-sm text-slate-600">{format!("since {} ({running})", iso_time(&conference.start_time))}</span>
                {controls}
            </div>
            <table class=TABLE>
                <thead><tr class=HEAD_ROW>
                    <th scope="col" class="py-2">"Participant"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Call"</th>
                    <th scope="col">"Location"</th>
                    <th scope="col">"State"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {conference.participants.into_iter().map(|p| view! {
                        <ParticipantRow p can_control run inspected />
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
    .into_any()
}

#[component]
fn ParticipantRow(
    p: LiveParticipant,
    can_control: Signal<bool>,
    run: Callback<CallCommand>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let name = if p.display_name.is_empty() {
        p.remote_alias.clone()
    } else {
        p.display_name.clone()
    };
    let muted = p.is_muted;
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
    let state = if state.is_empty() {
        "connected".to_string()
    } else {
        state.join(", ")
    };
    let id = p.id.clone();
    let controls = {
        let (id, name) = (id.clone(), name.clone());
        move || {
            can_control.get().then(|| {
                let (mute_id, drop_id) = (id.clone(), id.clone());
                view! {
                    <button type="button" class=SMALL_BUTTON
                        aria-label=format!("{} {}", if muted { "Unmute" } else { "Mute" }, name)
                        on:click=move |_| run.run(if muted {
                            CallCommand::Unmute { participant_id: mute_id.clone() }
                        } else {
                            CallCommand::Mute { participant_id: mute_id.clone() }
                        })>
                        {if muted { "Unmute" } else { "Mute" }}
                    </button>
                    <ConfirmButton label="Disconnect" target=name.clone()
                        on_confirm=move |_: ()| run.run(CallCommand::Disconnect { participant_id: drop_id.clone() }) />
                }
            })
        }
    };
    let (media_id, media_name) = (id.clone(), name.clone());
    view! {
        <tr class=ROW data-participant=p.id.clone()>
            <td class="py-2">
                <span class="font-medium">{name.clone()}</span>
                <span class="block text-xs text-slate-500">{p.remote_alias.clone()}</span>
            </td>
            <td>{p.role.clone()}</td>
            <td>{format!("{} {} · {} kbps", p.protocol, if p.call_direction == "out" { "out" } else { "in" }, p.bandwidth)}</td>
            <td>{p.system_location.clone()}</td>
            <td class="participant-state">{state}</td>
            <td class="flex flex-wrap gap-2 py-2">
                <button type="button" class=SMALL_BUTTON aria-label=format!("Media quality of {name}")
                    on:click=move |_| inspected.set(Some((media_id.clone(), media_name.clone())))>
                    "Media"
                </button>
                {controls}
            </td>
        </tr>
    }
    .into_any()
}

/// Packet loss and jitter of one participant's streams, refreshed with the page.
#[component]
fn MediaPanel(
    id: String,
    name: String,
    tick: ReadSignal<u64>,
    inspected: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let media = Resource::new(
        move || (id.clone(), tick.get()),
        |(id, _)| participant_media(id),
    );
    view! {
        <section aria-labelledby="media-heading" class="mt-8 rounded border border-slate-200 p-4">
            <div class="flex items-center justify-between">
                <h2 id="media-heading" class="text-lg font-semibold">{format!("Media quality: {name}")}</h2>
                <button type="button" class=SMALL_BUTTON on:click=move |_| inspected.set(None)>"Close"</button>
            </div>
            <Transition fallback=|| view! { <Loading what="media statistics" /> }>
                {move || media.get().map(|result| match result {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(streams) => view! { <QualityBars streams /> }.into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn DialForm(
    dial: ServerAction<DialOut>,
    snapshot: Resource<Result<LiveSnapshot, crate::api::AppError>>,
) -> impl IntoView {
    let locations = move || {
        snapshot
            .get()
            .and_then(Result::ok)
            .map(|s| s.locations)
            .unwrap_or_default()
    };
    view! {
        <section aria-labelledby="dial-heading" class="mt-10">
            <h2 id="dial-heading" class="text-lg font-semibold">"Dial out"</h2>
            <p class="mt-1 text-sm text-slate-600">"Call someone into a conference: the node places the call from the chosen location."</p>
            <ActionForm action=dial attr:class="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                <div><label for="dial-alias" class=LABEL>"Conference alias"</label>
                    <input id="dial-alias" name="conference_alias" required placeholder="meet.alice@example.com" class=INPUT /></div>
                <div><label for="dial-destination" class=LABEL>"Destination"</label>
                    <input id="dial-destination" name="destination" required placeholder="sip:room@example.com" class=INPUT /></div>
                <div><label for="dial-name" class=LABEL>"Display name (optional)"</label>
                    <input id="dial-name" name="remote_display_name" class=INPUT /></div>
                <div><label for="dial-role" class=LABEL>"Role"</label>
                    <select id="dial-role" name="role" class=INPUT>
                        <option value="guest">"guest"</option>
                        <option value="chair">"host (chair)"</option>
                    </select></div>
                <div><label for="dial-protocol" class=LABEL>"Protocol"</label>
                    <select id="dial-protocol" name="protocol" class=INPUT>
                        <option value="sip">"SIP"</option>
                        <option value="h323">"H.323"</option>
                        <option value="mssip">"Skype for Business (MS-SIP)"</option>
                        <option value="rtmp">"RTMP (streaming)"</option>
                    </select></div>
                <div><label for="dial-location" class=LABEL>"From location"</label>
                    <select id="dial-location" name="system_location" required class=INPUT>
                        <Transition>
                            {move || locations().into_iter().map(|name| view! {
                                <option value=name.clone()>{name.clone()}</option>
                            }).collect_view()}
                        </Transition>
                    </select></div>
                <div class="sm:col-span-2 lg:col-span-3">
                    <button type="submit" class=BUTTON disabled=move || dial.pending().get()>
                        {move || if dial.pending().get() { "Dialling…" } else { "Dial" }}
                    </button>
                    {move || dial.value().get().and_then(Result::ok).map(|_| view! {
                        <p role="status" class="mt-2 text-sm text-emerald-700">"Call placed."</p>
                    })}
                    {action_error(dial)}
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
