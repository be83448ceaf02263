//! The notices now live in the UI kit; this re-export goes once every page imports `crate::ui`.

pub use crate::ui::{Empty, ErrorNotice, Loading};
