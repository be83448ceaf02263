//! Portal accounts: the model and rules (shared with the UI), and with `ssr` the database
//! functions, argon2id passwords, sign-in, the first-start `admin` and the `user` CLI.

mod model;
mod role;
pub mod validate;

pub use model::{Account, AccountUpdate, DEMO_SOURCE, LOCAL_SOURCE, NewAccount, Principal};
pub use role::{Role, UnknownRole};

#[cfg(feature = "ssr")]
mod bootstrap;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
mod demo_people;
#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
mod external;
#[cfg(feature = "ssr")]
mod hashing_limit;
#[cfg(feature = "ssr")]
mod login;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub(crate) mod store;

#[cfg(feature = "ssr")]
pub use bootstrap::{FIRST_ADMIN_USERNAME, FirstAdmin, ensure_first_admin};
#[cfg(feature = "ssr")]
pub use demo_people::{DEMO_PASSWORD, DemoPerson, ensure_demo_people, remove_demo_people};
#[cfg(feature = "ssr")]
pub use error::AccountError;
#[cfg(feature = "ssr")]
pub use external::{ExternalSignInError, portal_username, sign_in_external};
#[cfg(feature = "ssr")]
pub use login::{Authenticated, DirectoryLogin, LoginError, authenticate, authenticate_with};
#[cfg(feature = "ssr")]
pub use store::{
    create_account, delete_account, end_sessions, find_account, get_account, list_accounts,
    set_password, update_account,
};
