//! The demo deployment: its configuration (`config`) and, driven by it, its live activity.

pub mod config;
pub mod live;
