//! Pages, one module each.

mod home;
mod login;
mod not_found;
mod section;
pub mod sections;

pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use section::SectionPage;
