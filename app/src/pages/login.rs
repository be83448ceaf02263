//! The sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let (show_password, set_show_password) = signal(false);
    view! {
        <Title text="Sign in" />
        <main id="main" class="flex min-h-screen items-center justify-center px-4">
            <form method="post" action="/login" class="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <h1 class="text-xl font-semibold">"Sign in to Pexip Portal"</h1>
                <label for="username" class="mt-6 block text-sm font-medium">"Username"</label>
                <input id="username" name="username" type="text" autocomplete="username" required
                    class="mt-1 w-full rounded border border-slate-300 px-3 py-2 focus:outline-2 focus:outline-indigo-600" />
                <label for="password" class="mt-4 block text-sm font-medium">"Password"</label>
                <input id="password" name="password" required autocomplete="current-password"
                    type=move || if show_password.get() { "text" } else { "password" }
                    class="mt-1 w-full rounded border border-slate-300 px-3 py-2 focus:outline-2 focus:outline-indigo-600" />
                <label class="mt-2 flex items-center gap-2 text-sm text-slate-600">
                    <input id="show-password" type="checkbox"
                        prop:checked=show_password
                        on:change=move |ev| set_show_password.set(event_target_checked(&ev)) />
                    "Show password"
                </label>
                <button type="submit" class="mt-6 w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 focus:outline-2 focus:outline-offset-2 focus:outline-indigo-600">
                    "Sign in"
                </button>
            </form>
        </main>
    }
}
