//! `/config/<resource>/<id>` (one object: its form, delete with confirmation) and
//! `/config/<resource>/new`.

use super::resource_title;
use crate::api::AppError;
use crate::api::config::{config_create, config_delete, config_get, config_update};
use crate::api::forms::form_schema;
use crate::forms::layout::{self, Section, all_fields};
use crate::forms::view::{ReadOnlyView, SMALL_BUTTON, SchemaForm};
use crate::forms::{FieldSpec, FormErrors, FormState};
use crate::pages::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
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
        <nav aria-label="Breadcrumb" class="text-sm">
            <A href="/config" attr:class="text-indigo-700 hover:underline">"Configuration"</A>
            " / "
            <A href=href attr:class="text-indigo-700 hover:underline">{title}</A>
        </nav>
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
    view! {
        <Transition fallback=|| view! { <p aria-live="polite">"Loading…"</p> }>
            {move || {
                let (resource, id) = key();
                match (schema.get(), object.get()) {
                    (Some(Err(AppError::NotFound)), _) | (_, Some(Err(AppError::NotFound))) => view! { <NotFound /> }.into_any(),
                    (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                    (Some(Ok(schema)), Some(Ok(object))) => view! { <ConfigEditor resource id schema object /> }.into_any(),
                    _ => ().into_any(),
                }
            }}
        </Transition>
    }
}

#[component]
fn ConfigEditor(resource: String, id: String, schema: Schema, object: Value) -> impl IntoView {
    let title = object
        .get("name")
        .or_else(|| object.get("alias"))
        .and_then(Value::as_str)
        .map_or_else(
            || format!("{} {id}", resource_title(&resource)),
            str::to_string,
        );
    let sections = sections(&resource, &schema);
    let editable = schema.allows_detail(&HttpMethod::Patch);
    let deletable = schema.allows_detail(&HttpMethod::Delete);
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let map = object.as_object().cloned().unwrap_or_default();
    let state = RwSignal::new(specs.with_value(|s| FormState::for_edit(s.iter(), &map)));
    let errors = RwSignal::new(FormErrors::default());
    let (saved, set_saved) = signal(false);
    let target = StoredValue::new((resource.clone(), id.clone()));
    let save = Action::new(move |changes: &Map<String, Value>| {
        let changes = changes.clone();
        let (resource, id) = target.get_value();
        async move { config_update(resource, id, changes).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            state.update(FormState::mark_saved);
            set_saved.set(true);
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
    let body = if editable {
        view! {
            <div class="mt-6">
                <SchemaForm sections state errors resource=resource.clone() prefix="config" pending=save.pending()
                    submit_label="Save changes" on_submit />
                <p class="mt-3 text-sm text-green-700" role="status">{move || saved.get().then_some("Saved.")}</p>
            </div>
        }
        .into_any()
    } else {
        view! { <div class="mt-6 space-y-6"><ReadOnlyView sections object /></div> }.into_any()
    };
    view! {
        <Title text=title.clone() />
        {breadcrumb(&resource)}
        <h1 class="mt-2 text-2xl font-semibold">{title}</h1>
        {body}
        {deletable.then(|| view! { <DeleteObject resource id /> })}
    }
}

#[component]
fn DeleteObject(resource: String, id: String) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let target = StoredValue::new((resource.clone(), id.clone()));
    let delete = Action::new(move |_: &()| {
        let (resource, id) = target.get_value();
        config_delete(resource, id)
    });
    let navigate = use_navigate();
    let back = format!("/config/{resource}");
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate(&back, Default::default());
        }
    });
    view! {
        <section aria-labelledby="delete-heading" class="mt-10 rounded border border-red-200 p-4">
            <h2 id="delete-heading" class="text-base font-semibold text-red-800">"Delete this object"</h2>
            {move || if confirming.get() {
                view! {
                    <div role="alertdialog" aria-labelledby="delete-question" class="mt-2">
                        <p id="delete-question">"Delete this object? Objects that must point to it are deleted with it. This cannot be undone."</p>
                        <div class="mt-3 flex gap-2">
                            <button type="button" id="confirm-delete" class="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 focus:outline-none focus:ring-2 focus:ring-red-500 disabled:opacity-60"
                                disabled=move || delete.pending().get()
                                on:click=move |_| { delete.dispatch(()); }>"Delete"</button>
                            <button type="button" class=SMALL_BUTTON on:click=move |_| set_confirming.set(false)>"Cancel"</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! { <button type="button" class=format!("{SMALL_BUTTON} mt-2 text-red-800") on:click=move |_| set_confirming.set(true)>"Delete…"</button> }.into_any()
            }}
            {move || delete.value().get().and_then(Result::err).map(|error| view! {
                <p role="alert" class="mt-2 text-sm text-red-700">{error.to_string()}</p>
            })}
        </section>
    }
}

#[component]
pub fn ConfigNewPage() -> impl IntoView {
    let params = use_params_map();
    let resource = move || params.read().get("resource").unwrap_or_default();
    let schema = Resource::new(resource, form_schema);
    view! {
        <Transition fallback=|| view! { <p aria-live="polite">"Loading the form…"</p> }>
            {move || schema.get().map(|result| match result {
                Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                Err(error) => view! { <p role="alert" class="text-red-700">{error.to_string()}</p> }.into_any(),
                Ok(schema) => view! { <NewObjectForm resource=resource() schema /> }.into_any(),
            })}
        </Transition>
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
    let create = Action::new(move |fields: &Map<String, Value>| {
        let fields = fields.clone();
        let resource = name.get_value();
        async move { config_create(resource, fields).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(uri)) => {
            let key = uri
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            navigate(
                &format!("/config/{}/{key}", name.get_value()),
                Default::default(),
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
        <Title text=title.clone() />
        {breadcrumb(&resource)}
        <h1 class="mt-2 text-2xl font-semibold">{title}</h1>
        <div class="mt-6">
            <SchemaForm sections state errors resource=resource.clone() prefix="config" pending=create.pending()
                submit_label="Create" on_submit creating=true />
        </div>
    }
}
