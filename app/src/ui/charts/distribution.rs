//! How a whole splits into named parts (call quality classes, protocols).

use leptos::prelude::*;

/// One row per `(name, count)`: the name, the count with its share of the total, and a bar.
#[component]
pub fn Distribution(id: &'static str, parts: Vec<(String, u64)>) -> impl IntoView {
    let total: u64 = parts.iter().map(|(_, c)| *c).sum();
    let rows = parts
        .into_iter()
        .map(|(name, count)| {
            let share = if total == 0 { 0.0 } else { count as f64 / total as f64 };
            let figures = format!("{count} ({:.0} %)", share * 100.0);
            let text = format!("{name}: {figures}");
            view! {
                <li class="mt-2">
                    <div class="flex justify-between text-sm">
                        <span class="font-medium">{name}</span>
                        <span class="distribution-figures">{figures}</span>
                    </div>
                    <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="mt-1 h-3 w-full" role="img" aria-label=text.clone()>
                        <title>{text.clone()}</title>
                        <rect x="0" y="0" width="100" height="6" rx="1" class="fill-slate-200" />
                        <rect x="0" y="0" width=format!("{:.2}", share * 100.0) height="6" rx="1" class="fill-indigo-600" />
                    </svg>
                </li>
            }
        })
        .collect_view();
    view! { <ul id=id class="max-w-xl">{rows}</ul> }
}
