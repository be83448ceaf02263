//! A column header that sorts the table by its column (a link, so it works before the wasm).

use leptos::prelude::*;
use leptos_router::components::A;

/// Which way a column is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    Ascending,
    Descending,
}

/// `<th aria-sort>` with a link to the table sorted by this column: ascending first, the other
/// way when it already is.
#[component]
pub fn SortHeader(
    #[prop(into)] label: String,
    /// How the table is sorted by this column now, if it is.
    #[prop(optional)]
    current: Option<SortDirection>,
    /// The address of the table sorted by this column in a direction.
    #[prop(into)]
    href: Callback<SortDirection, String>,
) -> impl IntoView {
    let (aria, arrow, next) = match current {
        Some(SortDirection::Ascending) => ("ascending", " ↑", SortDirection::Descending),
        Some(SortDirection::Descending) => ("descending", " ↓", SortDirection::Ascending),
        None => ("none", "", SortDirection::Ascending),
    };
    view! {
        <th scope="col" aria-sort=aria>
            <A href=href.run(next)>{label}<span aria-hidden="true">{arrow}</span></A>
        </th>
    }
}
