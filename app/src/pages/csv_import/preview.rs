//! The check of the file (what would be created or changed, what is wrong where) and, once
//! started, the progress and the result of every item.

use super::kind::ImportKind;
use super::run::{self, Outcome, Run};
use crate::ui::{
    Badge, Button, CountProgress, DataTable, ErrorList, Hint, Muted, Row, Section, TextLink, Tone,
    Variant, WarningNotice,
};
use bff::bulk::{ImportAction, ImportItem, ImportPreview};
use leptos::prelude::*;

/// The summary line of a check, e.g. "50 rooms: 48 ready to create, 2 with errors (2 errors)."
pub fn summary(kind: ImportKind, preview: &ImportPreview) -> String {
    let total = preview.items.len();
    let invalid = total - preview.valid().count();
    let errors = preview.errors().len();
    let creates = preview.count(ImportAction::is_create);
    let changes = if kind.updates() {
        format!(
            ", {} to change, {} unchanged",
            preview.count(ImportAction::is_update),
            preview.count(ImportAction::is_unchanged)
        )
    } else {
        String::new()
    };
    format!(
        "{}: {creates} ready to create{changes}, {invalid} with errors ({errors} {}).",
        kind.count(total),
        if errors == 1 { "error" } else { "errors" }
    )
}

/// The status line of a run from the outcomes so far; `total` items are to be sent.
pub fn status(kind: ImportKind, run: Run, outcomes: &[Outcome], total: usize) -> String {
    let count = |wanted: fn(&Outcome) -> bool| outcomes.iter().filter(|o| wanted(o)).count();
    let created = count(|o| matches!(o, Outcome::Created(_)));
    let updated = if kind.updates() {
        format!("{} updated, ", count(|o| matches!(o, Outcome::Updated(_))))
    } else {
        String::new()
    };
    let failed = count(|o| matches!(o, Outcome::Failed(_)));
    let skipped = count(|o| matches!(o, Outcome::Skipped));
    let finished = count(Outcome::is_finished);
    match run {
        Run::Done if skipped > 0 => format!(
            "Stopped: {created} created, {updated}{failed} failed, {skipped} not tried (of {total})."
        ),
        Run::Done => format!("Done: {created} created, {updated}{failed} failed (of {total})."),
        _ => format!("{finished} of {total} done: {created} created, {updated}{failed} failed."),
    }
}

#[component]
pub fn PreviewSection(
    kind: ImportKind,
    preview: ImportPreview,
    outcomes: RwSignal<Vec<Outcome>>,
    run: RwSignal<Run>,
) -> impl IntoView {
    let to_send = preview.to_send().count();
    let invalid = preview.items.len() - preview.valid().count();
    let finished = move || outcomes.with(|list| list.iter().filter(|o| o.is_finished()).count());
    let items = preview.items.clone();
    let start = {
        let preview = preview.clone();
        Callback::new(move |()| run::start(kind, preview.clone(), outcomes, run))
    };
    let ignored = preview.ignored_columns.clone();
    let summary = summary(kind, &preview);
    let noun = kind.format().noun;

    view! {
        <Section heading_id="check-heading" title="2. The check">
            <Hint id="import-summary">{summary}</Hint>
            {(!ignored.is_empty()).then(|| view! {
                <WarningNotice>
                    {format!("Ignored columns (not settings of {noun} on this Management Node): {}", ignored.join(", "))}
                </WarningNotice>
            })}
            {(invalid > 0).then(|| view! {
                <Hint>
                    "Lines with errors are not imported. Fix them in the file and check it again, or import the others now."
                </Hint>
            })}
        </Section>

        <Section heading_id="create-heading" title="3. Import">
            <Row>
                <Button id="import-create" disabled=Signal::derive(move || to_send == 0 || run.get() != Run::Idle)
                    on_click=start>
                    {kind.start_label(to_send)}
                </Button>
                <Button id="import-stop" variant=Variant::Secondary
                    disabled=Signal::derive(move || run.get() != Run::Running)
                    on_click=Callback::new(move |()| run.set(Run::Stopping))>
                    {move || if run.get() == Run::Stopping { "Stopping…" } else { "Stop" }}
                </Button>
            </Row>
            {move || (run.get() != Run::Idle).then(|| view! {
                <CountProgress id="import-progress" status_id="import-status" label="Progress"
                    done=Signal::derive(finished) total=to_send>
                    {move || outcomes.with(|list| status(kind, run.get(), list, to_send))}
                </CountProgress>
            })}
        </Section>

        <DataTable id="import-items" caption=format!("The {noun} of the file, their check and their result")>
            <thead>
                <tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">{kind.name_heading()}</th>
                    {(!kind.updates()).then(|| view! { <th scope="col">"Aliases"</th> })}
                    <th scope="col">"Check"</th>
                    <th scope="col">"Result"</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().enumerate().map(|(index, item)| view! {
                    <ItemRow kind index item outcomes />
                }).collect_view()}
            </tbody>
        </DataTable>
    }
    .into_any()
}

