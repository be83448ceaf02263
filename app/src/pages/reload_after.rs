//! Reloading a route's data after the page's own changes.
//!
//! A lazy route's `data()` (in the initial bundle) makes the page's lists; the page's actions
//! live in the page (its own chunk), so that their arguments' encoding is not in the initial
//! bundle. The lists depend on a change counter instead, which the page bumps after each of its
//! changes with [`reload_after`].

use leptos::prelude::*;

/// Counts one more change in `changed` each time `versions` (the versions of the actions that
/// change a list) changes, not when the page opens.
pub fn reload_after<V: PartialEq + 'static>(
    versions: impl Fn() -> V + 'static,
    changed: RwSignal<u32>,
) {
    Effect::watch(versions, move |_, _, _| changed.update(|n| *n += 1), false);
}
