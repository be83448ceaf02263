//! A to-many relation edited inline: one row per sub-object (a conference's aliases with their
//! descriptions), rows added and removed in place; the whole list is sent when it changed.

use super::field::WidgetProps;
use super::{INPUT, SMALL_BUTTON};
use crate::forms::kind::FieldKind;
use crate::forms::labels::{field_label, singular};
use leptos::prelude::*;
use serde_json::{Map, Value};

#[component]
pub fn InlineList(props: WidgetProps) -> impl IntoView {
    let context = props.context;
    let name = StoredValue::new(props.spec.name.clone());
    let columns = match &props.spec.kind {
        FieldKind::Inline { columns } => columns.clone(),
        _ => Vec::new(),
    };
    let columns = StoredValue::new(columns);
    let rows = move || {
        context.state.with(|s| {
            s.get(&name.get_value())
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
    };
    let write = move |rows: Vec<Value>| context.set(&name.get_value(), Value::Array(rows));
    let singular = StoredValue::new(singular(&props.spec.name));
    let id = StoredValue::new(props.id.clone());
    let count = move || rows().len();
    view! {
        <div role="group" aria-labelledby=format!("{}-label", props.id) aria-describedby=props.described.clone() class="mt-1">
            <table class="w-full text-left text-sm">
                <thead><tr>
                    {columns.get_value().into_iter().map(|c| view! { <th scope="col" class="pb-1 font-medium">{field_label(&c)}</th> }).collect_view()}
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    <For each=move || 0..count() key=|i| *i let:index>
                        <tr>
                            {columns.get_value().into_iter().map(|column| {
                                let cell_id = format!("{}-{index}-{column}", id.get_value());
                                let label = format!("{} {}", field_label(&column), index + 1);
                                let read = column.clone();
                                view! {
                                    <td class="pr-2 pb-2">
                                        <input id=cell_id type="text" class=INPUT aria-label=label autocomplete="off"
                                            prop:value=move || rows().get(index).and_then(|r| r.get(&read)).and_then(Value::as_str).unwrap_or_default().to_string()
                                            on:input=move |ev| {
                                                let mut all = rows();
                                                if let Some(Value::Object(row)) = all.get_mut(index) {
                                                    row.insert(column.clone(), Value::from(event_target_value(&ev)));
                                                }
                                                write(all);
                                            } />
                                    </td>
                                }
                            }).collect_view()}
                            <td class="pb-2 align-middle">
                                <button type="button" class=SMALL_BUTTON
                                    aria-label=move || format!("Remove {} {}", singular.get_value(), index + 1)
                                    on:click=move |_| {
                                        let mut all = rows();
                                        if index < all.len() {
                                            all.remove(index);
                                        }
                                        write(all);
                                    }>
                                    "Remove"
                                </button>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <button type="button" class=format!("{SMALL_BUTTON} mt-1")
                on:click=move |_| {
                    let mut all = rows();
                    let row: Map<String, Value> = columns.get_value().into_iter().map(|c| (c, Value::from(""))).collect();
                    all.push(Value::Object(row));
                    let new_index = all.len() - 1;
                    write(all);
                    // Focus the new row's first input.
                    #[cfg(not(feature = "hydrate"))]
                    let _ = new_index;
                    #[cfg(feature = "hydrate")]
                    {
                        let first = columns.get_value().first().cloned().unwrap_or_default();
                        let target = format!("{}-{new_index}-{first}", id.get_value());
                        request_animation_frame(move || {
                            if let Some(el) = document().get_element_by_id(&target) {
                                use leptos::wasm_bindgen::JsCast;
                                if let Ok(input) = el.dyn_into::<leptos::web_sys::HtmlElement>() {
                                    let _ = input.focus();
                                }
                            }
                        });
                    }
                }>
                {move || format!("Add {}", singular.get_value())}
            </button>
        </div>
    }
}