#[component]
fn ItemRow(
    kind: ImportKind,
    index: usize,
    item: ImportItem,
    outcomes: RwSignal<Vec<Outcome>>,
) -> impl IntoView {
    let lines = item
        .lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let outcome = move || outcomes.with(|list| list.get(index).cloned());
    let line = item.line().to_string();
    let check = if item.errors.is_empty() {
        let ready = match item.action {
            ImportAction::Create => "ready".to_string(),
            ImportAction::Update { .. } => format!(
                "ready: changes {}",
                item.fields.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            ImportAction::Unchanged { .. } => "already as in the file".to_string(),
        };
        view! { <Badge tone=Tone::Good>{ready}</Badge> }.into_any()
    } else {
        view! {
            <ErrorList>
                {item.errors.iter().map(|error| view! { <li>{error.to_string()}</li> }).collect_view()}
            </ErrorList>
        }
        .into_any()
    };
    view! {
        <tr data-line=line>
            <td>{lines}</td>
            <td>{item.name.clone()}</td>
            {(!kind.updates()).then(|| view! { <td>{item.aliases.join(", ")}</td> })}
            <td data-check="">{check}</td>
            <td data-result="">
                {move || match outcome() {
                    Some(Outcome::Created(id)) => view! {
                        <TextLink href=kind.object_href(id)>"created"</TextLink>
                    }.into_any(),
                    Some(Outcome::Updated(id)) => view! {
                        <TextLink href=kind.object_href(id)>"changed"</TextLink>
                    }.into_any(),
                    Some(Outcome::Unchanged(id)) => view! {
                        <TextLink href=kind.object_href(id)>"unchanged"</TextLink>
                    }.into_any(),
                    Some(Outcome::Failed(message)) => view! {
                        <Badge tone=Tone::Bad>{format!("failed: {message}")}</Badge>
                    }.into_any(),
                    Some(Outcome::Sending) => view! { <span>"sending…"</span> }.into_any(),
                    Some(Outcome::Skipped) => view! { <span>"not tried (stopped)"</span> }.into_any(),
                    Some(Outcome::Invalid) => view! { <span>{kind.not_sent()}</span> }.into_any(),
                    Some(Outcome::Waiting) | None => view! { <Muted>"—"</Muted> }.into_any(),
                }}
            </td>
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bff::bulk::ImportError;

    fn item(action: ImportAction, valid: bool) -> ImportItem {
        ImportItem {
            action,
            errors: if valid {
                vec![]
            } else {
                vec![ImportError {
                    line: 3,
                    column: None,
                    message: "bad".into(),
                }]
            },
            ..ImportItem::default()
        }
    }

    #[test]
    fn rooms_keep_their_words_and_devices_count_changes() {
        let preview = ImportPreview {
            items: vec![
                item(ImportAction::Create, true),
                item(ImportAction::Create, false),
                item(ImportAction::Update { id: 1 }, true),
                item(ImportAction::Unchanged { id: 2 }, true),
            ],
            ..ImportPreview::default()
        };
        assert_eq!(
            summary(ImportKind::Devices, &preview),
            "4 device aliases: 1 ready to create, 1 to change, 1 unchanged, 1 with errors (1 error)."
        );
        let rooms = ImportPreview {
            items: preview.items[..2].to_vec(),
            ..ImportPreview::default()
        };
        assert_eq!(
            summary(ImportKind::Rooms, &rooms),
            "2 rooms: 1 ready to create, 1 with errors (1 error)."
        );
        let outcomes = [
            Outcome::Created(1),
            Outcome::Updated(2),
            Outcome::Failed("x".into()),
            Outcome::Skipped,
        ];
        assert_eq!(
            status(ImportKind::Devices, Run::Done, &outcomes, 4),
            "Stopped: 1 created, 1 updated, 1 failed, 1 not tried (of 4)."
        );
        assert_eq!(
            status(ImportKind::Rooms, Run::Done, &outcomes[..1], 1),
            "Done: 1 created, 0 failed (of 1)."
        );
        assert_eq!(
            status(ImportKind::Rooms, Run::Running, &outcomes[..1], 3),
            "1 of 3 done: 1 created, 0 failed."
        );
    }
}
