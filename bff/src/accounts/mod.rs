//! Portal accounts: the model and rules (shared with the UI), and with `ssr` the database
//! functions, argon2id passwords, sign-in, the first-start `admin` and the `user` CLI.

mod model;
mod role;
pub mod validate;

pub use model::{Account, AccountUpdate, NewAccount, Principal};
pub use role::{Role, UnknownRole};

#[cfg(feature = "ssr")]
mod bootstrap;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
mod login;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub(crate) mod store;

#[cfg(feature = "ssr")]
pub use bootstrap::{FIRST_ADMIN_USERNAME, FirstAdmin, ensure_first_admin};
#[cfg(feature = "ssr")]
pub use error::AccountError;
#[cfg(feature = "ssr")]
pub use login::{Authenticated, LoginError, authenticate};
#[cfg(feature = "ssr")]
pub use store::{
    create_account, delete_account, find_account, get_account, list_accounts, set_password,
    update_account,
};
