//! The charts now live in the UI kit; this re-export goes once the pages import `crate::ui::charts`.

pub use crate::ui::charts::*;
