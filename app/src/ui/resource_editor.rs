//! One frame for the pages that edit one object with the form engine (a meeting room, any
//! configuration object): heading that follows a rename, the generated form or a read-only
//! view, "Saved.", what else the page shows, and the delete zone.

use super::Stack;
use super::delete_zone::{DeleteZone, Deletion};
use crate::api::AppError;
use crate::forms::layout::{Section, all_fields};
use crate::forms::view::{ReadOnlyView, SchemaForm};
use crate::forms::{FieldSpec, FormErrors, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::{Map, Value};

/// Saves the changed fields of the object.
pub type SaveAction = Action<Map<String, Value>, Result<(), AppError>>;

/// The editor of one loaded object. Without `save` it shows a read-only view (and
/// `read_only_note`); without `deletion` there is no delete zone.
#[component]
pub fn ResourceEditor(
    /// Heading and document title.
    title: String,
    /// The field whose saved value becomes the title (a rename), e.g. "name".
    #[prop(optional)]
    title_field: Option<&'static str>,
    #[prop(optional, into)] breadcrumb: ViewFn,
    /// Between the heading and the form (e.g. "Email the room details").
    #[prop(optional, into)]
    intro: ViewFn,
    sections: Vec<Section>,
    object: Map<String, Value>,
    /// The form engine's resource name (its pickers ask for related options).
    #[prop(into)]
    resource: String,
    /// Prefix of the form's element ids.
    prefix: &'static str,
    #[prop(optional_no_strip)] save: Option<SaveAction>,
    #[prop(optional)] read_only_note: Option<&'static str>,
    /// The id of the "Saved." line.
    #[prop(optional)]
    saved_id: Option<&'static str>,
    #[prop(optional_no_strip)] deletion: Option<Deletion>,
    /// Shown after the form, before the delete zone.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let (title, set_title) = signal(title);
    let body = match save {
        Some(save) => view! {
            <EditForm sections object resource prefix save saved_id title_field set_title />
        }
        .into_any(),
        None => view! {
            {read_only_note.map(|note| view! { <p class="mt-2 hint">{note}</p> })}
            <Stack space=super::stack::Space::Large>
                <ReadOnlyView sections object=Value::Object(object) />
            </Stack>
        }
        .into_any(),
    };
    view! {
        // `try_get`: leptos_meta may read it after the page is gone (a lazy route replaced it).
        <Title text=move || title.try_get().unwrap_or_default() />
        {breadcrumb.run()}
        <h1 class="page-title">{move || title.get()}</h1>
        {intro.run()}
        {body}
        {children.map(|children| children())}
        {deletion.map(|deletion| view! { <DeleteZone deletion /> })}
    }
}

/// The edit form: sends only the changed fields; "Nothing has changed." otherwise.
#[component]
fn EditForm(
    sections: Vec<Section>,
    object: Map<String, Value>,
    resource: String,
    prefix: &'static str,
    save: SaveAction,
    saved_id: Option<&'static str>,
    title_field: Option<&'static str>,
    set_title: WriteSignal<String>,
) -> impl IntoView {
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let state = RwSignal::new(specs.with_value(|s| FormState::for_edit(s.iter(), &object)));
    let errors = RwSignal::new(FormErrors::default());
    let (saved, set_saved) = signal(false);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            state.update(FormState::mark_saved);
            set_saved.set(true);
            let renamed =
                title_field.and_then(|field| state.with_untracked(|s| s.get(field).cloned()));
            if let Some(Value::String(name)) = renamed {
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
            <SchemaForm sections state errors resource prefix pending=save.pending()
                submit_label="Save changes" on_submit />
            <p id=saved_id role="status" class="status-line">{move || saved.get().then_some("Saved.")}</p>
        </div>
    }
}
