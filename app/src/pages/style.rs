//! The Tailwind class the room cards still share (they move to the kit's `Badge` next; then this
//! file goes).

pub const BADGE: &str =
    "ml-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700";
