//! The backend-for-frontend core of Pexip Portal: who may do what (accounts, sessions, roles and
//! tenants, the policy), what was done (the audit trail), and policy-scoped access to the Pexip
//! Management API. Used by the app's server functions and by the server binary.
//!
//! Without the `ssr` feature only the plain model types are compiled, so the wasm UI can share them.

pub mod accounts;
pub mod audit;
pub mod bulk;
pub mod constant_time;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod gateway;
#[cfg(feature = "ssr")]
pub mod identity;
pub mod join;
pub mod live;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod portal;
#[cfg(feature = "ssr")]
pub mod principal_cache;
pub mod requests;
#[cfg(feature = "ssr")]
pub mod session_records;
#[cfg(feature = "ssr")]
pub mod sessions;
pub mod tenants;
#[cfg(feature = "ssr")]
pub mod throttle;
pub mod usage;

pub use accounts::Role;
