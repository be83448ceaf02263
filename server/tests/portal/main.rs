//! Integration tests that run the real `server` binary (built by cargo for these tests) against
//! the simulator and the local PostgreSQL and Redis. One test binary for all of them: each links
//! the whole stack, so one keeps `make test` faster and smaller.

mod assets;
mod backup_stream;
mod config_object;
mod database_outage;
mod live_failover;
mod live_sink;
mod live_stream;
mod malformed_input;
mod metrics;
mod secrets;
mod sessions;
mod streaming;
mod support;
mod upstream_faults;
mod usage;
