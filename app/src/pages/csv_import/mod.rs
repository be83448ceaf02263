//! `/rooms/import`: bulk creation of meeting rooms from a CSV file in Pexip v14's import format.
//! The file is read in the browser (or pasted), checked on the server (a preview with per-line
//! errors, nothing created), then the valid rooms are created one at a time with a progress bar,
//! a result per room and a way to stop.

mod links;
mod preview;
mod run;
mod source;

pub use links::RoomsCsvLinks;

use crate::api::rooms_bulk::PreviewRoomsImport;
use crate::layout::CurrentUserResource;
use bff::bulk::columns::V14_COLUMNS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use preview::PreviewSection;
use run::{Outcome, Run};
use source::SourceInput;

#[component]
pub fn RoomsImportPage() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let may_create = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|user| user.can("room_create"))
    };
    view! {
        <Title text="Import meeting rooms" />
        <nav aria-label="Breadcrumb" class="text-sm text-slate-700">
            <A href="/rooms" attr:class="underline hover:text-indigo-700">"Meeting rooms"</A>
            " / Import"
        </nav>
        <h1 class="mt-2 text-2xl font-semibold">"Import meeting rooms"</h1>
        <p class="mt-2 max-w-3xl text-slate-700">
            "Create many rooms at once from a CSV file in Pexip Infinity's import format. "
            "Nothing is created until you have seen the check of every line."
        </p>
        <details class="mt-3 max-w-3xl text-sm text-slate-700">
            <summary class="cursor-pointer font-medium">"The file format"</summary>
            <p class="mt-2">
                "One room per line, with these columns in this order, or in any order with a header row naming them:"
            </p>
            <p class="mt-1 break-words font-mono text-xs">{V14_COLUMNS.join(",")}</p>
            <p class="mt-2">
                "A room with several aliases takes one line per alias, its other cells repeated. "
                "Yes/no cells take true or false. Empty cells get the Management Node's defaults. "
                "A header may also name other room settings such as service_type or guest_view. "
                "An export from the rooms list can be imported again."
            </p>
        </details>

        <Transition fallback=|| view! { <p class="mt-6">"Loading…"</p> }>
            {move || if may_create() {
                view! { <ImportSteps /> }.into_any()
            } else {
                view! {
                    <p role="alert" class="mt-6 text-red-700">"Your role does not allow creating rooms."</p>
                }.into_any()
            }}
        </Transition>
    }
    .into_any()
}

/// Choose or paste the file, check it, create the rooms.
#[component]
fn ImportSteps() -> impl IntoView {
    let csv = RwSignal::new(String::new());
    let source_error = RwSignal::new(None::<String>);
    let check = ServerAction::<PreviewRoomsImport>::new();
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let run = RwSignal::new(Run::Idle);
    // The text the last check was of: its result is shown only while the text is unchanged.
    let checked = RwSignal::new(None::<String>);
    let result = move || {
        let current =
            csv.with(|text| checked.with(|checked| checked.as_deref() == Some(text.as_str())));
        check.value().get().filter(|_| current)
    };

    // A new preview starts a new import: every room back to "not created yet".
    Effect::new(move |_| {
        if let Some(Ok(preview)) = check.value().get() {
            outcomes.set(preview.rooms.iter().map(Outcome::initial).collect());
            run.set(Run::Idle);
        }
    });

    let checking = move || check.pending().get();
    let on_check = move |_| {
        source_error.set(None);
        let text = csv.get_untracked();
        match source::check_size(text.len()) {
            Err(message) => source_error.set(Some(message)),
            Ok(()) => {
                checked.set(Some(text.clone()));
                check.dispatch(PreviewRoomsImport { csv: text });
            }
        }
    };

    view! {
        <section aria-labelledby="source-heading" class="mt-6">
            <h2 id="source-heading" class="text-lg font-semibold">"1. The file"</h2>
            <SourceInput csv source_error disabled=Signal::derive(move || run.get().is_running()) />
            <button
                type="button"
                id="import-check"
                class="mt-3 rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
                disabled=move || checking() || run.get().is_running() || csv.read().trim().is_empty()
                on:click=on_check
            >
                {move || if checking() { "Checking…" } else { "Check the file" }}
            </button>
            {move || {
                source_error
                    .get()
                    .or_else(|| result().and_then(Result::err).map(|error| error.to_string()))
                    .map(|message| view! {
                        <p role="alert" id="import-file-error" class="mt-2 text-sm text-red-700">{message}</p>
                    })
            }}
        </section>

        {move || result().and_then(Result::ok).map(|preview| view! {
            <PreviewSection preview outcomes run />
        })}
    }
    .into_any()
}
