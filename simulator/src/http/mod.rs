//! The HTTP side: the listener, the router, the handlers of the configuration API and of the
//! control endpoint, and the fault injection.

pub mod control;
pub mod inject;
pub mod response;
pub mod router;
pub mod serve;
