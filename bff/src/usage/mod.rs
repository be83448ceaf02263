//! Usage reports per tenant and room, from the history API: the portal reads the ended
//! conferences and their participants into its own database ([`ingest`], incrementally, so that
//! reports reach further back than the node's newest 10,000 conferences) and builds reports from
//! there ([`report`]): conferences, participant minutes, peak concurrent participants, protocols
//! and call quality per day, week or month, and the rooms used most; as CSV too ([`export`]).

pub mod model;

#[cfg(feature = "ssr")]
mod access;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod ingest;
#[cfg(feature = "ssr")]
pub mod record;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use access::{MAX_DAILY_SPAN_DAYS, MAX_HISTORY_EXPORT, MAX_SPAN_DAYS};
