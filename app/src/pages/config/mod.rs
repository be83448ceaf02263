//! The configuration browser (admins): every configuration resource the Management Node serves,
//! discovered from its schema root, with a paged list, each object's form and new objects,
//! all through the schema-driven form engine. Deleting a whole list is never offered.

mod certificates;
mod files;
mod index;
mod list;
mod object;

pub use index::ConfigIndexPage;
pub use list::ConfigListPage;
pub use object::{ConfigNewPage, ConfigObjectPage};

use crate::forms::labels::field_label;

/// A resource's readable name: `system_location` → "System location".
pub fn resource_title(resource: &str) -> String {
    field_label(resource)
}
