//! Blocks one under the other with even space between.

use leptos::prelude::*;

/// How much space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Space {
    Small,
    #[default]
    Medium,
    Large,
}

#[component]
pub fn Stack(
    #[prop(optional)] space: Space,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let class = match space {
        Space::Small => "mt-2 space-y-2",
        Space::Medium => "mt-4 space-y-4",
        Space::Large => "mt-6 space-y-6",
    };
    view! { <div id=id class=class>{children()}</div> }
}
