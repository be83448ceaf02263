//! Licences: usage against what is licensed (drawn as bars), the installed licences, and
//! adding or returning one (admins only), online or offline ([`OfflineLicensing`]).

use super::licence_offline::OfflineLicensing;
use crate::api::licence_offline::{
    CompleteOfflineRequest, RequestOfflineActivation, RequestOfflineReturn, load_licence_requests,
};
use crate::api::licences::{AddLicence, RemoveLicence, load_licences};
use crate::ui::charts::UsageBar;
use crate::ui::{
    Button, Code, ConfirmButton, ConfirmState, DataTable, Empty, ErrorNotice, FormActions, Grid,
    GridWide, Loading, PageHeader, Section, SuccessNotice, TextField, VisuallyHidden, action_error,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn LicencesPage() -> impl IntoView {
    ConfirmState::provide();
    let add = ServerAction::<AddLicence>::new();
    let remove = ServerAction::<RemoveLicence>::new();
    let activate_offline = ServerAction::<RequestOfflineActivation>::new();
    let return_offline = ServerAction::<RequestOfflineReturn>::new();
    let complete_offline = ServerAction::<CompleteOfflineRequest>::new();
    let overview = Resource::new(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                complete_offline.version().get(),
            )
        },
        |_| load_licences(),
    );
    let requests = Resource::new(
        move || {
            (
                activate_offline.version().get(),
                return_offline.version().get(),
                complete_offline.version().get(),
            )
        },
        |_| load_licence_requests(),
    );

    view! {
        <PageHeader title="Licences" intro="What the Management Node is licensed for, how much of it is in use now, and the installed licences." />
        <Transition fallback=|| view! { <Loading what="licences" /> }>
            {move || overview.get().map(|result| match result {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(overview) => view! {
                    <Section heading_id="usage-heading" title="In use now" narrow=true>
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
                    </Section>
                    <Section heading_id="licences-heading" title="Installed licences">
                        {if overview.licences.is_empty() {
                            view! { <Empty>"No licences are installed."</Empty> }.into_any()
                        } else {
                            view! {
                                <DataTable id="licences">
                                    <thead><tr>
                                        <th scope="col">"Entitlement key"</th>
                                        <th scope="col">"Licenses"</th>
                                        <th scope="col">"Count"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Valid"</th>
                                        <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
                                    </tr></thead>
                                    <tbody>
                                        {overview.licences.into_iter().map(|licence| {
                                            let id = licence.fulfillment_id.clone();
                                            let returned = licence.fulfillment_id.clone();
                                            let key = licence.entitlement_id.clone();
                                            view! {
                                                <tr>
                                                    <td><Code>{key}</Code></td>
                                                    <td>{licence.features.clone()}</td>
                                                    <td>{licence.concurrent}</td>
                                                    <td>{licence.status.clone()}</td>
                                                    <td>{format!("{} – {}", licence.start_date, licence.expiration_date)}</td>
                                                    <td>
                                                        <ConfirmButton label="Remove" target=licence.entitlement_id.clone()
                                                            consequence="The licence is returned and its capacity is gone."
                                                            on_confirm=move |_: ()| { remove.dispatch(RemoveLicence { fulfillment_id: id.clone() }); } />
                                                        <ConfirmButton label="Return offline" target=licence.entitlement_id.clone()
                                                            consequence="The node writes a return request document; the licence stays installed until Pexip's response document is uploaded (steps 2 to 4 below)."
                                                            on_confirm=move |_: ()| { return_offline.dispatch(RequestOfflineReturn { fulfillment_id: returned.clone() }); } />
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </DataTable>
                            }.into_any()
                        }}
                    </Section>
                }.into_any(),
            })}
        </Transition>
        {action_error(remove)}
        {action_error(return_offline)}
        {move || return_offline.value().get().and_then(Result::ok).map(|sequence| view! {
            <SuccessNotice>{format!("Return request {sequence} is pending: download its request document (step 2 of Offline activation and return).")}</SuccessNotice>
        })}

        <Section heading_id="add-heading" title="Add a licence">
            <ActionForm action=add>
                <Grid columns=3>
                    <GridWide>
                        <TextField id="entitlement" name="entitlement_id" label="Entitlement key" required=true
                            placeholder="XXXX-XXXX-XXXX-XXXX" autocomplete="off" />
                    </GridWide>
                    <FormActions>
                        <Button submit=true busy=add.pending() busy_label="Activating…">"Activate"</Button>
                    </FormActions>
                </Grid>
            </ActionForm>
            {move || add.value().get().and_then(Result::ok).map(|_| view! {
                <SuccessNotice>"Licence activated."</SuccessNotice>
            })}
            {action_error(add)}
        </Section>

        <OfflineLicensing requests activate=activate_offline complete=complete_offline />
    }
}
