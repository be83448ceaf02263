//! One meeting room: the generated form to create or change it, delete with confirmation, and
//! its automatic participants. People who may only look get a read-only view.

use super::email::EmailRoomButton;
use super::list::rooms_title;
use super::participants::RoomParticipants;
use crate::api::AppError;
use crate::api::auth::CurrentUser;
use crate::api::forms::form_schema;
use crate::api::room_choices::service_types;
use crate::api::rooms::{create_room, delete_room, get_room, update_room};
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::view::SchemaForm;
use crate::forms::{FieldSpec, FormErrors, FormState};
use crate::layout::CurrentUserResource;
use crate::pages::NotFound;
use crate::ui::{Breadcrumb, Deletion, Loaded, PageHeader, ResourceEditor, Space, Stack, TextLink};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use pexip::Schema;
use serde_json::{Map, Value};

const RESOURCE: &str = "conference";

fn room_sections(schema: &Schema) -> Vec<Section> {
    layout::for_resource(RESOURCE).sections(schema)
}

/// `/rooms/<id>`: view, change or delete a room.
#[component]
pub fn RoomEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<u64>().ok())
    };
    // Blocking: the pages stream in order, and the 404 of another tenant's (or no) room must be
    // set before the first chunk (with the status line) leaves.
    let room = Resource::new_blocking(id, |id| async move {
        match id {
            Some(id) => get_room(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    let user = expect_context::<CurrentUserResource>();
    // A room that is not found is "not found" at once, without waiting for the schema.
    let data = Signal::derive(move || {
        let room = match room.get()? {
            Ok(room) => room,
            Err(error) => return Some(Err(error)),
        };
        match (schema.get()?, id()) {
            (Err(error), _) => Some(Err(error)),
            (_, None) => Some(Err(AppError::NotFound)),
            (Ok(schema), Some(id)) => Some(Ok((id, room, schema))),
        }
    });
    view! {
        <Loaded what="the room" data not_found=|| view! { <NotFound /> }
            view=move |(id, room, schema)| {
                let me = user.get().and_then(Result::ok).flatten();
                view! { <RoomEditor id room schema me /> }.into_any()
            } />
    }
}

#[component]
fn RoomEditor(id: u64, room: Value, schema: Schema, me: Option<CurrentUser>) -> impl IntoView {
    let can_update = me.as_ref().is_some_and(|u| u.can("room_update"));
    let can_delete = me.as_ref().is_some_and(|u| u.can("room_delete"));
    let can_email = me.as_ref().is_some_and(|u| u.can("room_send_email"));
    let is_user = me.as_ref().is_some_and(|u| u.role == bff::Role::User);
    let name = room
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("Meeting room")
        .to_string();
    let save = can_update.then(|| {
        Action::new(move |changes: &Map<String, Value>| {
            let changes = changes.clone();
            async move { update_room(id, changes).await }
        })
    });
    let deletion = can_delete.then(|| Deletion {
        action: Action::new(move |_: &()| delete_room(id)),
        heading: "Delete this room",
        label: "Delete room…",
        question: format!(
            "Delete “{name}”? Its aliases are deleted with it. This cannot be undone."
        ),
        then: "/rooms".into(),
    });
    let rooms = rooms_title(me.as_ref());
    let email = can_email.then_some(if is_user {
        "Email me my room details"
    } else {
        "Email the room details to the owner"
    });
    view! {
        <ResourceEditor title=name title_field="name" resource=RESOURCE prefix="room"
            sections=room_sections(&schema) object=room.as_object().cloned().unwrap_or_default()
            breadcrumb=move || view! { <Breadcrumb><TextLink href="/rooms">{rooms}</TextLink></Breadcrumb> }
            intro=move || email.map(|label| view! { <EmailRoomButton id label /> })
            save=save read_only_note="You can view this room; your role does not allow changes."
            saved_id="room-saved" deletion=deletion
        >
            <RoomParticipants id can_change=can_update && !is_user />
        </ResourceEditor>
    }
}

/// `/rooms/new?type=<service_type>`: a new room of that type.
#[component]
pub fn RoomNewPage() -> impl IntoView {
    let query = use_query_map();
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    view! {
        <Loaded what="the form" data=Signal::derive(move || schema.get())
            view=move |schema| {
                let wanted = query.read_untracked().get("type").unwrap_or_default();
                view! { <NewRoomForm schema wanted /> }.into_any()
            } />
    }
}

#[component]
fn NewRoomForm(schema: Schema, wanted: String) -> impl IntoView {
    let types = service_types(&schema);
    let label = types
        .iter()
        .find(|(value, _)| *value == wanted)
        .map_or_else(|| "meeting room".to_string(), |(_, label)| label.clone());
    let sections = room_sections(&schema);
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let mut initial = specs.with_value(|s| FormState::for_create(s.iter()));
    if types.iter().any(|(value, _)| *value == wanted) {
        initial.set("service_type", Value::from(wanted));
    }
    let state = RwSignal::new(initial);
    let errors = RwSignal::new(FormErrors::default());
    let create = Action::new(move |fields: &Map<String, Value>| {
        let fields = fields.clone();
        async move { create_room(fields).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(id)) => navigate(&format!("/rooms/{id}"), Default::default()),
        Some(Err(error)) => {
            errors.set(specs.with_value(|s| FormErrors::from_server(&error, s.iter())));
        }
        None => {}
    });
    let on_submit = Callback::new(move |()| {
        let fields = specs.with_value(|s| state.with_untracked(|st| st.changes(s.iter())));
        create.dispatch(fields);
    });
    let title = format!("New {label}");
    view! {
        <Breadcrumb><TextLink href="/rooms">"Meeting rooms"</TextLink></Breadcrumb>
        <PageHeader title intro="Fields marked * are required. Limits shown under a field are checked again by the Management Node." />
        <Stack space=Space::Large>
            <SchemaForm sections state errors resource=RESOURCE prefix="room" pending=create.pending()
                submit_label="Create" on_submit creating=true />
        </Stack>
    }
}
