//! The meeting rooms list: server-side paging, search by name and alias, filter by service type,
//! sort by any field the schema allows, total count; links to create each service type.
//!
//! Every resource of the page is made once, in [`RoomsPage`], outside its `<Transition>`s: the
//! server's in-order render runs a boundary's children up to three times (two dry runs to find
//! the resources it waits for, then the render), so a resource made inside one would be made,
//! and fetched, each time. The resources wait for the signed-in person themselves (from the
//! session, not the node) and fetch only what their branch shows, all at the same time.

use super::cards::{CardsData, RoomCardsList};
use super::query::{ListParams, SIZES, with_query};
use crate::api::AppError;
use crate::api::auth::CurrentUser;
use crate::api::room_choices::{RoomChoices, load_room_choices};
use crate::api::room_join::room_cards;
use crate::api::rooms::list_rooms;
use crate::forms::value::summary;
use crate::layout::{CurrentUserResource, PendingNote};
use crate::pages::RoomsCsvLinks;
use crate::ui::{
    BreakAnywhere, Button, DataTable, Empty, ErrorNotice, FieldActions, Grid, Hint, LinkButton,
    Loading, PageHeader, Pager, PlainLink, Row, SelectField, TextField,
};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

/// The page title: end users see their own rooms.
pub fn rooms_title(user: Option<&CurrentUser>) -> &'static str {
    match user.map(|u| u.role) {
        Some(bff::Role::User) => "My meeting rooms",
        _ => "Meeting rooms",
    }
}

/// Whether the person gets the cards rather than the table.
fn is_end_user(user: &Result<Option<CurrentUser>, AppError>) -> bool {
    matches!(user, Ok(Some(u)) if u.role == bff::Role::User)
}

/// [`is_end_user`] once the person is known, for a resource's fetcher: waits for them without
/// making the resource depend on them (a resource that did would fetch once more after its
/// first answer, the person having become known meanwhile).
async fn end_user(user: CurrentUserResource) -> bool {
    is_end_user(&ScopedFuture::new_untracked(user.into_future()).await)
}

/// One row of the table, as shown: the room's fields reduced to their text on the server, so
/// that neither the render nor the hydration data carries whole room objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomRow {
    pub id: u64,
    pub name: String,
    /// The raw service type (the label comes from the schema's choices).
    pub kind: String,
    pub aliases: String,
    pub description: String,
    pub tag: String,
}

impl RoomRow {
    pub fn from_room(room: &Value) -> RoomRow {
        let text = |field: &str| room.get(field).map(summary).unwrap_or_default();
        RoomRow {
            id: room.get("id").and_then(Value::as_u64).unwrap_or_default(),
            name: text("name"),
            kind: room
                .get("service_type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            aliases: text("aliases"),
            description: text("description"),
            tag: text("tag"),
        }
    }
}

/// One page of the list: its rows and how many rooms match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomRows {
    pub rows: Vec<RoomRow>,
    pub total: u64,
}

/// The rooms as the node wrote them (`rooms/list` passes them on unparsed): each is read here
/// for the fields a row shows. A room is JSON by construction (the server parsed the page), so
/// one that does not read as a `Value` cannot occur; it would show as an empty row.
impl From<pexip::ListResponse<Box<RawValue>>> for RoomRows {
    fn from(list: pexip::ListResponse<Box<RawValue>>) -> RoomRows {
        RoomRows {
            rows: list
                .objects
                .iter()
                .map(|raw| RoomRow::from_room(&serde_json::from_str(raw.get()).unwrap_or_default()))
                .collect(),
            total: list.meta.total_count,
        }
    }
}

/// A resource of a page branch: `None` when the person gets the other branch.
pub type Fetched<T> = Resource<Option<Result<T, AppError>>>;

/// The page's choices from the rooms' schema (both branches use them).
pub type Choices = Resource<Result<RoomChoices, AppError>>;

/// `/rooms`: end users get their rooms as cards, everyone else the searchable table.
#[component]
pub fn RoomsPage() -> impl IntoView {
    let user = expect_context::<CurrentUserResource>();
    let query = use_query_map();
    let params = Memo::new(move |_| ListParams::from_query(|key| query.read().get(key)));
    // All at once; each answers `None` for the branch the person does not get.
    let rooms: Fetched<RoomRows> = Resource::new(
        move || params.get(),
        move |p| async move {
            if end_user(user).await {
                return None;
            }
            Some(list_rooms(p.room_query()).await.map(RoomRows::from))
        },
    );
    let choices: Choices = Resource::new(|| (), |()| load_room_choices());
    let cards = CardsData {
        cards: Resource::new(
            || (),
            move |()| async move {
                if end_user(user).await {
                    Some(room_cards().await)
                } else {
                    None
                }
            },
        ),
        choices,
    };
    view! {
        <Transition fallback=|| view! { <Loading what="the page" /> }>
            {move || {
                // Nothing until the person is known (at once: from the session).
                let me = user.get()?.ok().flatten();
                let title = rooms_title(me.as_ref());
                Some(if me.as_ref().is_some_and(|u| u.role == bff::Role::User) {
                    view! {
                        <PageHeader title=title.to_string() intro="How to join your meeting rooms, and who may join them." />
                        <RoomCardsList data=cards />
                    }
                    .into_any()
                } else {
                    let can_create = me.as_ref().is_some_and(|u| u.can("room_create"));
                    view! { <RoomsTablePage title can_create params rooms choices /> }.into_any()
                })
            }}
        </Transition>
    }
}

