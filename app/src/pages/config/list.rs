//! `/config/<resource>?page=<1-based>&size=<n>`: a page of a resource's objects.

use super::resource_title;
use crate::api::AppError;
use crate::api::config::config_list;
use crate::api::forms::form_schema;
use crate::forms::labels::field_label;
use crate::forms::value::summary;
use crate::pages::NotFound;
use crate::pages::rooms::query::{DEFAULT_SIZE, SIZES, with_query};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use pexip::{HttpMethod, Schema};
use serde_json::Value;

/// Fields that name an object, shown first.
const NAMING: [&str; 6] = [
    "name", "alias", "hostname", "address", "username", "filename",
];

/// The columns of a list: a naming field, then up to four short scalar fields.
pub fn columns(schema: &Schema) -> Vec<String> {
    let mut columns: Vec<String> = NAMING
        .iter()
        .filter(|n| schema.field(n).is_some())
        .take(1)
        .map(|n| n.to_string())
        .collect();
    for (name, field) in &schema.fields {
        if columns.len() >= 5 {
            break;
        }
        let scalar = matches!(
            field.field_type,
            pexip::FieldType::String | pexip::FieldType::Integer | pexip::FieldType::Boolean
        );
        let long = field.limits().max_length.is_some_and(|m| m > 250);
        if scalar && !long && name != "resource_uri" && name != "id" && !columns.contains(name) {
            columns.push(name.clone());
        }
    }
    columns
}

/// The id segment of an object's URI (`…/system_location/3/` → `3`).
pub fn object_key(object: &Value) -> Option<String> {
    object
        .get("resource_uri")
        .and_then(Value::as_str)
        .and_then(|uri| uri.trim_end_matches('/').rsplit('/').next())
        .map(str::to_string)
        .or_else(|| {
            object
                .get("id")
                .map(|id| id.to_string().trim_matches('"').to_string())
        })
}

#[component]
pub fn ConfigListPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let resource = move || params.read().get("resource").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    };
    let size = move || {
        query
            .read()
            .get("size")
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|s| SIZES.contains(s))
            .unwrap_or(DEFAULT_SIZE)
    };
    let schema = Resource::new(resource, form_schema);
    let objects = Resource::new(
        move || (resource(), page(), size()),
        |(resource, page, size)| config_list(resource, size, (page - 1) * size),
    );
    view! {
        <Transition fallback=|| view! { <p aria-live="polite">"Loading…"</p> }>
            {move || {
                let name = resource();
                let title = resource_title(&name);
                match (schema.get(), objects.get()) {
                    (Some(Err(AppError::NotFound)), _) | (_, Some(Err(AppError::NotFound))) => view! { <NotFound /> }.into_any(),
                    (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                    (Some(Ok(schema)), Some(Ok(list))) => {
                        let cols = columns(&schema);
                        let can_create = schema.allows_list(&HttpMethod::Post);
                        let total = list.meta.total_count;
                        let (page, size) = (page(), size());
                        let pages = total.div_ceil(size).max(1);
                        let href = {
                            let name = name.clone();
                            move |p: u64| {
                                let mut pairs = Vec::new();
                                if p != 1 { pairs.push(("page", p.to_string())); }
                                if size != DEFAULT_SIZE { pairs.push(("size", size.to_string())); }
                                with_query(&format!("/config/{name}"), &pairs)
                            }
                        };
                        view! {
                            <Title text=title.clone() />
                            <nav aria-label="Breadcrumb" class="text-sm"><A href="/config" attr:class="text-indigo-700 hover:underline">"Configuration"</A></nav>
                            <div class="mt-2 flex flex-wrap items-center justify-between gap-4">
                                <h1 class="text-2xl font-semibold">{title}<span class="ml-2 text-sm font-normal text-slate-600">{name.clone()}</span></h1>
                                {can_create.then(|| view! {
                                    <A href=format!("/config/{name}/new") attr:class="rounded border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50">"New"</A>
                                })}
                            </div>
                            <p class="mt-4 text-sm text-slate-600" id="config-count">{format!("{total} objects")}</p>
                            {if list.objects.is_empty() {
                                view! { <p class="mt-2 text-slate-600">"None."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="mt-2 overflow-x-auto">
                                    <table id="config-objects" class="w-full text-left text-sm">
                                        <thead><tr class="border-b border-slate-200">
                                            <th scope="col" class="py-2 pr-3">"ID"</th>
                                            {cols.iter().map(|c| view! { <th scope="col" class="pr-3">{field_label(c)}</th> }).collect_view()}
                                        </tr></thead>
                                        <tbody>
                                            {list.objects.into_iter().map(|object| {
                                                let key = object_key(&object).unwrap_or_default();
                                                view! {
                                                    <tr class="border-b border-slate-100">
                                                        <td class="py-2 pr-3"><A href=format!("/config/{name}/{key}") attr:class="text-indigo-700 hover:underline">{key.clone()}</A></td>
                                                        {cols.iter().map(|c| view! { <td class="pr-3 break-all">{object.get(c).map(summary).unwrap_or_default()}</td> }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                }.into_any()
                            }}
                            <nav aria-label="Pages" class="mt-4 flex items-center gap-4 text-sm">
                                {(page > 1).then(|| view! { <A href=href(page - 1) attr:rel="prev" attr:class="text-indigo-700 hover:underline">"← Previous"</A> })}
                                <span>{format!("Page {page} of {pages}")}</span>
                                {(page < pages).then(|| view! { <A href=href(page + 1) attr:rel="next" attr:class="text-indigo-700 hover:underline">"Next →"</A> })}
                            </nav>
                        }.into_any()
                    }
                    _ => ().into_any(),
                }
            }}
        </Transition>
    }
}
