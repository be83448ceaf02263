//! The scalar widgets: text, select, toggle, number, date/time and raw JSON. Nullable fields get
//! an explicit "Not set" that sends `null`.

use super::INPUT;
use super::field::WidgetProps;
use crate::forms::kind::FieldKind;
use crate::forms::value::{display, from_option_key, option_key, parse};
use leptos::prelude::*;
use serde_json::Value;

/// The "Not set" checkbox of a nullable field whose widget cannot say null by itself.
fn not_set_box(props: &WidgetProps, restore: Value) -> impl IntoView + use<> {
    let context = props.context;
    let name = props.spec.name.clone();
    let id = format!("{}-null", props.id);
    let is_null = {
        let name = name.clone();
        move || {
            context
                .state
                .with(|s| s.get(&name).is_none_or(Value::is_null))
        }
    };
    let label_for = id.clone();
    view! {
        <label for=label_for class="mt-1 flex items-center gap-2 text-sm text-slate-700">
            <input id=id type="checkbox" class="h-4 w-4 focus:ring-2 focus:ring-indigo-500"
                prop:checked=is_null
                on:change=move |ev| {
                    let value = if event_target_checked(&ev) { Value::Null } else { restore.clone() };
                    context.set(&name, value);
                } />
            "Not set"
        </label>
    }
}

#[component]
pub fn TextInput(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let kind = props.spec.kind.clone();
    let (max_length, digits) = match &kind {
        FieldKind::Text {
            max_length, digits, ..
        } => (*max_length, *digits),
        _ => (None, None),
    };
    let value = {
        let (name, kind) = (name.clone(), kind.clone());
        move || context.state.with(|s| display(&kind, s.get(&name)))
    };
    let is_null = {
        let name = name.clone();
        move || {
            context
                .state
                .with(|s| s.get(&name).is_some_and(Value::is_null))
        }
    };
    let input_name = name.clone();
    let nullable = props
        .spec
        .nullable
        .then(|| not_set_box(&props, Value::from("")));
    let long = max_length.is_some_and(|m| m > 250);
    view! {
        {if long {
            view! {
                <textarea id=props.id.clone() name=input_name class=INPUT rows="3"
                    maxlength=max_length.map(|m| m.to_string())
                    aria-describedby=props.described.clone()
                    aria-invalid=move || props.invalid.get().to_string()
                    disabled=is_null.clone()
                    prop:value=value
                    on:input=move |ev| context.set(&name, Value::from(event_target_value(&ev)))></textarea>
            }.into_any()
        } else {
            view! {
                <input id=props.id.clone() name=input_name type="text" class=INPUT autocomplete="off"
                    maxlength=max_length.map(|m| m.to_string())
                    inputmode=digits.map(|_| "numeric")
                    aria-describedby=props.described.clone()
                    aria-invalid=move || props.invalid.get().to_string()
                    aria-required=props.spec.required.to_string()
                    disabled=is_null.clone()
                    value=value.clone()
                    prop:value=value
                    on:input=move |ev| context.set(&name, Value::from(event_target_value(&ev))) />
            }.into_any()
        }}
        {nullable}
    }
}

#[component]
pub fn SelectInput(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let choices = match &props.spec.kind {
        FieldKind::Select { choices } => choices.clone(),
        _ => Vec::new(),
    };
    let known: Vec<Value> = choices.iter().map(|c| c.value.clone()).collect();
    let current = {
        let name = name.clone();
        move || {
            context
                .state
                .with(|s| s.get(&name).cloned().unwrap_or(Value::Null))
        }
    };
    // A value the schema does not list (an older or newer node's) stays selectable as it is.
    let unknown = {
        let current = current.clone();
        move || {
            let value = current();
            (!value.is_null() && !known.contains(&value)).then(|| {
                let text = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                view! { <option value=option_key(&value) selected=true>{text}</option> }
            })
        }
    };
    let nullable = props.spec.nullable;
    let selected = move |value: &Value| current() == *value;
    view! {
        <select id=props.id.clone() name=name.clone() class=INPUT
            aria-describedby=props.described.clone()
            aria-invalid=move || props.invalid.get().to_string()
            on:change=move |ev| context.set(&name, from_option_key(&event_target_value(&ev)))>
            {nullable.then(|| {
                let selected = selected.clone();
                view! { <option value="null" selected=move || selected(&Value::Null)>"Not set"</option> }
            })}
            {choices.into_iter().map(|choice| {
                let selected = selected.clone();
                let value = choice.value.clone();
                view! { <option value=option_key(&choice.value) selected=move || selected(&value)>{choice.label}</option> }
            }).collect_view()}
            {unknown}
        </select>
    }
}

