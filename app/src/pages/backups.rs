//! Backups: list, create (with a passphrase), download, restore (upload with progress) and
//! delete, for admins. Downloads and restores go through the server's file routes.

use super::format::{iso_time, size};
use super::reload_after::reload_after;
use super::restore::RestoreForm;
use crate::api::backups::{Backup, CreateBackup, DeleteBackup, list_backups};
use crate::api::{AppError, Deferred};
use crate::ui::{
    Actions, Button, Code, ConfirmButton, ConfirmState, DataTable, Empty, ErrorNotice, FormActions,
    Grid, GridWide, LinkButton, Loading, PageHeader, Progress, Section, Strong, SuccessNotice,
    TextField, Variant, VisuallyHidden, action_error,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The list the page shows. Made by the route's `data()`, so its request starts on navigation,
/// while the page's code loads; the page's actions and restores reload it (`reload_after`).
#[derive(Clone, Copy)]
pub struct BackupsData {
    /// Counts the changes to the list: backups made or deleted here, restores.
    changed: RwSignal<u32>,
    backups: Resource<Result<Deferred<Vec<Backup>>, AppError>>,
}

impl BackupsData {
    pub fn load() -> Self {
        let changed = RwSignal::new(0u32);
        let backups = Resource::new(move || changed.get(), |_| list_backups());
        Self { changed, backups }
    }
}

#[component]
pub fn BackupsPage(data: BackupsData) -> impl IntoView {
    ConfirmState::provide();
    let BackupsData { changed, backups } = data;
    let create = ServerAction::<CreateBackup>::new();
    let delete = ServerAction::<DeleteBackup>::new();
    reload_after(
        move || (create.version().get(), delete.version().get()),
        changed,
    );

    view! {
        <PageHeader title="Backups" intro="Backups of the Management Node's configuration, encrypted with a passphrase. Keep the passphrase: a backup cannot be restored without it." />

        <Section heading_id="backups-heading" title="Backup files">
            <Transition fallback=|| view! { <Loading what="backups" /> }>
                {move || backups.get().map(|result| match result.and_then(Deferred::decode) {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <Empty>"There are no backups yet."</Empty> }.into_any(),
                    Ok(list) => view! {
                        <DataTable id="backups">
                            <thead><tr>
                                <th scope="col">"File"</th>
                                <th scope="col">"Made"</th>
                                <th scope="col">"Size"</th>
                                <th scope="col">"Version"</th>
                                <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|backup| {
                                    let filename = backup.filename.clone();
                                    let shown = backup.filename.clone();
                                    view! {
                                        <tr>
                                            <td><Strong><Code>{shown}</Code></Strong></td>
                                            <td>{iso_time(&backup.date)}</td>
                                            <td>{size(backup.size)}</td>
                                            <td>{backup.version.clone()}</td>
                                            <td>
                                                <Actions>
                                                    <LinkButton variant=Variant::Secondary download=backup.filename.clone()
                                                        href=format!("/api/backups/download/{}", backup.filename)
                                                        aria_label=format!("Download {}", backup.filename)>
                                                        "Download"
                                                    </LinkButton>
                                                    <ConfirmButton label="Delete" target=backup.filename.clone()
                                                        consequence="The file is gone for good."
                                                        on_confirm=move |_: ()| { delete.dispatch(DeleteBackup { filename: filename.clone() }); } />
                                                </Actions>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </DataTable>
                    }.into_any(),
                })}
            </Transition>
            {action_error(delete)}
        </Section>

        <Section heading_id="create-heading" title="New backup">
            <ActionForm action=create>
                <Grid columns=3>
                    <GridWide>
                        <TextField id="backup-passphrase" name="passphrase" label="Passphrase for the new backup"
                            input_type="password" required=true autocomplete="new-password" />
                    </GridWide>
                    <FormActions>
                        <Button submit=true busy=create.pending() busy_label="Creating backup…">"Create backup"</Button>
                    </FormActions>
                </Grid>
            </ActionForm>
            {move || create.pending().get().then(|| view! {
                <Progress label="Creating backup">
                    "The node is writing and encrypting the backup; this can take a while."
                </Progress>
            })}
            {move || create.value().get().and_then(Result::ok).map(|_| view! {
                <SuccessNotice>"Backup created."</SuccessNotice>
            })}
            {action_error(create)}
        </Section>

        <RestoreForm on_restored=move |_| changed.update(|n| *n += 1) />
    }
}
