//! The portal's name with its mark, linking home.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Brand() -> impl IntoView {
    view! {
        <A href="/" attr:class="flex items-center gap-2 font-semibold text-slate-900">
            <span aria-hidden="true" class="inline-block h-6 w-6 rounded bg-indigo-600"></span>
            "Pexip Portal"
        </A>
    }
}
