//! Users: portal accounts and tenants, managed by admins.

use super::reload_after::reload_after;
use crate::api::users::{
    CreateAccount, CreateTenant, DeleteAccount, DeleteTenant, EndAccountSessions,
    SetAccountDisabled, list_accounts, list_tenants,
};
use crate::api::{AppError, Deferred};
use crate::ui::{
    Actions, Button, DataTable, ErrorNotice, Grid, GridRow, Loading, PageHeader, Section,
    SelectField, Strong, SubText, Subheading, SuccessNotice, TextField, Variant, VisuallyHidden,
    action_error,
};
use bff::accounts::Account;
use bff::tenants::Tenant;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// How an account signs in, for people.
fn source_label(source: &str) -> String {
    match source {
        bff::accounts::LOCAL_SOURCE => "portal password".into(),
        bff::accounts::DEMO_SOURCE => "demo password".into(),
        "ldap" => "directory (LDAP)".into(),
        other => format!("single sign-on ({other})"),
    }
}

/// The lists the page shows. Made by the route's `data()`, so their requests start on
/// navigation, while the page's code loads; the page's actions reload them (`reload_after`).
#[derive(Clone, Copy)]
pub struct UsersData {
    /// Counts the page's changes to the accounts (each reloads them).
    accounts_changed: RwSignal<u32>,
    /// Counts the page's changes to the tenants.
    tenants_changed: RwSignal<u32>,
    accounts: Resource<Result<Deferred<Vec<Account>>, AppError>>,
    tenants: Resource<Result<Deferred<Vec<Tenant>>, AppError>>,
}

impl UsersData {
    pub fn load() -> Self {
        let accounts_changed = RwSignal::new(0u32);
        let tenants_changed = RwSignal::new(0u32);
        let accounts = Resource::new(move || accounts_changed.get(), |_| list_accounts());
        let tenants = Resource::new(move || tenants_changed.get(), |_| list_tenants());
        Self {
            accounts_changed,
            tenants_changed,
            accounts,
            tenants,
        }
    }
}

