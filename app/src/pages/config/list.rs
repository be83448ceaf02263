//! `/config/<resource>?page=<1-based>&size=<n>`: a page of a resource's objects.

use super::resource_title;
use crate::api::config::config_list;
use crate::api::forms::form_schema;
use crate::forms::labels::field_label;
use crate::forms::value::summary;
use crate::pages::NotFound;
use crate::pages::rooms::query::{DEFAULT_SIZE, SIZES, with_query};
use crate::ui::{
    Breadcrumb, Code, DataTable, Empty, Hint, LinkButton, Loaded, PageHeader, Pager, TextLink,
};
use leptos::prelude::*;
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
        .map(|uri| pexip::uri_id(uri).to_string())
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
    let data = Signal::derive(move || match (schema.get()?, objects.get()?) {
        (Err(error), _) | (_, Err(error)) => Some(Err(error)),
        (Ok(schema), Ok(list)) => Some(Ok((schema, list))),
    });
    view! {
        <Loaded what="the objects" data not_found=|| view! { <NotFound /> }
            view=move |(schema, list)| {
                let name = resource();
                let title = resource_title(&name);
                let cols = columns(&schema);
                let can_create = schema.allows_list(&HttpMethod::Post);
                let total = list.meta.total_count;
                let (page, size) = (page(), size());
                let href = {
                    let name = name.clone();
                    move |(p, s): (u64, u64)| {
                        let mut pairs = Vec::new();
                        if p != 1 { pairs.push(("page", p.to_string())); }
                        if s != DEFAULT_SIZE { pairs.push(("size", s.to_string())); }
                        with_query(&format!("/config/{name}"), &pairs)
                    }
                };
                let new_href = format!("/config/{name}/new");
                view! {
                    <Breadcrumb><TextLink href="/config">"Configuration"</TextLink></Breadcrumb>
                    <PageHeader title detail=name.clone()>
                        {can_create.then(|| view! { <LinkButton href=new_href>"New"</LinkButton> })}
                    </PageHeader>
                    <Hint id="config-count">{format!("{total} objects")}</Hint>
                    {if list.objects.is_empty() {
                        view! { <Empty>"None."</Empty> }.into_any()
                    } else {
                        view! {
                            <DataTable id="config-objects">
                                <thead><tr>
                                    <th scope="col">"ID"</th>
                                    {cols.iter().map(|c| view! { <th scope="col">{field_label(c)}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {list.objects.into_iter().map(|object| {
                                        let key = object_key(&object).unwrap_or_default();
                                        view! {
                                            <tr>
                                                <td><TextLink href=format!("/config/{name}/{key}")>{key.clone()}</TextLink></td>
                                                {cols.iter().map(|c| {
                                                    let text = object.get(c).map(summary).unwrap_or_default();
                                                    view! { <td><Code>{text}</Code></td> }
                                                }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </DataTable>
                        }.into_any()
                    }}
                    <Pager page size total sizes=&SIZES href=Callback::new(href) />
                }.into_any()
            } />
    }
}
