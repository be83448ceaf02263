//! Pickers for related fields: a search box and a list of the objects the server offers
//! (names shown, resource URIs stored). One object for `to_one`, a removable list for `to_many`.

use super::field::WidgetProps;
use super::{INPUT, SMALL_BUTTON};
use crate::api::forms::related_options;
use bff::requests::RelatedOption;
use leptos::prelude::*;
use serde_json::Value;

/// How many options a picker shows.
const OPTIONS: u64 = 20;

/// The options for `field` matching the search text. Loaded in the browser only (an effect),
/// so a page with pickers renders whole on the server; a late answer to an older search is
/// dropped.
fn options(props: &WidgetProps, search: ReadSignal<String>) -> ReadSignal<Vec<RelatedOption>> {
    let (found, set_found) = signal(Vec::new());
    let resource = props.context.resource.get_value();
    let field = props.spec.name.clone();
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let search = search.get();
        let (resource, field) = (resource.clone(), field.clone());
        latest.update_value(|n| *n += 1);
        let this = latest.get_value();
        leptos::task::spawn_local(async move {
            let list = related_options(resource, field, search, OPTIONS)
                .await
                .unwrap_or_default();
            if latest.get_value() == this {
                set_found.set(list);
            }
        });
    });
    found
}

/// The readable name of a URI: from the loaded options, else the URI's last segments.
fn label_of(uri: &str, options: &[RelatedOption]) -> String {
    options
        .iter()
        .find(|o| o.uri == uri)
        .map(|o| o.label.clone())
        .unwrap_or_else(|| {
            let parts: Vec<&str> = uri.trim_end_matches('/').rsplit('/').take(2).collect();
            match parts.as_slice() {
                [id, resource] => format!("{resource} #{id}"),
                _ => uri.to_string(),
            }
        })
}

#[component]
pub fn RelatedOnePicker(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let (search, set_search) = signal(String::new());
    let found = options(&props, search);
    let current = {
        let name = name.clone();
        move || {
            context
                .state
                .with(|s| s.get(&name).and_then(Value::as_str).map(str::to_string))
        }
    };
    let search_id = format!("{}-search", props.id);
    let label = props.spec.label.clone();
    view! {
        <input id=search_id type="search" class=INPUT placeholder="Search…"
            aria-label=format!("Search {label}")
            aria-controls=props.id.clone()
            on:input=move |ev| set_search.set(event_target_value(&ev)) />
        <select id=props.id.clone() name=name.clone() class=INPUT
            aria-describedby=props.described.clone()
            aria-invalid=move || props.invalid.get().to_string()
            on:change={
                let name = name.clone();
                move |ev| {
                    let uri = event_target_value(&ev);
                    context.set(&name, if uri.is_empty() { Value::Null } else { Value::from(uri) });
                }
            }>
            <option value="" selected={
                let current = current.clone();
                move || current().is_none()
            }>"Not set"</option>
            {move || {
                    let list = found.get();
                    let now = current();
                    let missing = now.clone().filter(|uri| !list.iter().any(|o| &o.uri == uri));
                    view! {
                        {missing.map(|uri| view! { <option value=uri.clone() selected=true>{label_of(&uri, &[])}</option> })}
                        {list.into_iter().map(|option| {
                            let selected = now.as_deref() == Some(option.uri.as_str());
                            view! { <option value=option.uri selected=selected>{option.label}</option> }
                        }).collect_view()}
                    }
            }}
        </select>
    }
}

#[component]
pub fn RelatedManyPicker(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = StoredValue::new(props.spec.name.clone());
    let (search, set_search) = signal(String::new());
    let found = options(&props, search);
    let (choice, set_choice) = signal(String::new());
    let current = move || {
        context.state.with(|s| {
            s.get(&name.get_value())
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let set_list = move |list: Vec<String>| {
        context.set(
            &name.get_value(),
            Value::Array(list.into_iter().map(Value::from).collect()),
        );
    };
    let label = props.spec.label.clone();
    let select_id = props.id.clone();
    view! {
        <div role="group" aria-labelledby=format!("{}-label", props.id) aria-describedby=props.described.clone()>
            <ul class="mt-1 space-y-1" data-selected=name.get_value()>
                {move || {
                    let loaded = found.get();
                    current().into_iter().map(|uri| {
                        let text = label_of(&uri, &loaded);
                        let remove = uri.clone();
                        view! {
                            <li class="flex items-center justify-between gap-2 rounded bg-slate-50 px-2 py-1">
                                <span class="break-all">{text.clone()}</span>
                                <button type="button" class=SMALL_BUTTON aria-label=format!("Remove {text}")
                                    on:click=move |_| set_list(current().into_iter().filter(|u| *u != remove).collect())>
                                    "Remove"
                                </button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <div class="mt-2 grid gap-2 sm:grid-cols-[1fr_1fr_auto]">
                <input type="search" class=INPUT placeholder="Search…" aria-label=format!("Search {label}")
                    on:input=move |ev| set_search.set(event_target_value(&ev)) />
                <select id=select_id class=INPUT aria-label=format!("{label} to add")
                    on:change=move |ev| set_choice.set(event_target_value(&ev))>
                    <option value="">"Choose…"</option>
                    {move || found.get().into_iter().map(|option| {
                        view! { <option value=option.uri>{option.label}</option> }
                    }).collect_view()}
                </select>
                <button type="button" class=SMALL_BUTTON
                    on:click=move |_| {
                        let uri = choice.get_untracked();
                        let mut list = current();
                        if !uri.is_empty() && !list.contains(&uri) {
                            list.push(uri);
                            set_list(list);
                        }
                    }>
                    "Add"
                </button>
            </div>
        </div>
    }
}
