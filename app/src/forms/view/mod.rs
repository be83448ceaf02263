//! The Leptos components that render the engine: a [`SchemaForm`] of titled fieldsets, one
//! widget per field (labels tied to inputs, help text and errors described by the input), and
//! a read-only view for people who may only look.

mod field;
mod inline;
mod inputs;
mod pickers;

use super::check::check;
use super::errors::FormErrors;
use super::kind::{FieldKind, FieldSpec};
use super::layout::{Section, all_fields};
use super::state::FormState;
use super::value::summary;
use leptos::prelude::*;

pub use field::FieldWidget;

/// Classes shared by the widgets.
pub(crate) const INPUT: &str = "mt-1 w-full rounded border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500 disabled:bg-slate-100";
pub(crate) const BUTTON: &str = "rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-500 focus:ring-offset-2 disabled:opacity-60";
pub(crate) const SMALL_BUTTON: &str = "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-indigo-500";

/// What every widget of one form shares.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub state: RwSignal<FormState>,
    pub errors: RwSignal<FormErrors>,
    /// The resource the form edits (pickers ask for its related fields' options).
    pub resource: StoredValue<String>,
    /// Prefix of element ids, so two forms on a page do not clash.
    pub prefix: StoredValue<String>,
}

impl FormContext {
    pub fn id(&self, field: &str) -> String {
        format!("{}-{field}", self.prefix.get_value())
    }

    /// Sets a field and forgets the server's complaint about it.
    pub fn set(&self, field: &str, value: serde_json::Value) {
        self.state.update(|s| s.set(field, value));
        self.errors.update(|e| {
            e.fields.remove(field);
        });
    }
}

/// A create or edit form generated from `sections`. Submitting runs `on_submit` unless a text
/// cannot be read as its field's value; the limits found while typing are shown as hints, the
/// server's answer decides. The submit button is disabled while `pending`.
#[component]
pub fn SchemaForm(
    sections: Vec<Section>,
    state: RwSignal<FormState>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] resource: String,
    #[prop(into)] prefix: String,
    #[prop(into)] pending: Signal<bool>,
    submit_label: &'static str,
    on_submit: Callback<()>,
    /// A new object: read-only fields (all server-owned) are left out.
    #[prop(optional)]
    creating: bool,
    /// Where the form posts before the wasm has taken over (a server function taking the
    /// fields by name, as `application/x-www-form-urlencoded`); after hydration `on_submit`
    /// runs instead. None: the form needs the wasm.
    #[prop(optional, into)]
    action: Option<String>,
    /// Hidden fields posted with `action` (the object's id, say).
    #[prop(optional)]
    hidden: Vec<(&'static str, String)>,
) -> impl IntoView {
    let context = FormContext {
        state,
        errors,
        resource: StoredValue::new(resource),
        prefix: StoredValue::new(prefix.clone()),
    };
    let specs: Vec<FieldSpec> = all_fields(&sections).cloned().collect();
    let specs = StoredValue::new(specs);
    let hints =
        Memo::new(move |_| specs.with_value(|specs| state.with(|s| check(specs.iter(), s, false))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let unreadable = state.with_untracked(|s| s.input_errors().clone());
        if unreadable.is_empty() {
            errors.set(FormErrors::default());
            on_submit.run(());
        } else {
            errors.set(FormErrors::from_checks(unreadable));
        }
    };
    let top_id = format!("{prefix}-errors");
    let described = top_id.clone();
    view! {
        <form on:submit=submit novalidate class="space-y-8" aria-describedby=described
            method=action.is_some().then_some("post") action=action>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <div id=top_id aria-live="polite">
                {move || {
                    let top = errors.with(|e| e.top.clone());
                    (!top.is_empty()).then(|| view! {
                        <div role="alert" class="rounded border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-form-errors="top">
                            <ul class="list-disc pl-5">{top.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                        </div>
                    })
                }}
            </div>
            {sections.into_iter().filter_map(|section| {
                let fields: Vec<FieldSpec> = section.fields.into_iter().filter(|f| !(creating && f.read_only)).collect();
                (!fields.is_empty()).then(|| view! {
                    <fieldset class="min-w-0 rounded border border-slate-200 p-4">
                        <legend class="px-1 text-base font-semibold">{section.title}</legend>
                        <div class="grid gap-5 md:grid-cols-2">
                            {fields.into_iter().map(|spec| view! { <FieldWidget spec context hints /> }).collect_view()}
                        </div>
                    </fieldset>
                })
            }).collect_view()}
            <div>
                <button type="submit" class=BUTTON disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { submit_label }}
                </button>
            </div>
        </form>
    }
}

/// The values of an object for people who may not change it: label, value and help.
#[component]
pub fn ReadOnlyView(sections: Vec<Section>, object: serde_json::Value) -> impl IntoView {
    sections
        .into_iter()
        .map(|section| {
            view! {
                <section class="rounded border border-slate-200 p-4">
                    <h2 class="text-base font-semibold">{section.title}</h2>
                    <dl class="mt-3 grid gap-4 md:grid-cols-2">
                        {section.fields.into_iter().map(|spec| {
                            let choice = |value: &serde_json::Value| match &spec.kind {
                                FieldKind::Select { choices } => choices.iter().find(|c| &c.value == value).map(|c| c.label.clone()),
                                _ => None,
                            };
                            let text = object.get(&spec.name).map(|v| choice(v).unwrap_or_else(|| summary(v))).unwrap_or_else(|| "—".to_string());
                            view! {
                                <div>
                                    <dt class="text-sm font-medium text-slate-700">{spec.label}</dt>
                                    <dd class="mt-1 wrap-anywhere" data-field=spec.name>{text}</dd>
                                </div>
                            }
                        }).collect_view()}
                    </dl>
                </section>
            }
        })
        .collect_view()
}
