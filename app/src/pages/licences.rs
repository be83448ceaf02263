//! Licences: usage against what is licensed (drawn as bars), the installed licences, and
//! adding or returning one (admins only).

use super::charts::UsageBar;
use super::confirm::{ConfirmButton, ConfirmState};
use super::notice::{Empty, ErrorNotice, Loading, action_error};
use super::style::{BUTTON, HEAD_ROW, INPUT, LABEL, ROW, TABLE};
use crate::api::licences::{AddLicence, RemoveLicence, load_licences};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LicencesPage() -> impl IntoView {
    ConfirmState::provide();
    let add = ServerAction::<AddLicence>::new();
    let remove = ServerAction::<RemoveLicence>::new();
    let overview = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| load_licences(),
    );

    view! {
        <Title text="Licences" />
        <h1 class="text-2xl font-semibold">"Licences"</h1>
        <p class="mt-2 text-slate-600">"What the Management Node is licensed for, how much of it is in use now, and the installed licences."</p>
        <Transition fallback=|| view! { <Loading what="licences" /> }>
            {move || overview.get().map(|result| match result {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(overview) => view! {
                    <section aria-labelledby="usage-heading" class="mt-8 max-w-2xl">
                        <h2 id="usage-heading" class="text-lg font-semibold">"In use now"</h2>
                        {if overview.usage.is_empty() {
                            view! { <Empty>"The node reports no licence usage."</Empty> }.into_any()
                        } else {
                            view! {
                                <div id="licence-usage">
                                    {overview.usage.into_iter().map(|u| view! {
                                        <UsageBar label=u.label used=u.used total=u.total />
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }}
                    </section>
                    <section aria-labelledby="licences-heading" class="mt-10">
                        <h2 id="licences-heading" class="text-lg font-semibold">"Installed licences"</h2>
                        {if overview.licences.is_empty() {
                            view! { <Empty>"No licences are installed."</Empty> }.into_any()
                        } else {
                            view! {
                                <table id="licences" class=TABLE>
                                    <thead><tr class=HEAD_ROW>
                                        <th scope="col" class="py-2">"Entitlement key"</th>
                                        <th scope="col">"Licenses"</th>
                                        <th scope="col">"Count"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Valid"</th>
                                        <th scope="col"><span class="sr-only">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {overview.licences.into_iter().map(|licence| {
                                            let id = licence.fulfillment_id.clone();
                                            view! {
                                                <tr class=ROW>
                                                    <td class="py-2 font-mono">{licence.entitlement_id.clone()}</td>
                                                    <td>{licence.features.clone()}</td>
                                                    <td>{licence.concurrent}</td>
                                                    <td>{licence.status.clone()}</td>
                                                    <td>{format!("{} – {}", licence.start_date, licence.expiration_date)}</td>
                                                    <td class="py-2">
                                                        <ConfirmButton label="Remove" target=licence.entitlement_id.clone()
                                                            consequence="The licence is returned and its capacity is gone."
                                                            on_confirm=move |_: ()| { remove.dispatch(RemoveLicence { fulfillment_id: id.clone() }); } />
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    </section>
                }.into_any(),
            })}
        </Transition>
        {action_error(remove)}

        <section aria-labelledby="add-heading" class="mt-10">
            <h2 id="add-heading" class="text-lg font-semibold">"Add a licence"</h2>
            <ActionForm action=add attr:class="mt-2 grid gap-4 sm:grid-cols-3">
                <div class="sm:col-span-2"><label for="entitlement" class=LABEL>"Entitlement key"</label>
                    <input id="entitlement" name="entitlement_id" required placeholder="XXXX-XXXX-XXXX-XXXX" autocomplete="off" class=INPUT /></div>
                <div class="flex items-end">
                    <button type="submit" class=BUTTON disabled=move || add.pending().get()>"Activate"</button>
                </div>
            </ActionForm>
            {move || add.value().get().and_then(Result::ok).map(|_| view! {
                <p role="status" class="mt-2 text-sm text-emerald-700">"Licence activated."</p>
            })}
            {action_error(add)}
        </section>
    }
}
