//! The live feed: one upstream source per deployment (event sinks or one shared poller), one
//! state every instance holds, pushed to each browser filtered by the policy.

pub mod model;

#[cfg(feature = "ssr")]
mod backoff;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod election;
#[cfg(feature = "ssr")]
mod fields;
#[cfg(feature = "ssr")]
pub mod filter;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod lease;
#[cfg(feature = "ssr")]
mod owners;
#[cfg(feature = "ssr")]
mod platform;
#[cfg(feature = "ssr")]
mod poller;
#[cfg(feature = "ssr")]
mod registration;
#[cfg(feature = "ssr")]
pub mod relay;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub mod sink;
#[cfg(feature = "ssr")]
mod sink_feed;
#[cfg(feature = "ssr")]
mod status;

#[cfg(feature = "ssr")]
pub use config::{EventSinkConfig, LiveConfig, SourceMode};
#[cfg(feature = "ssr")]
pub use filter::{LiveSubscription, Viewer};
#[cfg(feature = "ssr")]
pub use hub::{Applied, HubSubscription, LiveHub};
#[cfg(feature = "ssr")]
pub use registration::SINK_NAME;
#[cfg(feature = "ssr")]
pub use service::{Live, SinkAnswer};
