//! A table of records: scrolls sideways on narrow screens, rows and cells styled by the kit.

use leptos::prelude::*;

/// `<table>` in a horizontally scrolling box. Write plain `<thead>`, `<tr>`, `<th scope="col">`
/// and `<td>` inside (the `data-table` class styles them); use [`SortHeader`](super::SortHeader)
/// for a sortable column. `id` is the table's (tests and links find it by it).
#[component]
pub fn DataTable(
    #[prop(optional)] id: Option<&'static str>,
    /// Says what the table holds (visually hidden; the heading above usually shows it).
    #[prop(optional)]
    caption: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table id=id class="data-table">
                {caption.map(|caption| view! { <caption class="sr-only">{caption}</caption> })}
                {children()}
            </table>
        </div>
    }
}
