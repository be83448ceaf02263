//! Pages, one module each.

mod audit;
mod home;
mod login;
mod not_found;
mod section;
pub mod sections;
mod users;

pub use audit::AuditPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use section::SectionPage;
pub use users::UsersPage;
