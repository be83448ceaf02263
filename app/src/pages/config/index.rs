//! `/config`: the resources the node serves, in its order.

use super::resource_title;
use crate::api::config::config_resources;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ConfigIndexPage() -> impl IntoView {
    let resources = Resource::new(|| (), |_| config_resources());
    let (filter, set_filter) = signal(String::new());
    view! {
        <Title text="Configuration" />
        <h1 class="text-2xl font-semibold">"Configuration"</h1>
        <p class="mt-2 text-slate-600">"Every configuration resource the Management Node serves. Forms are generated from the node's own schemas."</p>
        <div class="mt-6 max-w-sm">
            <label for="config-filter" class="text-sm font-medium">"Filter resources"</label>
            <input id="config-filter" type="search" class="mt-1 w-full rounded border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500"
                on:input=move |ev| set_filter.set(event_target_value(&ev).to_lowercase()) />
        </div>
        <Transition fallback=|| view! { <p class="mt-6" aria-live="polite">"Loading resources…"</p> }>
            {move || resources.get().map(|result| match result {
                Err(error) => view! { <p role="alert" class="mt-6 text-red-700">{error.to_string()}</p> }.into_any(),
                Ok(names) => {
                    let count = names.len();
                    view! {
                        <p class="mt-6 text-sm text-slate-600">{format!("{count} resources")}</p>
                        <ul id="config-resources" class="mt-2 grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
                            {names.into_iter().map(|name| {
                                let title = resource_title(&name);
                                let haystack = format!("{name} {}", title.to_lowercase());
                                view! {
                                    <li hidden=move || !haystack.contains(&filter.get())>
                                        <A href=format!("/config/{name}") attr:class="block rounded px-2 py-1 text-indigo-700 hover:bg-indigo-50 focus:outline-none focus:ring-2 focus:ring-indigo-500">
                                            {title}<span class="ml-2 text-xs text-slate-600">{name.clone()}</span>
                                        </A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
