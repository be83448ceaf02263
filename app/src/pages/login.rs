//! The sign-in page. Works without JavaScript (a plain form POST to the server function) and
//! with it (the same form, submitted by the wasm without a page load).

use crate::api::auth::Login;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let (show_password, set_show_password) = signal(false);
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.to_string())
    };

    view! {
        <Title text="Sign in" />
        <main id="main" class="flex min-h-screen items-center justify-center px-4">
            <ActionForm action=login attr:class="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <h1 class="text-xl font-semibold">"Sign in to Pexip Portal"</h1>
                <Show when=move || error().is_some()>
                    <p id="login-error" role="alert" class="mt-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                        {error}
                    </p>
                </Show>
                <input type="hidden" name="next" value=next />
                <label for="username" class="mt-6 block text-sm font-medium">"Username"</label>
                <input id="username" name="username" type="text" autocomplete="username" required
                    class="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
                <label for="password" class="mt-4 block text-sm font-medium">"Password"</label>
                <input id="password" name="password" required autocomplete="current-password"
                    type=move || if show_password.get() { "text" } else { "password" }
                    class="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
                <label class="mt-2 flex items-center gap-2 text-sm text-slate-600">
                    <input id="show-password" type="checkbox"
                        prop:checked=show_password
                        on:change=move |ev| set_show_password.set(event_target_checked(&ev)) />
                    "Show password"
                </label>
                <button type="submit" disabled=move || login.pending().get()
                    class="mt-6 w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </main>
    }
}
