//! The CSV imports: `/rooms/import` (meeting rooms) and `/devices/import` (device aliases), in
//! Pexip v14's import formats, one set of components for both ([`kind::ImportKind`] holds what
//! differs). The file is read in the browser (or pasted), checked on the server (a preview with
//! per-line errors, nothing written), then the valid items are sent one at a time with a
//! progress bar, a result per item and a way to stop.

mod kind;
mod links;
mod preview;
mod run;
mod source;

pub use links::{DevicesCsvLinks, RoomsCsvLinks};

use crate::layout::CurrentUserResource;
use crate::ui::{
    Breadcrumb, Button, Code, Disclosure, ErrorNotice, FinePrint, Loading, PageHeader, Section,
    TextLink,
};
use kind::ImportKind;
use leptos::prelude::*;
use preview::PreviewSection;
use run::{Outcome, Run};
use source::SourceInput;

/// `/rooms/import`.
#[component]
pub fn RoomsImportPage() -> impl IntoView {
    view! { <ImportPage kind=ImportKind::Rooms /> }
}

/// `/devices/import`.
#[component]
pub fn DevicesImportPage() -> impl IntoView {
    view! { <ImportPage kind=ImportKind::Devices /> }
}

#[component]
fn ImportPage(kind: ImportKind) -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let may_import = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|user| user.can(kind.permission()))
    };
    let (list_href, list_name) = kind.list();
    view! {
        <Breadcrumb><TextLink href=list_href>{list_name}</TextLink>" / Import"</Breadcrumb>
        <PageHeader title=kind.title().to_string() intro=kind.intro() />
        <Disclosure summary="The file format">
            <FinePrint>
                "One line per item, with these columns in this order, or in any order with a header row naming them:"
            </FinePrint>
            <FinePrint><Code>{kind.format().v14.join(",")}</Code></FinePrint>
            <FinePrint>{kind.format_notes()}</FinePrint>
        </Disclosure>

        <Transition fallback=|| view! { <Loading what="your permissions" /> }>
            {move || if may_import() {
                view! { <ImportSteps kind /> }.into_any()
            } else {
                view! { <ErrorNotice message=kind.not_allowed() /> }.into_any()
            }}
        </Transition>
    }
    .into_any()
}

/// Choose or paste the file, check it, send the items.
#[component]
fn ImportSteps(kind: ImportKind) -> impl IntoView {
    let csv = RwSignal::new(String::new());
    let source_error = RwSignal::new(None::<String>);
    let check = Action::new(move |text: &String| kind.preview(text.clone()));
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let run = RwSignal::new(Run::Idle);
    // The text the last check was of: its result is shown only while the text is unchanged.
    let checked = RwSignal::new(None::<String>);
    let result = move || {
        let current =
            csv.with(|text| checked.with(|checked| checked.as_deref() == Some(text.as_str())));
        check.value().get().filter(|_| current)
    };

    // A new preview starts a new import: every item back to "not sent yet".
    Effect::new(move |_| {
        if let Some(Ok(preview)) = check.value().get() {
            outcomes.set(preview.items.iter().map(Outcome::initial).collect());
            run.set(Run::Idle);
        }
    });

    let checking = Signal::derive(move || check.pending().get());
    let on_check = Callback::new(move |()| {
        source_error.set(None);
        let text = csv.get_untracked();
        match source::check_size(text.len()) {
            Err(message) => source_error.set(Some(message)),
            Ok(()) => {
                checked.set(Some(text.clone()));
                check.dispatch(text);
            }
        }
    });
    let file_error = move || {
        source_error.get().or_else(|| {
            result()
                .and_then(Result::err)
                .map(|error| error.to_string())
        })
    };

    view! {
        <Section heading_id="source-heading" title="1. The file">
            <SourceInput csv source_error disabled=Signal::derive(move || run.get().is_running()) />
            <Button id="import-check" busy=checking busy_label="Checking…"
                disabled=Signal::derive(move || run.get().is_running() || csv.read().trim().is_empty())
                on_click=on_check>
                "Check the file"
            </Button>
            {move || file_error().map(|message| view! {
                <ErrorNotice id="import-source-error" inline=true message />
            })}
        </Section>

        {move || result().and_then(Result::ok).map(|preview| view! {
            <PreviewSection kind preview outcomes run />
        })}
    }
    .into_any()
}