#[component]
pub fn ToggleInput(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let checked = {
        let name = name.clone();
        move || {
            context
                .state
                .with(|s| s.get(&name) == Some(&Value::Bool(true)))
        }
    };
    view! {
        <div class="mt-2">
            <input id=props.id.clone() name=name.clone() type="checkbox" role="switch"
                class="h-5 w-5 rounded focus:ring-2 focus:ring-indigo-500"
                aria-describedby=props.described.clone()
                checked=checked.clone()
                prop:checked=checked
                on:change=move |ev| context.set(&name, Value::Bool(event_target_checked(&ev))) />
        </div>
    }
}

#[component]
pub fn NumberInput(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let kind = props.spec.kind.clone();
    let (integer, min, max) = match &kind {
        FieldKind::Number { integer, min, max } => (*integer, *min, *max),
        _ => (false, None, None),
    };
    // Read once: a half-typed number must not be overwritten by the last readable value.
    let value = context
        .state
        .with_untracked(|s| display(&kind, s.get(&name)));
    view! {
        <input id=props.id.clone() name=name.clone() type="number" class=INPUT
            min=min.map(|m| m.to_string()) max=max.map(|m| m.to_string())
            step=if integer { "1" } else { "any" }
            placeholder=props.spec.nullable.then_some("Not set")
            aria-describedby=props.described.clone()
            aria-invalid=move || props.invalid.get().to_string()
            prop:value=value
            on:input=move |ev| match parse(&kind, &event_target_value(&ev)) {
                Ok(value) => context.set(&name, value),
                Err(message) => context.state.update(|s| s.set_input_error(&name, message)),
            } />
    }
}

/// Date, date-and-time and time inputs (naive UTC, as the API writes them).
#[component]
pub fn TimeInput(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let kind = props.spec.kind.clone();
    let input_type = match kind {
        FieldKind::Date => "date",
        FieldKind::Time => "time",
        _ => "datetime-local",
    };
    let value = context
        .state
        .with_untracked(|s| display(&kind, s.get(&name)));
    view! {
        <input id=props.id.clone() name=name.clone() type=input_type step="1" class=INPUT
            aria-describedby=props.described.clone()
            aria-invalid=move || props.invalid.get().to_string()
            prop:value=value
            on:input=move |ev| match parse(&kind, &event_target_value(&ev)) {
                Ok(value) => context.set(&name, value),
                Err(message) => context.state.update(|s| s.set_input_error(&name, message)),
            } />
        <span class="text-xs text-slate-600">"UTC"</span>
    }
}

/// Raw JSON, for types the engine does not know.
#[component]
pub fn JsonInput(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = props.spec.name.clone();
    let kind = props.spec.kind.clone();
    let initial = context
        .state
        .with_untracked(|s| display(&kind, s.get(&name)));
    view! {
        <textarea id=props.id.clone() name=name.clone() rows="4" class=format!("{INPUT} font-mono text-sm")
            spellcheck="false"
            aria-describedby=props.described.clone()
            aria-invalid=move || props.invalid.get().to_string()
            prop:value=initial
            on:input=move |ev| match parse(&kind, &event_target_value(&ev)) {
                Ok(value) => context.set(&name, value),
                Err(message) => context.state.update(|s| s.set_input_error(&name, message)),
            }></textarea>
    }
}
