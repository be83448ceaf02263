//! The schema-driven form engine: any configuration resource's create and edit forms, built at
//! run time from the tastypie schema the Management Node serves (so a newer node's extra
//! fields and choices appear with no code change).
//!
//! The logic is plain Rust, tested without a browser: what widget a field gets ([`kind`]),
//! readable labels ([`labels`]), the per-resource layout table ([`layout`]), values between
//! JSON and inputs ([`value`]), the form state and its diff ([`state`]), client-side checks
//! ([`check`]) and server errors placed at their fields ([`errors`]). The Leptos components
//! that render it are in [`view`].

pub mod check;
pub mod errors;
pub mod kind;
pub mod labels;
pub mod layout;
pub mod state;
pub mod value;
pub mod view;

#[cfg(test)]
mod tests;

pub use errors::{FormErrors, ShownField};
pub use kind::{FieldKind, FieldSpec};
pub use layout::{Layout, Section};
pub use state::FormState;
