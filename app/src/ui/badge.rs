//! A short label next to a value: a state, a count, a warning.

use leptos::prelude::*;

/// What a badge signals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Neutral,
    Warn,
    Good,
    Bad,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "badge badge-neutral",
            Tone::Warn => "badge badge-warn",
            Tone::Good => "badge badge-good",
            Tone::Bad => "badge badge-bad",
        }
    }
}

#[component]
pub fn Badge(
    /// May change (a feed that goes from live to stale).
    #[prop(optional, into)]
    tone: Signal<Tone>,
    children: Children,
) -> impl IntoView {
    view! { <span class=move || tone.get().class()>{children()}</span> }
}
