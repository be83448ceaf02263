//! A room's automatic participants: listed, added (through the generated form of
//! `automatic_participant`) and removed.

use crate::api::forms::form_schema;
use crate::api::rooms::{AddRoomParticipant, RemoveRoomParticipant, room_participants};
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::value::summary;
use crate::forms::view::{SMALL_BUTTON, SchemaForm};
use crate::forms::{FieldSpec, FormErrors, FormState};
use leptos::prelude::*;
use pexip::Schema;
use serde_json::Value;

const RESOURCE: &str = "automatic_participant";

#[component]
pub fn RoomParticipants(id: u64, can_change: bool) -> impl IntoView {
    let add = ServerAction::<AddRoomParticipant>::new();
    let remove = ServerAction::<RemoveRoomParticipant>::new();
    let list = Resource::new(
        move || (add.version().get(), remove.version().get()),
        move |_| room_participants(id),
    );
    let cell = |p: &Value, field: &str| p.get(field).map(summary).unwrap_or_default();
    view! {
        <section aria-labelledby="participants-heading" class="mt-10">
            <h2 id="participants-heading" class="text-lg font-semibold">"Automatic participants"</h2>
            <p class="mt-1 text-sm text-slate-600">"Dialed automatically when the conference starts."</p>
            <Transition fallback=|| view! { <p aria-live="polite">"Loading participants…"</p> }>
                {move || list.get().map(|result| match result {
                    Err(error) => view! { <p role="alert" class="mt-2 text-red-700">{error.to_string()}</p> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="mt-2 text-slate-600" id="participants-empty">"None."</p> }.into_any(),
                    Ok(items) => view! {
                        <table id="participants" class="mt-2 w-full text-left text-sm">
                            <thead><tr class="border-b border-slate-200">
                                <th scope="col" class="py-2 pr-3">"Alias"</th>
                                <th scope="col" class="pr-3">"Display name"</th>
                                <th scope="col" class="pr-3">"Role"</th>
                                <th scope="col" class="pr-3">"Protocol"</th>
                                {can_change.then(|| view! { <th scope="col"><span class="sr-only">"Actions"</span></th> })}
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|p| {
                                    let participant = p.get("id").and_then(Value::as_u64);
                                    let alias = cell(&p, "alias");
                                    view! {
                                        <tr class="border-b border-slate-100">
                                            <td class="py-2 pr-3 break-all">{alias.clone()}</td>
                                            <td class="pr-3">{cell(&p, "remote_display_name")}</td>
                                            <td class="pr-3">{cell(&p, "role")}</td>
                                            <td class="pr-3">{cell(&p, "protocol")}</td>
                                            {(can_change).then(|| participant.map(|participant| view! {
                                                <td class="py-2">
                                                    <button type="button" class=SMALL_BUTTON aria-label=format!("Remove {alias}")
                                                        disabled=move || remove.pending().get()
                                                        on:click=move |_| { remove.dispatch(RemoveRoomParticipant { id, participant }); }>
                                                        "Remove"
                                                    </button>
                                                </td>
                                            }))}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            {move || remove.value().get().and_then(Result::err).map(|error| view! {
                <p role="alert" class="mt-2 text-sm text-red-700">{error.to_string()}</p>
            })}
            {can_change.then(|| view! { <AddParticipant id add /> })}
        </section>
    }
}

#[component]
fn AddParticipant(id: u64, add: ServerAction<AddRoomParticipant>) -> impl IntoView {
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    view! {
        <details class="mt-4 rounded border border-slate-200 p-4">
            <summary class="cursor-pointer font-medium focus:outline-none focus:ring-2 focus:ring-indigo-500">"Add an automatic participant"</summary>
            <Transition fallback=|| view! { <p>"Loading the form…"</p> }>
                {move || schema.get().map(|result| match result {
                    Err(error) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                    Ok(schema) => view! { <ParticipantForm id add schema /> }.into_any(),
                })}
            </Transition>
        </details>
    }
}

#[component]
fn ParticipantForm(
    id: u64,
    add: ServerAction<AddRoomParticipant>,
    schema: Schema,
) -> impl IntoView {
    let sections: Vec<Section> = layout::for_resource(RESOURCE).sections(&schema);
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let fresh = move || specs.with_value(|s| FormState::for_create(s.iter()));
    let state = RwSignal::new(fresh());
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => state.set(fresh()),
        Some(Err(error)) => {
            errors.set(specs.with_value(|s| FormErrors::from_server(&error, s.iter())));
        }
        None => {}
    });
    let on_submit = Callback::new(move |()| {
        let fields = specs.with_value(|s| state.with_untracked(|st| st.changes(s.iter())));
        add.dispatch(AddRoomParticipant { id, fields });
    });
    view! {
        <div class="mt-4">
            <SchemaForm sections state errors resource=RESOURCE prefix="participant" pending=add.pending()
                submit_label="Add participant" on_submit creating=true />
        </div>
    }
}
