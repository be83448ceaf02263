//! The live system: a deterministic simulation of calls on the configured platform, fed to the
//! status and history APIs, steered by the command API; plus system backups and licences.

pub mod alarm;
pub mod backplane;
pub mod backup;
pub mod capacity;
pub mod cloud;
pub mod command;
pub mod conference;
pub mod directory;
pub mod handle;
pub mod history;
pub mod licence;
pub mod licensing;
pub mod lists;
pub mod media;
pub mod outbox;
pub mod participant;
pub mod profiles;
pub mod records;
pub mod registration;
pub mod rng;
pub mod router;
pub mod schema;
pub mod sim;
pub mod sync;
pub mod time;
pub mod topology;

pub use handle::Live;
pub use router::router;
pub use sim::{LiveState, SimConfig};
