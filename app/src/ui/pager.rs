//! Paging through a long list: previous/next, where we are, how many in all, and the page size.

use leptos::prelude::*;
use leptos_router::components::A;

/// `<nav aria-label="Pages">` with "← Previous", "Page 2 of 7", "Next →", the total, and links
/// for each page size in `sizes` (the current one marked). Links, so that paging works before
/// the wasm arrives.
#[component]
pub fn Pager(
    /// 1-based.
    page: u64,
    size: u64,
    total: u64,
    /// What the list holds, for the total: "rooms" → "143 rooms".
    #[prop(optional)]
    noun: Option<&'static str>,
    /// Page sizes to offer (none: no choice).
    #[prop(optional)]
    sizes: &'static [u64],
    /// The address of a page at a page size.
    #[prop(into)]
    href: Callback<(u64, u64), String>,
) -> impl IntoView {
    let pages = total.div_ceil(size.max(1)).max(1);
    view! {
        <nav aria-label="Pages" class="pager">
            {(page > 1).then(|| view! { <A href=href.run((page - 1, size)) attr:rel="prev" attr:class="link">"← Previous"</A> })}
            <span>{format!("Page {page} of {pages}")}</span>
            {(page < pages).then(|| view! { <A href=href.run((page + 1, size)) attr:rel="next" attr:class="link">"Next →"</A> })}
            {noun.map(|noun| view! { <span class="text-slate-600">{format!("{total} {noun}")}</span> })}
            {(!sizes.is_empty()).then(|| view! {
                <span class="flex items-center gap-2">
                    <span class="text-slate-600">"Per page:"</span>
                    {sizes.iter().map(|&s| view! {
                        <A href=href.run((1, s)) attr:class="link"
                            attr:aria-current=(s == size).then_some("true")>
                            {s.to_string()}<span class="sr-only">" per page"</span>
                        </A>
                    }).collect_view()}
                </span>
            })}
        </nav>
    }
}
