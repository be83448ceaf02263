//! The check of the file (what would be created, what is wrong where) and, once started, the
//! progress and the result of every room.

use super::run::{self, Outcome, Run};
use bff::bulk::{ImportPreview, ImportRoom};
use leptos::prelude::*;
use leptos_router::components::A;

const BUTTON: &str = "rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60";
const SECONDARY: &str =
    "rounded border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60";

#[component]
pub fn PreviewSection(
    preview: ImportPreview,
    outcomes: RwSignal<Vec<Outcome>>,
    run: RwSignal<Run>,
) -> impl IntoView {
    let total = preview.rooms.len();
    let valid = preview.valid().count();
    let invalid = total - valid;
    let error_count = preview.errors().len();
    let count = move |wanted: fn(&Outcome) -> bool| {
        move || outcomes.with(|list| list.iter().filter(|o| wanted(o)).count())
    };
    let finished = count(Outcome::is_finished);
    let created = count(|o| matches!(o, Outcome::Created(_)));
    let failed = count(|o| matches!(o, Outcome::Failed(_)));
    let skipped = count(|o| matches!(o, Outcome::Skipped));
    let rooms = preview.rooms.clone();
    let start = {
        let preview = preview.clone();
        move |_| run::start(preview.clone(), outcomes, run)
    };
    let ignored = preview.ignored_columns.clone();

    view! {
        <section aria-labelledby="check-heading" class="mt-8">
            <h2 id="check-heading" class="text-lg font-semibold">"2. The check"</h2>
            <p id="import-summary" class="mt-2">
                {format!("{total} {}: {valid} ready to create, {invalid} with errors ({error_count} {}).",
                    plural(total, "room", "rooms"), plural(error_count, "error", "errors"))}
            </p>
            {(!ignored.is_empty()).then(|| view! {
                <p class="mt-2 text-sm text-amber-900">
                    {format!("Ignored columns (not room settings on this Management Node): {}", ignored.join(", "))}
                </p>
            })}
            {(invalid > 0).then(|| view! {
                <p class="mt-2 text-sm text-slate-700">
                    "Rooms with errors are not created. Fix them in the file and check it again, or create the others now."
                </p>
            })}
        </section>

        <section aria-labelledby="create-heading" class="mt-8">
            <h2 id="create-heading" class="text-lg font-semibold">"3. Create"</h2>
            <div class="mt-3 flex flex-wrap items-center gap-3">
                <button
                    type="button"
                    id="import-create"
                    class=BUTTON
                    disabled=move || valid == 0 || run.get() != Run::Idle
                    on:click=start
                >
                    {format!("Create {valid} {}", plural(valid, "room", "rooms"))}
                </button>
                <button
                    type="button"
                    id="import-stop"
                    class=SECONDARY
                    disabled=move || run.get() != Run::Running
                    on:click=move |_| run.set(Run::Stopping)
                >
                    {move || if run.get() == Run::Stopping { "Stopping…" } else { "Stop" }}
                </button>
            </div>
            {move || (run.get() != Run::Idle).then(|| view! {
                <div class="mt-4 max-w-xl">
                    <label for="import-progress" class="text-sm font-medium">"Progress"</label>
                    <progress
                        id="import-progress"
                        class="mt-1 block h-3 w-full"
                        max=valid.to_string()
                        value=move || finished().to_string()
                    ></progress>
                    <p id="import-status" role="status" class="mt-1 text-sm">
                        {move || match run.get() {
                            Run::Done if skipped() > 0 => format!(
                                "Stopped: {} created, {} failed, {} not tried (of {valid}).",
                                created(), failed(), skipped()),
                            Run::Done => format!(
                                "Done: {} created, {} failed (of {valid}).", created(), failed()),
                            _ => format!(
                                "{} of {valid} done: {} created, {} failed.",
                                finished(), created(), failed()),
                        }}
                    </p>
                </div>
            })}
        </section>

        <div class="mt-6 overflow-x-auto">
            <table id="import-rooms" class="w-full min-w-[40rem] text-left text-sm">
                <caption class="sr-only">"Rooms of the file, their check and their result"</caption>
                <thead>
                    <tr class="border-b border-slate-300">
                        <th scope="col" class="py-2 pr-3">"Line"</th>
                        <th scope="col" class="pr-3">"Name"</th>
                        <th scope="col" class="pr-3">"Aliases"</th>
                        <th scope="col" class="pr-3">"Check"</th>
                        <th scope="col">"Result"</th>
                    </tr>
                </thead>
                <tbody>
                    {rooms.into_iter().enumerate().map(|(index, room)| view! {
                        <RoomRow index room outcomes />
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RoomRow(index: usize, room: ImportRoom, outcomes: RwSignal<Vec<Outcome>>) -> impl IntoView {
    let lines = room
        .lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let outcome = move || outcomes.with(|list| list.get(index).cloned());
    view! {
        <tr class="border-b border-slate-100 align-top" data-line=room.line().to_string()>
            <td class="py-2 pr-3 tabular-nums">{lines}</td>
            <td class="py-2 pr-3 font-medium">{room.name.clone()}</td>
            <td class="py-2 pr-3 break-all">{room.aliases.join(", ")}</td>
            <td class="py-2 pr-3">
                {if room.errors.is_empty() {
                    view! { <span class="text-green-800">"ready"</span> }.into_any()
                } else {
                    view! {
                        <ul class="import-errors text-red-700">
                            {room.errors.iter().map(|error| view! { <li>{error.to_string()}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </td>
            <td class="py-2 import-result">
                {move || match outcome() {
                    Some(Outcome::Created(id)) => view! {
                        <A href=format!("/rooms/{id}") attr:class="text-green-800 underline">"created"</A>
                    }.into_any(),
                    Some(Outcome::Failed(message)) => view! {
                        <span class="text-red-700">{format!("failed: {message}")}</span>
                    }.into_any(),
                    Some(Outcome::Creating) => view! { <span>"creating…"</span> }.into_any(),
                    Some(Outcome::Skipped) => view! { <span>"not tried (stopped)"</span> }.into_any(),
                    Some(Outcome::Invalid) => view! { <span>"not created"</span> }.into_any(),
                    Some(Outcome::Waiting) | None => view! { <span class="text-slate-700">"—"</span> }.into_any(),
                }}
            </td>
        </tr>
    }
    .into_any()
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
