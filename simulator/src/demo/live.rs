//! The demo deployment's live activity: before serving, the simulation runs through the last
//! hours of the day so the history holds a few hundred conference instances and calls are in
//! progress from the first request on.

use crate::live::Live;
use crate::live::time::add_ms;

/// How far back the demo's activity starts.
pub const WARM_UP_HOURS: i64 = 14;
/// The step of the warm-up (coarser than a tick: it only needs to be plausible).
pub const WARM_UP_STEP_MS: u64 = 45_000;

/// Runs the demo's recent past on `live` (its tick count stays 0).
pub fn warm_up(live: &Live) {
    live.with(|state, topology| {
        let from = add_ms(state.config.epoch, -WARM_UP_HOURS * 3_600_000);
        state.warm_up(topology, from, WARM_UP_STEP_MS);
    });
}
