//! One field: its label, widget, help text and messages.

use super::FormContext;
use super::inline::InlineList;
use super::inputs::{JsonInput, NumberInput, SelectInput, TextInput, TimeInput, ToggleInput};
use super::pickers::{RelatedManyPicker, RelatedOnePicker};
use crate::forms::kind::{FieldKind, FieldSpec};
use crate::forms::value::summary;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub fn FieldWidget(
    spec: FieldSpec,
    context: FormContext,
    hints: Memo<BTreeMap<String, String>>,
) -> impl IntoView {
    let id = context.id(&spec.name);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let name = spec.name.clone();
    let server_messages = {
        let name = name.clone();
        move || context.errors.with(|e| e.field(&name))
    };
    let hint = {
        let name = name.clone();
        move || hints.with(|h| h.get(&name).cloned())
    };
    let invalid = {
        let server_messages = server_messages.clone();
        let hint = hint.clone();
        Signal::derive(move || !server_messages().is_empty() || hint().is_some())
    };
    let described = format!("{help_id} {error_id}");
    let widget = if spec.read_only {
        let name = name.clone();
        // A choice reads as its label ("Virtual Meeting Room", not `conference`).
        let choices = match &spec.kind {
            FieldKind::Select { choices } => choices.clone(),
            _ => Vec::new(),
        };
        let shown = move |value: &serde_json::Value| {
            choices
                .iter()
                .find(|c| &c.value == value)
                .map_or_else(|| summary(value), |c| c.label.clone())
        };
        view! {
            <p id=id.clone() class="mt-1 wrap-anywhere text-slate-700" data-field=spec.name.clone()>
                {move || context.state.with(|s| s.get(&name).map(&shown).unwrap_or_else(|| "—".into()))}
            </p>
        }
        .into_any()
    } else {
        let props = WidgetProps {
            spec: spec.clone(),
            id: id.clone(),
            described: described.clone(),
            invalid,
            context,
        };
        match &spec.kind {
            FieldKind::Text { .. } => view! { <TextInput props /> }.into_any(),
            FieldKind::Select { .. } => view! { <SelectInput props /> }.into_any(),
            FieldKind::Toggle => view! { <ToggleInput props /> }.into_any(),
            FieldKind::Number { .. } => view! { <NumberInput props /> }.into_any(),
            FieldKind::Date | FieldKind::DateTime | FieldKind::Time => {
                view! { <TimeInput props /> }.into_any()
            }
            FieldKind::RelatedOne => view! { <RelatedOnePicker props /> }.into_any(),
            FieldKind::RelatedMany => view! { <RelatedManyPicker props /> }.into_any(),
            FieldKind::Inline { .. } => view! { <InlineList props /> }.into_any(),
            FieldKind::File => {
                let name = name.clone();
                view! {
                    <p id=id.clone() class="mt-1 text-slate-700">
                        {move || context.state.with(|s| s.get(&name).map(summary).unwrap_or_else(|| "—".into()))}
                        <span class="block text-xs text-slate-600">"Choose a new file under “Files” below the form."</span>
                    </p>
                }
                .into_any()
            }
            FieldKind::Json => view! { <JsonInput props /> }.into_any(),
        }
    };
    let wide = matches!(
        spec.kind,
        FieldKind::Inline { .. } | FieldKind::RelatedMany | FieldKind::Json
    );
    let label_for = (!matches!(spec.kind, FieldKind::Inline { .. } | FieldKind::RelatedMany))
        .then(|| id.clone());
    view! {
        <div class=if wide { "min-w-0 md:col-span-2" } else { "min-w-0" } data-field-name=spec.name.clone()>
            {match label_for {
                Some(target) => view! {
                    <label for=target class="text-sm font-medium text-slate-800">
                        {spec.label.clone()}
                        {spec.required.then(|| view! { <span class="text-red-700" aria-hidden="true">" *"</span><span class="sr-only">" (required)"</span> })}
                    </label>
                }.into_any(),
                None => view! {
                    <span id=format!("{id}-label") class="text-sm font-medium text-slate-800">
                        {spec.label.clone()}
                        {spec.required.then(|| view! { <span class="text-red-700" aria-hidden="true">" *"</span><span class="sr-only">" (required)"</span> })}
                    </span>
                }.into_any(),
            }}
            {widget}
            <p id=error_id class="mt-1 text-sm text-red-700" aria-live="polite">
                {move || {
                    let messages = server_messages();
                    if messages.is_empty() {
                        hint().map(|h| view! { <span data-source="check">{h}</span> }.into_any())
                    } else {
                        Some(view! { <span data-source="server">{messages.join(" ")}</span> }.into_any())
                    }
                }}
            </p>
            {(!spec.help.is_empty()).then(|| view! {
                <p id=help_id class="mt-1 text-xs text-slate-600">{spec.help.clone()}</p>
            })}
        </div>
    }
}

/// What every widget gets.
#[derive(Clone)]
pub struct WidgetProps {
    pub spec: FieldSpec,
    pub id: String,
    /// Ids of the help and error texts (`aria-describedby`).
    pub described: String,
    pub invalid: Signal<bool>,
    pub context: FormContext,
}
