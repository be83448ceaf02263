//! Usage against an entitlement.

use leptos::prelude::*;

/// `used` of `total` as a bar; past the total it turns red.
#[component]
pub fn UsageBar(label: String, used: u64, total: u64) -> impl IntoView {
    let share = if total == 0 {
        if used == 0 { 0.0 } else { 1.0 }
    } else {
        (used as f64 / total as f64).min(1.0)
    };
    let over = used > total;
    let fill = if over {
        "fill-red-600"
    } else if share >= 0.8 {
        "fill-amber-500"
    } else {
        "fill-indigo-600"
    };
    let text = format!("{label}: {used} of {total} in use");
    view! {
        <div class="mt-3">
            <div class="flex justify-between text-sm">
                <span class="font-medium">{label.clone()}</span>
                <span class="usage-figures">{format!("{used} / {total}")}</span>
            </div>
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" class="mt-1 h-3 w-full" role="img" aria-label=text.clone()>
                <title>{text.clone()}</title>
                <rect x="0" y="0" width="100" height="6" rx="1" class="fill-slate-200" />
                <rect x="0" y="0" width=format!("{:.2}", share * 100.0) height="6" rx="1" class=fill />
            </svg>
        </div>
    }
}
