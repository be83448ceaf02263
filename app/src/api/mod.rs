//! The BFF surface the pages use: server functions, named by use, at stable endpoint paths under
//! `/api/` (listed with the role each needs in the README). Each one authenticates the session
//! and leaves every authorization decision to `bff::policy` on the server.

pub mod audit;
pub mod auth;
pub mod backups;
pub mod config;
#[cfg(feature = "ssr")]
mod context;
pub mod deferred;
pub mod devices;
pub mod devices_bulk;
pub mod error;
#[cfg(feature = "ssr")]
mod fields;
#[cfg(feature = "ssr")]
mod form_post;
pub mod forms;
pub mod history;
mod json_text;
pub mod licence_offline;
pub mod licences;
pub mod live;
pub mod media;
pub mod room_choices;
pub mod room_join;
pub mod rooms;
pub mod rooms_bulk;
pub mod status;
pub mod template_sync;
pub mod uploads;
pub mod usage;
pub mod users;

pub use deferred::Deferred;
pub use error::AppError;
pub use json_text::JsonText;
