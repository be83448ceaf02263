//! The HTTP side: the listener, the router, the handlers of the configuration API and of the
//! control endpoint, and the fault injection.

pub mod body;
pub mod config;
pub mod control;
pub mod inject;
pub mod response;
pub mod router;
pub mod serve;
