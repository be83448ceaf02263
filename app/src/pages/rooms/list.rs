//! The meeting rooms list: server-side paging, search by name and alias, filter by service type,
//! sort by any field the schema allows, total count; links to create each service type.

use super::cards::RoomCardsList;
use super::query::{ListParams, SIZES, with_query};
use crate::api::auth::CurrentUser;
use crate::api::forms::form_schema;
use crate::api::rooms::list_rooms;
use crate::forms::labels::{choice_label, field_label};
use crate::forms::layout;
use crate::forms::value::summary;
use crate::layout::{CurrentUserResource, PendingNote};
use crate::pages::RoomsCsvLinks;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use pexip::Schema;
use serde_json::Value;

const INPUT: &str = "mt-1 w-full rounded border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500";
const BUTTON: &str = "rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-500 focus:ring-offset-2";
const LINK_BUTTON: &str = "inline-block rounded border border-indigo-600 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus:outline-none focus:ring-2 focus:ring-indigo-500";

/// The service types a schema offers: (value, readable label).
pub fn service_types(schema: &Schema) -> Vec<(String, String)> {
    schema
        .field("service_type")
        .and_then(|f| f.valid_choices.as_ref().map(|c| (f, c)))
        .map(|(field, choices)| {
            choices
                .iter()
                .filter_map(|c| {
                    c.as_str().map(|value| {
                        (
                            value.to_string(),
                            choice_label("service_type", c, &field.help_text),
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The page title: end users see their own rooms.
pub fn rooms_title(user: Option<&CurrentUser>) -> &'static str {
    match user.map(|u| u.role) {
        Some(bff::Role::User) => "My meeting rooms",
        _ => "Meeting rooms",
    }
}

/// `/rooms`: end users get their rooms as cards, everyone else the searchable table.
#[component]
pub fn RoomsPage() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                // Nothing until the person is known: each branch makes its own resources, and
                // the server's render must make the same ones, in the same order, as the
                // browser's hydration (which knows the person at once).
                let me = user.get()?.ok().flatten();
                Some(if me.as_ref().is_some_and(|u| u.role == bff::Role::User) {
                    let title = rooms_title(me.as_ref());
                    view! {
                        <Title text=title />
                        <h1 class="text-2xl font-semibold">{title}</h1>
                        <RoomCardsList />
                    }
                    .into_any()
                } else {
                    view! { <RoomsTablePage /> }.into_any()
                })
            }}
        </Transition>
    }
}

#[component]
fn RoomsTablePage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| ListParams::from_query(|key| query.read().get(key)));
    let user = expect_context::<CurrentUserResource>();
    let user = move || user.get_untracked().and_then(Result::ok).flatten();
    let rooms = Resource::new(move || params.get(), |p| list_rooms(p.room_query()));
    let schema = Resource::new(|| (), |_| form_schema("conference".to_string()));
    let types = move || {
        schema
            .get()
            .and_then(Result::ok)
            .map(|s| service_types(&s))
            .unwrap_or_default()
    };
    let orderings = move || {
        schema
            .get()
            .and_then(Result::ok)
            .map(|s| s.ordering.clone())
            .unwrap_or_default()
    };
    let layout = layout::for_resource("conference");
    let order_label = move |field: &str| {
        layout
            .label(field)
            .map_or_else(|| field_label(field), str::to_string)
    };
    let type_label = move |value: &str| {
        types()
            .into_iter()
            .find(|(v, _)| v == value)
            .map_or_else(|| value.to_string(), |(_, label)| label)
    };

    // The heading goes out at once (the person is known from the session); the rest needs the
    // schema and the list, asked for together, and follows when both are in.
    let me = user();
    let title = rooms_title(me.as_ref());
    let can_create = me.as_ref().is_some_and(|u| u.can("room_create"));
    let is_user = me.as_ref().is_some_and(|u| u.role == bff::Role::User);
    view! {
        <Title text=title />
        <div>
            <div class="flex flex-wrap items-center justify-between gap-4">
                <h1 class="text-2xl font-semibold">{title}</h1>
                {(!is_user).then(|| view! { <RoomsCsvLinks /> })}
            </div>
            <PendingNote what="the rooms" />
            <Transition fallback=|| view! { <p class="mt-6" aria-live="polite">"Loading rooms…"</p> }>
                {move || view! {
                    {can_create.then(|| view! {
                        <div class="mt-4 flex flex-wrap gap-2" aria-label="Create">
                            {types().into_iter().map(|(value, label)| view! {
                                <A href=with_query("/rooms/new", &[("type", value)]) attr:class=LINK_BUTTON>{format!("New {label}")}</A>
                            }).collect_view()}
                        </div>
                    })}
                    <Form method="GET" action="" attr:class="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-6" attr:aria-label="Search rooms">
                        <div class="lg:col-span-2"><label for="rooms-name" class="text-sm font-medium">"Name contains"</label>
                            <input id="rooms-name" name="name" type="search"
                                value=move || params.get().name prop:value=move || params.get().name class=INPUT /></div>
                        <div class="lg:col-span-2"><label for="rooms-alias" class="text-sm font-medium">"Alias contains"</label>
                            <input id="rooms-alias" name="alias" type="search"
                                value=move || params.get().alias prop:value=move || params.get().alias class=INPUT /></div>
                        {(!is_user).then(|| view! {
                            <div><label for="rooms-type" class="text-sm font-medium">"Type"</label>
                                <select id="rooms-type" name="type" class=INPUT>
                                    <option value="">"All types"</option>
                                    {types().into_iter().map(|(value, label)| {
                                        let selected = params.get_untracked().service_type == value;
                                        view! { <option value=value selected=selected>{label}</option> }
                                    }).collect_view()}
                                </select></div>
                        })}
                        <div><label for="rooms-order" class="text-sm font-medium">"Sort by"</label>
                            <select id="rooms-order" name="order" class=INPUT>
                                <option value="">"Default"</option>
                                {orderings().into_iter().flat_map(|field| {
                                    let current = params.get_untracked().order;
                                    let label = order_label(&field);
                                    [
                                        (field.clone(), format!("{label} (A→Z, low→high)")),
                                        (format!("-{field}"), format!("{label} (Z→A, high→low)")),
                                    ].into_iter().map(move |(value, text)| {
                                        let selected = current == value;
                                        view! { <option value=value selected=selected>{text}</option> }
                                    })
                                }).collect_view()}
                            </select></div>
                        <div><label for="rooms-size" class="text-sm font-medium">"Per page"</label>
                            <select id="rooms-size" name="size" class=INPUT>
                                {SIZES.into_iter().map(|size| {
                                    let selected = params.get_untracked().size == size;
                                    view! { <option value=size.to_string() selected=selected>{size.to_string()}</option> }
                                }).collect_view()}
                            </select></div>
                        <div class="flex items-end"><button type="submit" class=BUTTON>"Search"</button></div>
                    </Form>
                    <RoomsTable rooms params type_label show_tag=!is_user />
                }}
            </Transition>
        </div>
    }
}

#[component]
fn RoomsTable<F>(
    rooms: Resource<Result<pexip::ListResponse<Value>, crate::api::AppError>>,
    params: Memo<ListParams>,
    type_label: F,
    show_tag: bool,
) -> impl IntoView
where
    F: Fn(&str) -> String + Copy + Send + Sync + 'static,
{
    let text = |room: &Value, field: &str| room.get(field).map(summary).unwrap_or_default();
    view! {
        <Transition fallback=|| view! { <p class="mt-6" aria-live="polite">"Loading rooms…"</p> }>
            {move || rooms.get().map(|result| match result {
                Err(error) => view! { <p role="alert" class="mt-6 text-red-700">{error.to_string()}</p> }.into_any(),
                Ok(list) if list.objects.is_empty() => view! {
                    <p class="mt-6 text-slate-600" id="rooms-empty">"No meeting rooms match."</p>
                }.into_any(),
                Ok(list) => {
                    let p = params.get();
                    let total = list.meta.total_count;
                    let first = (p.page - 1) * p.size + 1;
                    let last = first + list.objects.len() as u64 - 1;
                    let pages = p.pages(total);
                    view! {
                        <p class="mt-6 text-sm text-slate-600" id="rooms-count" aria-live="polite">
                            {format!("{first}–{last} of {total} rooms")}
                        </p>
                        <div class="mt-2 overflow-x-auto">
                        <table id="rooms" class="w-full text-left text-sm">
                            <thead><tr class="border-b border-slate-200">
                                <th scope="col" class="py-2 pr-3">"Name"</th>
                                <th scope="col" class="pr-3">"Type"</th>
                                <th scope="col" class="pr-3">"Aliases"</th>
                                <th scope="col" class="pr-3">"Description"</th>
                                {show_tag.then(|| view! { <th scope="col" class="pr-3">"Tag"</th> })}
                            </tr></thead>
                            <tbody>
                                {list.objects.into_iter().map(|room| {
                                    let id = room.get("id").map(|v| v.to_string()).unwrap_or_default();
                                    let kind = room.get("service_type").and_then(Value::as_str).unwrap_or_default().to_string();
                                    let name = text(&room, "name");
                                    view! {
                                        <tr class="border-b border-slate-100 align-top">
                                            <td class="py-2 pr-3 font-medium">
                                                // A plain link: the router still takes its clicks, without a
                                                // component's worth of work per row on the server.
                                                <a href=format!("/rooms/{id}") class="text-indigo-700 hover:underline focus:outline-none focus:ring-2 focus:ring-indigo-500">{name}</a>
                                            </td>
                                            <td class="pr-3">{type_label(&kind)}</td>
                                            <td class="break-all pr-3">{text(&room, "aliases")}</td>
                                            <td class="pr-3">{text(&room, "description")}</td>
                                            {show_tag.then(|| view! { <td class="pr-3">{text(&room, "tag")}</td> })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <nav aria-label="Pages" class="mt-4 flex items-center gap-4 text-sm">
                            {(p.page > 1).then(|| view! {
                                <A href=p.with_page(p.page - 1).href() attr:rel="prev" attr:class="text-indigo-700 hover:underline">"← Previous"</A>
                            })}
                            <span>{format!("Page {} of {pages}", p.page)}</span>
                            {(p.page < pages).then(|| view! {
                                <A href=p.with_page(p.page + 1).href() attr:rel="next" attr:class="text-indigo-700 hover:underline">"Next →"</A>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
