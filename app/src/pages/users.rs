//! Users: portal accounts and tenants, managed by admins.

use crate::api::users::{
    CreateAccount, CreateTenant, DeleteAccount, DeleteTenant, SetAccountDisabled, list_accounts,
    list_tenants,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

const INPUT: &str = "mt-1 w-full rounded border border-slate-300 px-3 py-2";
const BUTTON: &str = "rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60";
const SMALL_BUTTON: &str = "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100";

/// Shows the error of the last submission of an action, if any.
fn action_error<I, O>(action: ServerAction<I>) -> impl IntoView
where
    I: leptos::server_fn::ServerFn<Output = O, Error = crate::api::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    O: Clone + Send + Sync + 'static,
{
    move || {
        action.value().get().and_then(Result::err).map(|error| {
            view! { <p role="alert" class="mt-2 text-sm text-red-700">{error.to_string()}</p> }
        })
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let create_account = ServerAction::<CreateAccount>::new();
    let set_disabled = ServerAction::<SetAccountDisabled>::new();
    let delete_account = ServerAction::<DeleteAccount>::new();
    let create_tenant = ServerAction::<CreateTenant>::new();
    let delete_tenant = ServerAction::<DeleteTenant>::new();

    let accounts = Resource::new(
        move || {
            (
                create_account.version().get(),
                set_disabled.version().get(),
                delete_account.version().get(),
            )
        },
        |_| list_accounts(),
    );
    let tenants = Resource::new(
        move || (create_tenant.version().get(), delete_tenant.version().get()),
        |_| list_tenants(),
    );
    let tenant_name = move |id: Option<i64>| {
        let list = tenants.get().and_then(Result::ok).unwrap_or_default();
        id.and_then(|id| list.into_iter().find(|t| t.id == id))
            .map(|t| t.name)
            .unwrap_or_default()
    };

    view! {
        <Title text="Users" />
        <h1 class="text-2xl font-semibold">"Users"</h1>
        <p class="mt-2 text-slate-600">"Portal accounts, their roles, and the tenants tenant admins manage."</p>

        <section aria-labelledby="accounts-heading" class="mt-8">
            <h2 id="accounts-heading" class="text-lg font-semibold">"Accounts"</h2>
            <Transition fallback=|| view! { <p>"Loading accounts…"</p> }>
                {move || accounts.get().map(|result| match result {
                    Err(error) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        <table id="accounts" class="mt-3 w-full text-left text-sm">
                            <thead><tr class="border-b border-slate-200">
                                <th scope="col" class="py-2">"Username"</th>
                                <th scope="col">"Role"</th>
                                <th scope="col">"Tenant"</th>
                                <th scope="col">"Email"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col"><span class="sr-only">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|account| {
                                    let id = account.id;
                                    let disabled = account.disabled;
                                    view! {
                                        <tr class="border-b border-slate-100">
                                            <td class="py-2 font-medium">{account.username.clone()}</td>
                                            <td>{account.role.to_string()}</td>
                                            <td>{move || tenant_name(account.tenant_id)}</td>
                                            <td>{account.email.clone().unwrap_or_default()}</td>
                                            <td>{if disabled { "disabled" } else { "active" }}</td>
                                            <td class="flex gap-2 py-2">
                                                <button type="button" class=SMALL_BUTTON
                                                    on:click=move |_| { set_disabled.dispatch(SetAccountDisabled { id, disabled: !disabled }); }>
                                                    {if disabled { "Enable" } else { "Disable" }}
                                                </button>
                                                <button type="button" class=SMALL_BUTTON
                                                    on:click=move |_| { delete_account.dispatch(DeleteAccount { id }); }>
                                                    "Delete"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            {action_error(set_disabled)}
            {action_error(delete_account)}

            <h3 class="mt-6 font-medium">"New account"</h3>
            <ActionForm action=create_account attr:class="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
                <div><label for="new-username" class="text-sm font-medium">"Username"</label>
                    <input id="new-username" name="username" required autocomplete="off" class=INPUT /></div>
                <div><label for="new-password" class="text-sm font-medium">"Password"</label>
                    <input id="new-password" name="password" type="password" required minlength="12" autocomplete="new-password" class=INPUT /></div>
                <div><label for="new-role" class="text-sm font-medium">"Role"</label>
                    <select id="new-role" name="role" class=INPUT>
                        <option value="user">"user (own rooms)"</option>
                        <option value="tenant_admin">"tenant admin"</option>
                        <option value="helpdesk">"helpdesk"</option>
                        <option value="admin">"admin"</option>
                    </select></div>
                <div><label for="new-tenant" class="text-sm font-medium">"Tenant (tenant admins)"</label>
                    <select id="new-tenant" name="tenant_id" class=INPUT>
                        <option value="">"none"</option>
                        <Transition>
                            {move || tenants.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|tenant| {
                                view! { <option value=tenant.id.to_string()>{tenant.name}</option> }
                            }).collect_view()}
                        </Transition>
                    </select></div>
                <div><label for="new-email" class="text-sm font-medium">"Email (end users)"</label>
                    <input id="new-email" name="email" type="email" autocomplete="off" class=INPUT /></div>
                <div class="sm:col-span-2 lg:col-span-5">
                    <button type="submit" class=BUTTON disabled=move || create_account.pending().get()>"Create account"</button>
                    {action_error(create_account)}
                </div>
            </ActionForm>
        </section>

        <section aria-labelledby="tenants-heading" class="mt-10">
            <h2 id="tenants-heading" class="text-lg font-semibold">"Tenants"</h2>
            <Transition fallback=|| view! { <p>"Loading tenants…"</p> }>
                {move || tenants.get().map(|result| match result {
                    Err(error) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        <table id="tenants" class="mt-3 w-full text-left text-sm">
                            <thead><tr class="border-b border-slate-200">
                                <th scope="col" class="py-2">"Name"</th>
                                <th scope="col">"Tag"</th>
                                <th scope="col">"Alias domains"</th>
                                <th scope="col"><span class="sr-only">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|tenant| {
                                    let id = tenant.id;
                                    view! {
                                        <tr class="border-b border-slate-100">
                                            <td class="py-2 font-medium">{tenant.name}</td>
                                            <td>{tenant.tag}</td>
                                            <td>{tenant.alias_domains.join(", ")}</td>
                                            <td class="py-2">
                                                <button type="button" class=SMALL_BUTTON
                                                    on:click=move |_| { delete_tenant.dispatch(DeleteTenant { id }); }>
                                                    "Delete"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            {action_error(delete_tenant)}

            <h3 class="mt-6 font-medium">"New tenant"</h3>
            <ActionForm action=create_tenant attr:class="mt-2 grid gap-4 sm:grid-cols-3">
                <div><label for="tenant-name" class="text-sm font-medium">"Name"</label>
                    <input id="tenant-name" name="name" required class=INPUT /></div>
                <div><label for="tenant-tag" class="text-sm font-medium">"Tag (marks the tenant's services)"</label>
                    <input id="tenant-tag" name="tag" required class=INPUT /></div>
                <div><label for="tenant-domains" class="text-sm font-medium">"Alias domains (comma-separated)"</label>
                    <input id="tenant-domains" name="alias_domains" class=INPUT /></div>
                <div class="sm:col-span-3">
                    <button type="submit" class=BUTTON disabled=move || create_tenant.pending().get()>"Create tenant"</button>
                    {action_error(create_tenant)}
                </div>
            </ActionForm>
        </section>
    }
}
