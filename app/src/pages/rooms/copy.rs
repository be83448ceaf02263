//! The copy button now lives in the UI kit; this re-export goes once the room cards import it
//! from `crate::ui`.

pub use crate::ui::CopyButton;
