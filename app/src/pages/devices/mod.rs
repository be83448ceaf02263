//! Device aliases: the list (`/devices`, search by alias, paging), a new device
//! (`/devices/new`) and one device (`/devices/<id>`), through the schema-driven form engine.
//! Admins see every device; tenant admins their tenant's (the policy decides on the server).

mod edit;
mod list;

pub use edit::{DeviceEditPage, DeviceNewPage};
pub use list::DevicesPage;

/// The configuration resource of device aliases.
const RESOURCE: &str = "device";
