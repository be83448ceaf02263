//! The file fields of a configuration object (an IVR theme's `package`): chosen in a file
//! chooser with the size limit shown, sent with progress to `POST /api/config/upload`, which
//! PATCHes the file onto the object. A new object is created first and its files sent right
//! after, in the same user action (the node ignores files in a POST).

use crate::api::AppError;
use crate::api::uploads::{self, FileLimits, size_text, upload_limits};
use crate::ui::{Button, ErrorNotice, FileField, Section, Stack};
use leptos::html::Input;
use leptos::prelude::*;
use pexip::{FieldType, Schema};

/// One writable file field of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSpec {
    pub name: String,
    pub label: String,
    pub help: String,
}

/// The writable file fields of `schema`, in its order.
pub fn file_fields(schema: &Schema) -> Vec<FileSpec> {
    schema
        .fields
        .iter()
        .filter(|(_, f)| f.field_type == FieldType::File && !f.readonly)
        .map(|(name, f)| FileSpec {
            name: name.clone(),
            label: crate::forms::labels::field_label(name),
            help: f.help_text.clone(),
        })
        .collect()
}

/// What the file chooser's `accept` is for a known file field (empty: any file).
fn accept(resource: &str, field: &str) -> &'static str {
    match (resource, field) {
        ("ivr_theme", "package") => ".zip,application/zip",
        _ => "",
    }
}

/// The size limit, once loaded, as text.
fn limit_text() -> Signal<Option<String>> {
    let limits = Resource::new(|| (), |_| upload_limits());
    Signal::derive(move || {
        limits
            .get()
            .and_then(Result::ok)
            .map(|l: FileLimits| size_text(l.max_file_bytes))
    })
}

/// Sends the file chosen in `input` as `field` of object `id` of `resource`.
pub fn upload(
    resource: &str,
    id: &str,
    field: &str,
    input: &leptos::web_sys::HtmlInputElement,
    progress: RwSignal<Option<f64>>,
    done: Callback<Result<String, AppError>>,
) -> Result<(), String> {
    uploads::send(
        "/api/config/upload",
        &[
            ("resource", resource.to_string()),
            ("id", id.to_string()),
            ("field", field.to_string()),
        ],
        "file",
        input,
        progress,
        done,
    )
}

/// Whether a file is chosen in `input`.
pub fn has_file(input: &NodeRef<Input>) -> bool {
    input
        .get_untracked()
        .is_some_and(|element| !element.value().is_empty())
}

/// "Files": one chooser and upload button per file field of an existing object.
#[component]
pub fn FileUploads(
    resource: String,
    id: String,
    fields: Vec<FileSpec>,
    /// Gets what was uploaded ("The package was uploaded."), once the node took it.
    #[prop(into)]
    on_uploaded: Callback<String>,
) -> impl IntoView {
    let limit = limit_text();
    view! {
        <Section heading_id="files-heading" title="Files">
            <Stack>
                {fields.into_iter().map(|field| view! {
                    <FileUpload resource=resource.clone() id=id.clone() field limit on_uploaded />
                }).collect_view()}
            </Stack>
        </Section>
    }
}

#[component]
fn FileUpload(
    resource: String,
    id: String,
    field: FileSpec,
    limit: Signal<Option<String>>,
    on_uploaded: Callback<String>,
) -> impl IntoView {
    let input = NodeRef::<Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<Result<(), AppError>>);
    let accept = accept(&resource, &field.name);
    let uploaded = format!("The {} was uploaded.", field.label.to_lowercase());
    let target = StoredValue::new((resource, id, field.name.clone()));
    let start = Callback::new(move |()| {
        outcome.set(None);
        let Some(element) = input.get_untracked() else {
            return;
        };
        let uploaded = uploaded.clone();
        let done = Callback::new(move |result: Result<String, AppError>| {
            match result {
                // The page reads the object again and says so.
                Ok(_) => on_uploaded.run(uploaded.clone()),
                Err(error) => outcome.set(Some(Err(error))),
            }
        });
        let started = target.with_value(|(resource, id, field)| {
            upload(resource, id, field, &element, progress, done)
        });
        if let Err(message) = started {
            outcome.set(Some(Err(AppError::Request(message))));
        }
    });
    let name = field.name.clone();
    let error = Signal::derive(move || match outcome.get() {
        Some(Err(error)) => {
            let messages = error.field(&name);
            (!messages.is_empty()).then(|| messages.join(" "))
        }
        _ => None,
    });
    view! {
        <Stack>
            <FileField id=format!("upload-{}", field.name) label=format!("New {}", field.label.to_lowercase())
                node_ref=input accept=accept limit help=field.help.clone() error
                progress=Signal::derive(move || progress.get()) />
            <div>
                <Button on_click=start busy=Signal::derive(move || progress.get().is_some())>"Upload"</Button>
            </div>
            {move || outcome.get().and_then(Result::err).map(|error| view! { <ErrorNotice error inline=true /> })}
        </Stack>
    }
}

/// Choosers for the file fields of a new object; the page sends the chosen files once the
/// object exists (see [`upload_all`]).
#[component]
pub fn NewFileInputs(
    resource: String,
    fields: Vec<(FileSpec, NodeRef<Input>)>,
    #[prop(into)] progress: Signal<Option<f64>>,
) -> impl IntoView {
    let limit = limit_text();
    view! {
        <Section heading_id="files-heading" title="Files">
            <Stack>
                {fields.into_iter().map(|(field, input)| view! {
                    <FileField id=format!("upload-{}", field.name) label=format!("{} file", field.label) node_ref=input
                        accept=accept(&resource, &field.name) limit help=format!("{} Sent once the object is created.", field.help)
                        progress />
                }).collect_view()}
            </Stack>
        </Section>
    }
}

/// Sends the chosen files of `fields` to object `id` one after another; `done` gets the first
/// failure (the field and the error) or success.
pub fn upload_all(
    resource: String,
    id: String,
    mut fields: Vec<(String, NodeRef<Input>)>,
    progress: RwSignal<Option<f64>>,
    done: Callback<Result<(), (String, AppError)>>,
) {
    fields.retain(|(_, input)| has_file(input));
    if fields.is_empty() {
        done.run(Ok(()));
        return;
    }
    let (field, input) = fields.remove(0);
    let Some(element) = input.get_untracked() else {
        done.run(Ok(()));
        return;
    };
    let next = {
        let (resource, id, field) = (resource.clone(), id.clone(), field.clone());
        Callback::new(move |result: Result<String, AppError>| match result {
            Ok(_) => upload_all(resource.clone(), id.clone(), fields.clone(), progress, done),
            Err(error) => done.run(Err((field.clone(), error))),
        })
    };
    if let Err(message) = upload(&resource, &id, &field, &element, progress, next) {
        done.run(Err((field, AppError::Request(message))));
    }
}
