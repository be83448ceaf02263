//! Backups: list, create (with a passphrase), download, restore (upload with progress) and
//! delete, for admins. Downloads and restores go through the server's file routes.

use super::confirm::{ConfirmButton, ConfirmState};
use super::format::{iso_time, size};
use super::notice::{Empty, ErrorNotice, Loading, action_error};
use super::restore::RestoreForm;
use super::style::{BUTTON, HEAD_ROW, INPUT, LABEL, ROW, SMALL_BUTTON, TABLE};
use crate::api::backups::{CreateBackup, DeleteBackup, list_backups};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BackupsPage() -> impl IntoView {
    ConfirmState::provide();
    let create = ServerAction::<CreateBackup>::new();
    let delete = ServerAction::<DeleteBackup>::new();
    let restored = RwSignal::new(0u32);
    let backups = Resource::new(
        move || {
            (
                create.version().get(),
                delete.version().get(),
                restored.get(),
            )
        },
        |_| list_backups(),
    );

    view! {
        <Title text="Backups" />
        <h1 class="text-2xl font-semibold">"Backups"</h1>
        <p class="mt-2 text-slate-600">"Backups of the Management Node's configuration, encrypted with a passphrase. Keep the passphrase: a backup cannot be restored without it."</p>

        <section aria-labelledby="backups-heading" class="mt-8">
            <h2 id="backups-heading" class="text-lg font-semibold">"Backup files"</h2>
            <Transition fallback=|| view! { <Loading what="backups" /> }>
                {move || backups.get().map(|result| match result {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <Empty>"There are no backups yet."</Empty> }.into_any(),
                    Ok(list) => view! {
                        <table id="backups" class=TABLE>
                            <thead><tr class=HEAD_ROW>
                                <th scope="col" class="py-2">"File"</th>
                                <th scope="col">"Made"</th>
                                <th scope="col">"Size"</th>
                                <th scope="col">"Version"</th>
                                <th scope="col"><span class="sr-only">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|backup| {
                                    let filename = backup.filename.clone();
                                    view! {
                                        <tr class=ROW>
                                            <td class="py-2 break-all font-medium">{backup.filename.clone()}</td>
                                            <td>{iso_time(&backup.date)}</td>
                                            <td>{size(backup.size)}</td>
                                            <td>{backup.version.clone()}</td>
                                            <td class="flex flex-wrap gap-2 py-2">
                                                <a class=SMALL_BUTTON download=backup.filename.clone()
                                                    href=format!("/api/backups/download/{}", backup.filename)
                                                    aria-label=format!("Download {}", backup.filename)>
                                                    "Download"
                                                </a>
                                                <ConfirmButton label="Delete" target=backup.filename.clone()
                                                    consequence="The file is gone for good."
                                                    on_confirm=move |_: ()| { delete.dispatch(DeleteBackup { filename: filename.clone() }); } />
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            {action_error(delete)}
        </section>

        <section aria-labelledby="create-heading" class="mt-10">
            <h2 id="create-heading" class="text-lg font-semibold">"New backup"</h2>
            <ActionForm action=create attr:class="mt-2 grid gap-4 sm:grid-cols-3">
                <div class="sm:col-span-2"><label for="backup-passphrase" class=LABEL>"Passphrase for the new backup"</label>
                    <input id="backup-passphrase" name="passphrase" type="password" required autocomplete="new-password" class=INPUT /></div>
                <div class="flex items-end">
                    <button type="submit" class=BUTTON disabled=move || create.pending().get()>
                        {move || if create.pending().get() { "Creating backup…" } else { "Create backup" }}
                    </button>
                </div>
            </ActionForm>
            {move || create.pending().get().then(|| view! {
                <p role="status" class="mt-2 flex items-center gap-2 text-sm text-slate-600">
                    <progress class="w-40" aria-label="Creating backup"></progress>
                    "The node is writing and encrypting the backup; this can take a while."
                </p>
            })}
            {move || create.value().get().and_then(Result::ok).map(|_| view! {
                <p role="status" class="mt-2 text-sm text-emerald-700">"Backup created."</p>
            })}
            {action_error(create)}
        </section>

        <RestoreForm on_restored=move |_| restored.update(|n| *n += 1) />
    }
}
