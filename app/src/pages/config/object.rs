//! `/config/<resource>/<id>` (one object: its form, delete with confirmation) and
//! `/config/<resource>/new`.

use super::files::{FileUploads, NewFileInputs, file_fields, upload_all};
use super::resource_title;
use crate::api::config::{config_create, config_delete, config_get, config_update};
use crate::api::forms::form_schema;
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::view::SchemaForm;
use crate::forms::{FieldSpec, FormErrors, FormState};
use crate::pages::NotFound;
use crate::pages::template_sync::{TEMPLATE_RESOURCE, TemplateSyncPanel};
use crate::ui::{
    Breadcrumb, Deletion, ErrorNotice, Loaded, PageHeader, ResourceEditor, Space, Stack,
    SuccessNotice, TextLink,
};
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use pexip::{HttpMethod, Schema};
use serde_json::{Map, Value};

fn sections(resource: &str, schema: &Schema) -> Vec<Section> {
    layout::for_resource(resource).sections(schema)
}

fn breadcrumb(resource: &str) -> impl IntoView + use<> {
    let href = format!("/config/{resource}");
    let title = resource_title(resource);
    view! {
        <Breadcrumb>
            <TextLink href="/config">"Configuration"</TextLink>
            " / "
            <TextLink href>{title}</TextLink>
        </Breadcrumb>
    }
}

#[component]
pub fn ConfigObjectPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("resource").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    };
    let schema = Resource::new(move || key().0, form_schema);
    let object = Resource::new(key, |(resource, id)| config_get(resource, id));
    let data = Signal::derive(move || match (schema.get()?, object.get()?) {
        (Err(error), _) | (_, Err(error)) => Some(Err(error)),
        (Ok(schema), Ok(object)) => Some(Ok((schema, object))),
    });
    // After a file upload the object is read again (its file field shows the new name); the
    // notice lives here, outside the editor that the new object replaces.
    let uploaded = RwSignal::new(None::<String>);
    let reload = Callback::new(move |message: String| {
        uploaded.set(Some(message));
        object.refetch();
    });
    view! {
        <Loaded what="the object" data not_found=|| view! { <NotFound /> }
            view=move |(schema, object)| {
                let (resource, id) = key();
                view! { <ConfigEditor resource id schema object reload /> }.into_any()
            } />
        {move || uploaded.get().map(|message| view! { <SuccessNotice id="upload-done">{message}</SuccessNotice> })}
    }
}

#[component]
fn ConfigEditor(
    resource: String,
    id: String,
    schema: Schema,
    object: Value,
    reload: Callback<String>,
) -> impl IntoView {
    let title = object
        .get("name")
        .or_else(|| object.get("alias"))
        .and_then(Value::as_str)
        .map_or_else(
            || format!("{} {id}", resource_title(&resource)),
            str::to_string,
        );
    let target = StoredValue::new((resource.clone(), id.clone()));
    let save = schema.allows_detail(&HttpMethod::Patch).then(|| {
        Action::new(move |changes: &Map<String, Value>| {
            let changes = changes.clone();
            let (resource, id) = target.get_value();
            async move { config_update(resource, id, changes).await }
        })
    });
    let deletion = schema.allows_detail(&HttpMethod::Delete).then(|| Deletion {
        action: Action::new(move |_: &()| {
            let (resource, id) = target.get_value();
            config_delete(resource, id)
        }),
        heading: "Delete this object",
        label: "Delete…",
        question: "Delete this object? Objects that must point to it are deleted with it. This cannot be undone.".into(),
        then: format!("/config/{resource}"),
    });
    let crumbs = resource.clone();
    let sync = (resource == TEMPLATE_RESOURCE)
        .then(|| id.parse::<u64>().ok())
        .flatten();
    let files = file_fields(&schema);
    let files = (save.is_some() && !files.is_empty()).then(|| {
        view! { <FileUploads resource=resource.clone() id=id.clone() fields=files on_uploaded=reload /> }
    });
    view! {
        <ResourceEditor title resource=resource.clone() prefix="config"
            sections=sections(&resource, &schema) object=object.as_object().cloned().unwrap_or_default()
            breadcrumb=move || breadcrumb(&crumbs)
            save deletion>
            {files}
            {sync.map(|id| view! { <TemplateSyncPanel id /> })}
        </ResourceEditor>
    }
}

#[component]
pub fn ConfigNewPage() -> impl IntoView {
    let params = use_params_map();
    let resource = move || params.read().get("resource").unwrap_or_default();
    let schema = Resource::new(resource, form_schema);
    view! {
        <Loaded what="the form" data=Signal::derive(move || schema.get()) not_found=|| view! { <NotFound /> }
            view=move |schema| view! { <NewObjectForm resource=resource() schema /> }.into_any() />
    }
}

#[component]
fn NewObjectForm(resource: String, schema: Schema) -> impl IntoView {
    let sections = sections(&resource, &schema);
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let state = RwSignal::new(specs.with_value(|s| FormState::for_create(s.iter())));
    let errors = RwSignal::new(FormErrors::default());
    let name = StoredValue::new(resource.clone());
    // File fields: chosen here, sent once the object exists (the node ignores files in a POST).
    let files: Vec<_> = file_fields(&schema)
        .into_iter()
        .map(|field| (field, NodeRef::<Input>::new()))
        .collect();
    let file_inputs: Vec<(String, NodeRef<Input>)> = files
        .iter()
        .map(|(field, input)| (field.name.clone(), *input))
        .collect();
    let file_inputs = StoredValue::new(file_inputs);
    let progress = RwSignal::new(None::<f64>);
    let upload_error = RwSignal::new(None::<String>);
    let create = Action::new(move |fields: &Map<String, Value>| {
        let fields = fields.clone();
        let resource = name.get_value();
        async move { config_create(resource, fields).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(uri)) => {
            let key = pexip::uri_id(&uri).to_string();
            let page = format!("/config/{}/{key}", name.get_value());
            let navigate = navigate.clone();
            let done =
                Callback::new(
                    move |result: Result<(), (String, crate::api::AppError)>| {
                        match result {
                    Ok(()) => navigate(&page, Default::default()),
                    Err((field, error)) => upload_error.set(Some(format!(
                        "The object was created ({page}), but its {field} was not uploaded: {error}"
                    ))),
                }
                    },
                );
            upload_all(
                name.get_value(),
                key,
                file_inputs.get_value(),
                progress,
                done,
            );
        }
        Some(Err(error)) => {
            errors.set(specs.with_value(|s| FormErrors::from_server(&error, s.iter())));
        }
        None => {}
    });
    let on_submit = Callback::new(move |()| {
        let fields = specs.with_value(|s| state.with_untracked(|st| st.changes(s.iter())));
        create.dispatch(fields);
    });
    let title = format!("New {}", resource_title(&resource).to_lowercase());
    view! {
        {breadcrumb(&resource)}
        <PageHeader title />
        <Stack space=Space::Large>
            <SchemaForm sections state errors resource=resource.clone() prefix="config"
                pending=Signal::derive(move || create.pending().get() || progress.get().is_some())
                submit_label="Create" on_submit creating=true />
            {(!files.is_empty()).then(|| view! {
                <NewFileInputs resource=resource.clone() fields=files progress />
            })}
            {move || upload_error.get().map(|message| view! { <ErrorNotice message /> })}
        </Stack>
    }
}
