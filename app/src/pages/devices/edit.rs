//! One device alias: the generated form to create or change it, and delete with confirmation.

use super::RESOURCE;
use crate::api::AppError;
use crate::api::devices::{create_device, delete_device, get_device, update_device};
use crate::api::forms::form_schema;
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::view::SchemaForm;
use crate::forms::{FieldSpec, FormErrors, FormState};
use crate::pages::NotFound;
use crate::ui::{
    Breadcrumb, Deletion, Intro, Loaded, PageHeader, ResourceEditor, SaveAction, TextLink,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use pexip::Schema;
use serde_json::{Map, Value};

fn sections(schema: &Schema) -> Vec<Section> {
    layout::for_resource(RESOURCE).sections(schema)
}

fn back() -> impl IntoView {
    view! { <Breadcrumb><TextLink href="/devices">"Device aliases"</TextLink></Breadcrumb> }
}

/// `/devices/<id>`: change or delete a device alias.
#[component]
pub fn DeviceEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<u64>().ok())
    };
    // Blocking: the pages stream in order, and the 404 of another tenant's (or no) device must
    // be set before the first chunk (with the status line) leaves.
    let device = Resource::new_blocking(id, |id| async move {
        match id {
            Some(id) => get_device(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    // A device that is not found is "not found" at once, without waiting for the schema.
    let data = Signal::derive(move || {
        let device = match device.get()? {
            Ok(device) => device,
            Err(error) => return Some(Err(error)),
        };
        match (schema.get()?, id()) {
            (Ok(schema), Some(id)) => Some(Ok((id, device, schema))),
            (Err(error), _) => Some(Err(error)),
            (_, None) => Some(Err(AppError::NotFound)),
        }
    });
    view! {
        <Loaded what="the device" data not_found=|| view! { <NotFound /> }
            view={|(id, device, schema): (u64, Value, Schema)| view! { <DeviceEditor id device schema /> }.into_any()} />
    }
}

#[component]
fn DeviceEditor(id: u64, device: Value, schema: Schema) -> impl IntoView {
    let alias = device
        .get("alias")
        .and_then(Value::as_str)
        .unwrap_or("Device")
        .to_string();
    let save: SaveAction = Action::new(move |changes: &Map<String, Value>| {
        let changes = changes.clone();
        async move { update_device(id, changes).await }
    });
    let deletion = Deletion {
        action: Action::new(move |_: &()| delete_device(id)),
        heading: "Delete this device alias",
        label: "Delete device…",
        question: format!(
            "Delete “{alias}”? Endpoints registering with it are refused from then on. This cannot be undone."
        ),
        then: "/devices".into(),
    };
    view! {
        <ResourceEditor title=alias title_field="alias" breadcrumb=back sections=sections(&schema)
            object=device.as_object().cloned().unwrap_or_default() resource=RESOURCE prefix="device"
            save=Some(save) saved_id="device-saved" deletion=Some(deletion) />
    }
}

/// `/devices/new`: a new device alias.
#[component]
pub fn DeviceNewPage() -> impl IntoView {
    let schema = Resource::new(|| (), |_| form_schema(RESOURCE.to_string()));
    view! {
        <Loaded what="the form" data=Signal::derive(move || schema.get())
            view={|schema: Schema| view! { <NewDeviceForm schema /> }.into_any()} />
    }
}

#[component]
fn NewDeviceForm(schema: Schema) -> impl IntoView {
    let sections = sections(&schema);
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let state = RwSignal::new(specs.with_value(|s| FormState::for_create(s.iter())));
    let errors = RwSignal::new(FormErrors::default());
    let create = Action::new(move |fields: &Map<String, Value>| {
        let fields = fields.clone();
        async move { create_device(fields).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(id)) => navigate(&format!("/devices/{id}"), Default::default()),
        Some(Err(error)) => {
            errors.set(specs.with_value(|s| FormErrors::from_server(&error, s.iter())));
        }
        None => {}
    });
    let on_submit = Callback::new(move |()| {
        let fields = specs.with_value(|s| state.with_untracked(|st| st.changes(s.iter())));
        create.dispatch(fields);
    });
    view! {
        {back()}
        <PageHeader title="New device alias".to_string() />
        <Intro>"Fields marked * are required. A tenant's devices get its tag, and their alias must use one of its domains."</Intro>
        <SchemaForm sections state errors resource=RESOURCE prefix="device" pending=create.pending()
            submit_label="Create" on_submit creating=true />
    }
}