#[component]
fn RoomsTablePage(
    title: &'static str,
    can_create: bool,
    params: Memo<ListParams>,
    rooms: Fetched<RoomRows>,
    choices: Choices,
) -> impl IntoView {
    // The heading goes out at once; the rest needs the schema's choices and the list, asked
    // for together, and follows when both are in.
    let name = Signal::derive(move || params.get().name);
    let alias = Signal::derive(move || params.get().alias);
    view! {
        <PageHeader title=title.to_string()>
            <RoomsCsvLinks />
        </PageHeader>
        <PendingNote what="the rooms" />
        <Transition fallback=|| view! { <Loading what="the rooms" /> }>
            {move || {
                let choices = match choices.get()? {
                    Ok(choices) => choices,
                    Err(error) => return Some(view! { <ErrorNotice error /> }.into_any()),
                };
                let current = params.get_untracked();
                let creates = can_create.then(|| {
                    let links = choices.types.iter().map(|(value, label)| {
                        let href = with_query("/rooms/new", &[("type", value.clone())]);
                        view! { <LinkButton href>{format!("New {label}")}</LinkButton> }
                    }).collect_view();
                    view! { <Row>{links}</Row> }
                });
                let type_options = choices.types.iter().map(|(value, label)| {
                    let selected = current.service_type == *value;
                    view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
                }).collect_view();
                let order_options = choices.orders.iter().map(|(value, text)| {
                    let selected = current.order == *value;
                    view! { <option value=value.clone() selected=selected>{text.clone()}</option> }
                }).collect_view();
                let size_options = SIZES.into_iter().map(|size| {
                    view! { <option value=size.to_string() selected=current.size == size>{size.to_string()}</option> }
                }).collect_view();
                Some(view! {
                    {creates}
                    <Form method="GET" action="" attr:aria-label="Search rooms">
                        <Grid columns=3>
                            <TextField id="rooms-name" name="name" input_type="search" label="Name contains" value=name />
                            <TextField id="rooms-alias" name="alias" input_type="search" label="Alias contains" value=alias />
                            <SelectField id="rooms-type" name="type" label="Type">
                                <option value="">"All types"</option>
                                {type_options}
                            </SelectField>
                            <SelectField id="rooms-order" name="order" label="Sort by">
                                <option value="">"Default"</option>
                                {order_options}
                            </SelectField>
                            <SelectField id="rooms-size" name="size" label="Per page">
                                {size_options}
                            </SelectField>
                            <FieldActions><Button submit=true>"Search"</Button></FieldActions>
                        </Grid>
                    </Form>
                    <RoomsTable rooms params choices />
                }.into_any())
            }}
        </Transition>
    }
}

#[component]
fn RoomsTable(
    rooms: Fetched<RoomRows>,
    params: Memo<ListParams>,
    choices: RoomChoices,
) -> impl IntoView {
    let choices = StoredValue::new(choices);
    view! {
        <Transition fallback=|| view! { <Loading what="the rooms" /> }>
            {move || rooms.get().flatten().map(|result| match result {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(list) if list.rows.is_empty() => view! {
                    <Empty id="rooms-empty">"No meeting rooms match."</Empty>
                }.into_any(),
                Ok(list) => {
                    let p = params.get_untracked();
                    let first = (p.page - 1) * p.size + 1;
                    let last = first + list.rows.len() as u64 - 1;
                    let total = list.total;
                    let rows = choices.with_value(|choices| {
                        list.rows.into_iter().map(|row| view! {
                            <tr>
                                <td><PlainLink href=format!("/rooms/{}", row.id)>{row.name}</PlainLink></td>
                                <td>{choices.type_label(&row.kind).map_or_else(|| row.kind.clone(), str::to_string)}</td>
                                <td><BreakAnywhere>{row.aliases}</BreakAnywhere></td>
                                <td>{row.description}</td>
                                <td>{row.tag}</td>
                            </tr>
                        }).collect_view()
                    });
                    let (page, size) = (p.page, p.size);
                    let href = Callback::new(move |(page, _size): (u64, u64)| p.with_page(page).href());
                    view! {
                        <Hint id="rooms-count" live=true>{format!("{first}–{last} of {total} rooms")}</Hint>
                        <DataTable id="rooms" caption="Meeting rooms".to_string()>
                            <thead><tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Aliases"</th>
                                <th scope="col">"Description"</th>
                                <th scope="col">"Tag"</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </DataTable>
                        <Pager page size total href />
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_holds_the_text_of_its_columns() {
        let row = RoomRow::from_room(&json!({
            "id": 7,
            "name": "Board",
            "service_type": "lecture",
            "aliases": [{"alias": "board@acme"}, {"alias": "8100"}],
            "description": "",
            "pin": "1234",
        }));
        assert_eq!(row.id, 7);
        assert_eq!(row.name, "Board");
        assert_eq!(row.kind, "lecture");
        assert_eq!(row.aliases, "board@acme, 8100");
        assert_eq!(row.description, "—");
        assert_eq!(row.tag, "");
    }
}
