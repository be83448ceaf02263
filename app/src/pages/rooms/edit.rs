//! One meeting room: the generated form to create or change it, delete with confirmation, and
//! its automatic participants. People who may only look get a read-only view.

use super::list::{rooms_title, service_types};
use super::participants::RoomParticipants;
use crate::api::AppError;
use crate::api::auth::CurrentUser;
use crate::api::forms::form_schema;
use crate::api::rooms::{create_room, delete_room, get_room, update_room};
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::view::{ReadOnlyView, SMALL_BUTTON, SchemaForm};
use crate::forms::{FieldSpec, FormErrors, FormState};
use crate::layout::CurrentUserResource;
use crate::pages::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
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
    let room = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_room(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    let user = expect_context::<CurrentUserResource>();
    view! {
        <Transition fallback=|| view! { <p aria-live="polite">"Loading the room…"</p> }>
            {move || match (room.get(), schema.get(), id()) {
                (Some(Err(AppError::NotFound)), _, _) | (_, _, None) => view! { <NotFound /> }.into_any(),
                (Some(Err(error)), _, _) | (_, Some(Err(error)), _) => {
                    view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any()
                }
                (Some(Ok(room)), Some(Ok(schema)), Some(id)) => {
                    let me = user.get().and_then(Result::ok).flatten();
                    view! { <RoomEditor id room schema me /> }.into_any()
                }
                _ => ().into_any(),
            }}
        </Transition>
    }
}

#[component]
fn RoomEditor(id: u64, room: Value, schema: Schema, me: Option<CurrentUser>) -> impl IntoView {
    let can_update = me.as_ref().is_some_and(|u| u.can("room_update"));
    let can_delete = me.as_ref().is_some_and(|u| u.can("room_delete"));
    let is_user = me.as_ref().is_some_and(|u| u.role == bff::Role::User);
    let name = room
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("Meeting room")
        .to_string();
    let (title, set_title) = signal(name.clone());
    let sections = room_sections(&schema);
    let object = room.as_object().cloned().unwrap_or_default();
    let editor = if can_update {
        view! { <RoomForm id sections object set_title /> }.into_any()
    } else {
        view! {
            <p class="mt-2 text-sm text-slate-600">"You can view this room; your role does not allow changes."</p>
            <div class="mt-4 space-y-6"><ReadOnlyView sections object=room.clone() /></div>
        }
        .into_any()
    };
    view! {
        <Title text=move || title.get() />
        <nav aria-label="Breadcrumb" class="text-sm">
            <A href="/rooms" attr:class="text-indigo-700 hover:underline">{rooms_title(me.as_ref())}</A>
        </nav>
        <h1 class="mt-2 text-2xl font-semibold">{move || title.get()}</h1>
        {editor}
        <RoomParticipants id can_change=can_update && !is_user />
        {can_delete.then(|| view! { <DeleteRoom id name /> })}
    }
}

/// The edit form: sends only the changed fields.
#[component]
fn RoomForm(
    id: u64,
    sections: Vec<Section>,
    object: Map<String, Value>,
    /// The page heading follows a saved rename.
    set_title: WriteSignal<String>,
) -> impl IntoView {
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let state = RwSignal::new(specs.with_value(|s| FormState::for_edit(s.iter(), &object)));
    let errors = RwSignal::new(FormErrors::default());
    let (saved, set_saved) = signal(false);
    let save = Action::new(move |changes: &Map<String, Value>| {
        let changes = changes.clone();
        async move { update_room(id, changes).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            state.update(FormState::mark_saved);
            set_saved.set(true);
            if let Some(Value::String(name)) = state.with_untracked(|s| s.get("name").cloned()) {
                set_title.set(name);
            }
        }
        Some(Err(error)) => {
            errors.set(specs.with_value(|s| FormErrors::from_server(&error, s.iter())));
        }
        None => {}
    });
    let on_submit = Callback::new(move |()| {
        set_saved.set(false);
        let changes = specs.with_value(|s| state.with_untracked(|st| st.changes(s.iter())));
        if changes.is_empty() {
            errors.set(FormErrors {
                top: vec!["Nothing has changed.".into()],
                ..Default::default()
            });
        } else {
            save.dispatch(changes);
        }
    });
    view! {
        <div class="mt-6">
            <SchemaForm sections state errors resource=RESOURCE prefix="room" pending=save.pending()
                submit_label="Save changes" on_submit />
            <p class="mt-3 text-sm text-green-700" role="status" id="room-saved">
                {move || saved.get().then_some("Saved.")}
            </p>
        </div>
    }
}

#[component]
fn DeleteRoom(id: u64, name: String) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let delete = Action::new(move |_: &()| delete_room(id));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/rooms", Default::default());
        }
    });
    let question =
        format!("Delete “{name}”? Its aliases are deleted with it. This cannot be undone.");
    view! {
        <section aria-labelledby="delete-heading" class="mt-10 rounded border border-red-200 p-4">
            <h2 id="delete-heading" class="text-base font-semibold text-red-800">"Delete this room"</h2>
            {move || if confirming.get() {
                view! {
                    <div role="alertdialog" aria-labelledby="delete-question" class="mt-2">
                        <p id="delete-question">{question.clone()}</p>
                        <div class="mt-3 flex gap-2">
                            <button type="button" id="confirm-delete" class="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 focus:outline-none focus:ring-2 focus:ring-red-500 disabled:opacity-60"
                                disabled=move || delete.pending().get()
                                on:click=move |_| { delete.dispatch(()); }>"Delete"</button>
                            <button type="button" class=SMALL_BUTTON on:click=move |_| set_confirming.set(false)>"Cancel"</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class=format!("{SMALL_BUTTON} mt-2 text-red-800") on:click=move |_| set_confirming.set(true)>"Delete room…"</button>
                }.into_any()
            }}
            {move || delete.value().get().and_then(Result::err).map(|error| view! {
                <p role="alert" class="mt-2 text-sm text-red-700">{error.to_string()}</p>
            })}
        </section>
    }
}

/// `/rooms/new?type=<service_type>`: a new room of that type.
#[component]
pub fn RoomNewPage() -> impl IntoView {
    let query = use_query_map();
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    view! {
        <Transition fallback=|| view! { <p aria-live="polite">"Loading the form…"</p> }>
            {move || schema.get().map(|result| match result {
                Err(error) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                Ok(schema) => {
                    let wanted = query.read_untracked().get("type").unwrap_or_default();
                    view! { <NewRoomForm schema wanted /> }.into_any()
                }
            })}
        </Transition>
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
        <Title text=title.clone() />
        <nav aria-label="Breadcrumb" class="text-sm">
            <A href="/rooms" attr:class="text-indigo-700 hover:underline">"Meeting rooms"</A>
        </nav>
        <h1 class="mt-2 text-2xl font-semibold">{title}</h1>
        <p class="mt-2 text-sm text-slate-600">"Fields marked * are required. Limits shown under a field are checked again by the Management Node."</p>
        <div class="mt-6">
            <SchemaForm sections state errors resource=RESOURCE prefix="room" pending=create.pending()
                submit_label="Create" on_submit creating=true />
        </div>
    }
}
