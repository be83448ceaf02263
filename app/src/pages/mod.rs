//! Pages, one module each, and the pieces the data pages share.

mod audit;
mod backups;
mod charts;
pub mod config;
mod confirm;
mod format;
mod history;
mod home;
mod licences;
mod live;
mod login;
mod not_found;
mod notice;
mod restore;
pub mod rooms;
mod rooms_import;
pub mod sections;
mod style;
mod users;

pub use audit::AuditPage;
pub use backups::BackupsPage;
pub use config::{ConfigIndexPage, ConfigListPage, ConfigNewPage, ConfigObjectPage};
pub use history::{HistoryDetailPage, HistoryPage};
pub use home::HomePage;
pub use licences::LicencesPage;
pub use live::LivePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use rooms::{RoomEditPage, RoomNewPage, RoomsPage};
pub use rooms_import::{RoomsCsvLinks, RoomsImportPage};
pub use users::UsersPage;
