//! The Tailwind classes the data pages share.

pub const INPUT: &str = "mt-1 w-full rounded border border-slate-300 px-3 py-2";
pub const LABEL: &str = "text-sm font-medium";
pub const SMALL_BUTTON: &str =
    "rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-60";
pub const TABLE: &str = "mt-3 w-full text-left text-sm";
pub const HEAD_ROW: &str = "border-b border-slate-200";
pub const ROW: &str = "border-b border-slate-100 align-top";
pub const BADGE: &str =
    "ml-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700";
