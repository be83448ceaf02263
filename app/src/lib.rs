//! Pexip Portal's user interface: the document shell, routes, pages and (later) server functions.
//! Built twice: with `ssr` into the server binary and with `hydrate` into the wasm bundle.

// The view types of the larger pages nest deeper than rustc's default query depth when the
// release wasm (`wasm-release` profile) computes the layout of their hydration futures.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod csp;
pub mod forms;
pub mod layout;
pub mod live_stream;
pub mod pages;
pub mod routes;
pub mod shell;
pub mod ui;

pub use app::App;
pub use shell::shell;
