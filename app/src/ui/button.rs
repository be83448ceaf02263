//! Buttons: one look per intent, with a busy state while their action runs.

use leptos::prelude::*;

/// What a button does, which sets how it looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Variant {
    /// The page's main action (submit a form).
    #[default]
    Primary,
    /// A small action next to data (refresh, enable, end sessions).
    Secondary,
    /// A small outlined action that starts something destructive (asks first).
    Danger,
    /// The confirming button of a destructive action.
    DangerStrong,
    /// A small solid red button (the "Yes" of an in-place confirmation).
    DangerSmall,
}

impl Variant {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Variant::Primary => "btn btn-primary",
            Variant::Secondary => "btn btn-secondary",
            Variant::Danger => "btn btn-danger",
            Variant::DangerStrong => "btn btn-danger-strong",
            Variant::DangerSmall => "btn btn-danger-small",
        }
    }
}

/// A `<button>`. While `busy` it is disabled, says `aria-busy` and, with a `busy_label`, says
/// that instead of its text ("Saving…"). Pass `id`, `aria-label`, `data-testid` with
/// `attr:id=…` etc.
#[component]
pub fn Button(
    #[prop(optional)] variant: Variant,
    /// The element's id (for labels, tests and in-page links).
    #[prop(optional)]
    id: Option<&'static str>,
    /// A submit button of the surrounding form (default: a plain button).
    #[prop(optional)]
    submit: bool,
    /// The action is running.
    #[prop(optional, into)]
    busy: Signal<bool>,
    /// The text while busy, e.g. "Saving…".
    #[prop(optional)]
    busy_label: Option<&'static str>,
    /// Disabled for another reason than being busy.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    #[prop(optional, into)] on_click: Option<Callback<()>>,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <button
            id=id
            type=if submit { "submit" } else { "button" }
            class=variant.class()
            disabled=move || busy.get() || disabled.get()
            aria-busy=move || busy.get().then_some("true")
            on:click=move |_| {
                if let Some(on_click) = on_click {
                    on_click.run(());
                }
            }
        >
            {move || match (busy.get(), busy_label) {
                (true, Some(label)) => label.into_any(),
                _ => children.with_value(|c| c()).into_any(),
            }}
        </button>
    }
}
