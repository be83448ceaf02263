//! A room's automatic participants: listed, added (through the generated form of
//! `automatic_participant`) and removed.

use crate::api::forms::form_schema;
use crate::api::rooms::{AddRoomParticipant, RemoveRoomParticipant, room_participants};
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::value::summary;
use crate::forms::view::SchemaForm;
use crate::forms::{FieldSpec, FormErrors, FormState};
use crate::ui::{
    Button, Code, DataTable, Disclosure, Empty, ErrorNotice, Hint, Loaded, Loading, Section, Stack,
    Variant, VisuallyHidden, action_error,
};
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
        <Section heading_id="participants-heading" title="Automatic participants">
            <Hint>"Dialed automatically when the conference starts."</Hint>
            <Transition fallback=|| view! { <Loading what="participants" /> }>
                {move || list.get().map(|result| match result {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <Empty id="participants-empty">"None."</Empty> }.into_any(),
                    Ok(items) => view! {
                        <DataTable id="participants">
                            <thead><tr>
                                <th scope="col">"Alias"</th>
                                <th scope="col">"Display name"</th>
                                <th scope="col">"Role"</th>
                                <th scope="col">"Protocol"</th>
                                {can_change.then(|| view! { <th scope="col"><VisuallyHidden>"Actions"</VisuallyHidden></th> })}
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|p| {
                                    let participant = p.get("id").and_then(Value::as_u64);
                                    let alias = cell(&p, "alias");
                                    let shown = alias.clone();
                                    view! {
                                        <tr>
                                            <td><Code>{shown}</Code></td>
                                            <td>{cell(&p, "remote_display_name")}</td>
                                            <td>{cell(&p, "role")}</td>
                                            <td>{cell(&p, "protocol")}</td>
                                            {(can_change).then(|| participant.map(|participant| view! {
                                                <td>
                                                    <Button variant=Variant::Secondary attr:aria-label=format!("Remove {alias}")
                                                        busy=remove.pending()
                                                        on_click=move |()| { remove.dispatch(RemoveRoomParticipant { id, participant }); }>
                                                        "Remove"
                                                    </Button>
                                                </td>
                                            }))}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </DataTable>
                    }.into_any(),
                })}
            </Transition>
            {action_error(remove)}
            {can_change.then(|| view! { <AddParticipant id add /> })}
        </Section>
    }
}

#[component]
fn AddParticipant(id: u64, add: ServerAction<AddRoomParticipant>) -> impl IntoView {
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    view! {
        <Disclosure summary="Add an automatic participant">
            <Loaded what="the form" data=Signal::derive(move || schema.get())
                view=move |schema| view! { <ParticipantForm id add schema /> }.into_any() />
        </Disclosure>
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
        <Stack>
            <SchemaForm sections state errors resource=RESOURCE prefix="participant" pending=add.pending()
                submit_label="Add participant" on_submit creating=true />
        </Stack>
    }
}
