//! The sign-in page. Works without JavaScript (a plain form POST to the server function) and
//! with it (the same form, submitted by the wasm without a page load). Offers the single
//! sign-on providers as links, names the directory when usernames are also checked there, and
//! in demo mode lists the sample people.

use crate::api::auth::{DemoSignIn, Login, SignInChoices, sign_in_options, sso_error_message};
use crate::pages::rooms::query::encode;
use crate::pages::style::{BADGE, SMALL_BUTTON};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FIELD: &str = "mt-1 w-full rounded border border-slate-300 px-3 py-2";
const PRIMARY: &str = "mt-6 w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60";
const SSO_LINK: &str = "block w-full rounded border border-slate-300 px-4 py-2 text-center font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-500";

#[component]
pub fn LoginPage() -> impl IntoView {
    let (show_password, set_show_password) = signal(false);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
            .or_else(|| {
                query
                    .read()
                    .get("sso_error")
                    .map(|code| sso_error_message(&code).to_string())
            })
    };
    let choices = Resource::new(|| (), |_| sign_in_options());

    view! {
        <Title text="Sign in" />
        <main id="main" class="flex min-h-screen flex-col items-center justify-center gap-6 px-4 py-8">
            <div class="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <ActionForm action=login>
                    <h1 class="text-xl font-semibold">"Sign in to Pexip Portal"</h1>
                    <Show when=move || error().is_some()>
                        <p id="login-error" role="alert" class="mt-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                            {error}
                        </p>
                    </Show>
                    <input type="hidden" name="next" value=next />
                    <label for="username" class="mt-6 block text-sm font-medium">"Username"</label>
                    <input id="username" name="username" type="text" autocomplete="username" required
                        bind:value=username class=FIELD aria-describedby="directory-hint" />
                    <Suspense>
                        {move || choices.get().and_then(Result::ok).and_then(|c| c.directory).map(|name| view! {
                            <p id="directory-hint" class="mt-1 text-sm text-slate-600">
                                {format!("Your {name} username, or a portal account.")}
                            </p>
                        })}
                    </Suspense>
                    <label for="password" class="mt-4 block text-sm font-medium">"Password"</label>
                    <input id="password" name="password" required autocomplete="current-password"
                        bind:value=password
                        type=move || if show_password.get() { "text" } else { "password" }
                        class=FIELD />
                    <label class="mt-2 flex items-center gap-2 text-sm text-slate-600">
                        <input id="show-password" type="checkbox"
                            prop:checked=show_password
                            on:change=move |ev| set_show_password.set(event_target_checked(&ev)) />
                        "Show password"
                    </label>
                    <button type="submit" disabled=move || login.pending().get() class=PRIMARY>
                        {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <Suspense>
                    {move || choices.get().and_then(Result::ok).map(|c| view! {
                        <SingleSignOn choices=c next=Signal::derive(next) />
                    })}
                </Suspense>
            </div>
            <Suspense>
                {move || choices.get().and_then(Result::ok).filter(|c| !c.demo_people.is_empty()).map(|c| view! {
                    <DemoPeople people=c.demo_people password=c.demo_password.unwrap_or_default()
                        username password_field=password />
                })}
            </Suspense>
        </main>
    }
}

/// "Sign in with <provider>" links (full page loads: the provider is another site).
#[component]
fn SingleSignOn(choices: SignInChoices, next: Signal<String>) -> impl IntoView {
    if choices.providers.is_empty() {
        return None;
    }
    Some(view! {
        <div class="mt-6 border-t border-slate-200 pt-6">
            <p class="text-center text-sm text-slate-600">"Or use your organisation's account"</p>
            <ul class="mt-3 space-y-2">
                {choices.providers.into_iter().map(|provider| {
                    let start = format!("/auth/oidc/{}/start", provider.id);
                    let href = move || format!("{start}?next={}", encode(&next.get()));
                    view! {
                        <li><a class=SSO_LINK rel="external" href=href data-provider=provider.id.clone()>
                            {format!("Sign in with {}", provider.name)}
                        </a></li>
                    }
                }).collect_view()}
            </ul>
        </div>
    })
}

/// Demo mode: the sample people, one of each role, with a button that fills in the form.
#[component]
fn DemoPeople(
    people: Vec<DemoSignIn>,
    password: String,
    username: RwSignal<String>,
    password_field: RwSignal<String>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="demo-people-heading" class="w-full max-w-sm rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
            <h2 id="demo-people-heading" class="font-semibold">"Demo people"</h2>
            <p class="mt-1 text-slate-700">
                "This portal runs against the built-in simulator. Try any role: every demo person's password is "
                <code class="rounded bg-white px-1">{password.clone()}</code>"."
            </p>
            <ul id="demo-people" class="mt-3 space-y-2">
                {people.into_iter().map(|person| {
                    let name = person.username.clone();
                    let secret = password.clone();
                    view! {
                        <li class="flex items-start justify-between gap-2">
                            <span class="min-w-0">
                                <span class="font-medium">{person.username.clone()}</span>
                                <span class=BADGE>{person.role.to_string()}</span>
                                <span class="block text-slate-700">{person.description}</span>
                            </span>
                            <button type="button" class=SMALL_BUTTON
                                on:click=move |_| {
                                    username.set(name.clone());
                                    password_field.set(secret.clone());
                                }>
                                "Use"<span class="sr-only">{format!(" {}", person.username)}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
