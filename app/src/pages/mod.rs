//! Pages, one module each.

mod audit;
pub mod config;
mod home;
mod login;
mod not_found;
pub mod rooms;
mod rooms_import;
mod section;
pub mod sections;
mod users;

pub use audit::AuditPage;
pub use config::{ConfigIndexPage, ConfigListPage, ConfigNewPage, ConfigObjectPage};
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use rooms::{RoomEditPage, RoomNewPage, RoomsPage};
pub use rooms_import::{RoomsCsvLinks, RoomsImportPage};
pub use section::SectionPage;
pub use users::UsersPage;
