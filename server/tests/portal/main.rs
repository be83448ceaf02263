//! Integration tests that run the real `server` binary (built by cargo for these tests) against
//! the simulator and the local PostgreSQL and Redis. One test binary for all of them: each links
//! the whole stack, so one keeps `make test` faster and smaller.

mod secrets;
mod sessions;
mod support;
mod upstream_faults;
