//! The page frame of the signed-out pages: one narrow column in the middle of the screen.

use leptos::prelude::*;

/// `<main id="main">`, its blocks (a [`Card`](super::Card), a notice) centred one under the
/// other, each as wide as a phone at most.
#[component]
pub fn SignInFrame(children: Children) -> impl IntoView {
    view! {
        <main id="main" class="flex min-h-screen flex-col items-center justify-center gap-6 px-4 py-8 [&>*]:w-full [&>*]:max-w-sm">
            {children()}
        </main>
    }
}