#[component]
pub fn UsersPage(data: UsersData) -> impl IntoView {
    let UsersData {
        accounts_changed,
        tenants_changed,
        accounts,
        tenants,
    } = data;
    let create_account = ServerAction::<CreateAccount>::new();
    let set_disabled = ServerAction::<SetAccountDisabled>::new();
    let delete_account = ServerAction::<DeleteAccount>::new();
    let end_sessions = ServerAction::<EndAccountSessions>::new();
    let create_tenant = ServerAction::<CreateTenant>::new();
    let delete_tenant = ServerAction::<DeleteTenant>::new();
    reload_after(
        move || {
            (
                create_account.version().get(),
                set_disabled.version().get(),
                delete_account.version().get(),
            )
        },
        accounts_changed,
    );
    reload_after(
        move || (create_tenant.version().get(), delete_tenant.version().get()),
        tenants_changed,
    );
    let tenant_name = move |id: Option<i64>| {
        let list = tenants
            .get()
            .and_then(|r| r.and_then(Deferred::decode).ok())
            .unwrap_or_default();
        id.and_then(|id| list.into_iter().find(|t| t.id == id))
            .map(|t| t.name)
            .unwrap_or_default()
    };

    view! {
        <PageHeader title="Users" intro="Portal accounts, their roles, and the tenants tenant admins manage." />

        <Section heading_id="accounts-heading" title="Accounts">
            <Transition fallback=|| view! { <Loading what="accounts" /> }>
                {move || accounts.get().map(|result| match result.and_then(Deferred::decode) {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) => view! {
                        <DataTable id="accounts">
                            <thead><tr>
                                <th scope="col">"Username"</th>
                                <th scope="col">"Signs in with"</th>
                                <th scope="col">"Role"</th>
                                <th scope="col">"Tenant"</th>
                                <th scope="col">"Email"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|account| {
                                    let id = account.id;
                                    let disabled = account.disabled;
                                    let source = source_label(&account.source);
                                    view! {
                                        <tr>
                                            <td>
                                                <Strong>{account.username.clone()}</Strong>
                                                {account.display_name.clone().map(|name| view! { <SubText>{name}</SubText> })}
                                            </td>
                                            <td>{source}</td>
                                            <td>{account.role.to_string()}</td>
                                            <td>{move || tenant_name(account.tenant_id)}</td>
                                            <td>{account.email.clone().unwrap_or_default()}</td>
                                            <td>{if disabled { "disabled" } else { "active" }}</td>
                                            <td>
                                                <Actions>
                                                    <Button variant=Variant::Secondary
                                                        on_click=move |()| { set_disabled.dispatch(SetAccountDisabled { id, disabled: !disabled }); }>
                                                        {if disabled { "Enable" } else { "Disable" }}
                                                    </Button>
                                                    <Button variant=Variant::Secondary
                                                        on_click=move |()| { end_sessions.dispatch(EndAccountSessions { id }); }>
                                                        "End sessions"
                                                    </Button>
                                                    <Button variant=Variant::Secondary
                                                        on_click=move |()| { delete_account.dispatch(DeleteAccount { id }); }>
                                                        "Delete"
                                                    </Button>
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
            {action_error(set_disabled)}
            {action_error(end_sessions)}
            {move || end_sessions.value().get().and_then(Result::ok).map(|()| view! {
                <SuccessNotice>"Sessions ended: that person must sign in again."</SuccessNotice>
            })}
            {action_error(delete_account)}

            <Subheading>"New account"</Subheading>
            <ActionForm action=create_account>
                <Grid columns=5>
                    <TextField id="new-username" name="username" label="Username" required=true autocomplete="off" />
                    <TextField id="new-password" name="password" label="Password" input_type="password" required=true
                        minlength=12 autocomplete="new-password" />
                    <SelectField id="new-role" name="role" label="Role">
                        <option value="user">"user (own rooms)"</option>
                        <option value="tenant_admin">"tenant admin"</option>
                        <option value="helpdesk">"helpdesk"</option>
                        <option value="admin">"admin"</option>
                    </SelectField>
                    <SelectField id="new-tenant" name="tenant_id" label="Tenant (tenant admins)">
                        <option value="">"none"</option>
                        <Transition>
                            {move || tenants.get().and_then(|r| r.and_then(Deferred::decode).ok()).unwrap_or_default().into_iter().map(|tenant| {
                                view! { <option value=tenant.id.to_string()>{tenant.name}</option> }
                            }).collect_view()}
                        </Transition>
                    </SelectField>
                    <TextField id="new-email" name="email" label="Email (end users)" input_type="email" autocomplete="off" />
                    <GridRow>
                        <Button submit=true busy=create_account.pending() busy_label="Creating…">"Create account"</Button>
                        {action_error(create_account)}
                    </GridRow>
                </Grid>
            </ActionForm>
        </Section>

        <Section heading_id="tenants-heading" title="Tenants">
            <Transition fallback=|| view! { <Loading what="tenants" /> }>
                {move || tenants.get().map(|result| match result.and_then(Deferred::decode) {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) => view! {
                        <DataTable id="tenants">
                            <thead><tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Tag"</th>
                                <th scope="col">"Alias domains"</th>
                                <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|tenant| {
                                    let id = tenant.id;
                                    view! {
                                        <tr>
                                            <td><Strong>{tenant.name}</Strong></td>
                                            <td>{tenant.tag}</td>
                                            <td>{tenant.alias_domains.join(", ")}</td>
                                            <td>
                                                <Button variant=Variant::Secondary
                                                    on_click=move |()| { delete_tenant.dispatch(DeleteTenant { id }); }>
                                                    "Delete"
                                                </Button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </DataTable>
                    }.into_any(),
                })}
            </Transition>
            {action_error(delete_tenant)}

            <Subheading>"New tenant"</Subheading>
            <ActionForm action=create_tenant>
                <Grid columns=3>
                    <TextField id="tenant-name" name="name" label="Name" required=true />
                    <TextField id="tenant-tag" name="tag" label="Tag (marks the tenant's services)" required=true />
                    <TextField id="tenant-domains" name="alias_domains" label="Alias domains (comma-separated)" />
                    <GridRow>
                        <Button submit=true busy=create_tenant.pending() busy_label="Creating…">"Create tenant"</Button>
                        {action_error(create_tenant)}
                    </GridRow>
                </Grid>
            </ActionForm>
        </Section>
    }
}
