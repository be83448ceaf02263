//! The live system: a deterministic simulation of calls on the configured platform, fed to the
//! status and history APIs, steered by the command API; plus system backups and licences.

pub mod alarm;
pub mod backplane;
pub mod capacity;
pub mod cloud;
pub mod conference;
pub mod history;
pub mod licensing;
pub mod media;
pub mod participant;
pub mod profiles;
pub mod registration;
pub mod records;
pub mod rng;
pub mod schema;
pub mod sim;
pub mod sync;
pub mod time;
pub mod topology;
