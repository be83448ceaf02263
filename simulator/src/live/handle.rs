//! [`Live`]: the live system shared by the HTTP handlers, the tick driver and the library
//! (tests advance it explicitly with [`Live::advance`]).
//!
//! Every change of the live state goes through [`Live::with`] or [`Live::with_state`], which
//! then let the event sinks ([`crate::sinks`]) see what changed; [`Live::read`] and
//! [`Live::read_state`] are for reading only.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::task::JoinHandle;

use super::backup::Backups;
use super::outbox::{Outbox, SentEmail};
use super::rng::Rng;
use super::sim::{LiveState, SimConfig};
use super::topology::Topology;
use chrono::Timelike;

use super::time::Instant;
use crate::sinks::Sinks;
use crate::sinks::faults::{SinkFaultSwitch, SinkFaults};
use crate::state::{DataSet, Profile, SimOptions};
use crate::store::{ConfigStore, SharedStore};

/// The software version and build a node of `profile` reports.
pub fn version_of(profile: Profile) -> (&'static str, &'static str) {
    match profile {
        Profile::V14 => ("14", "30366.0.0"),
        Profile::V40 => ("40", "79339.0.0"),
    }
}

/// The epoch of a hand-driven simulation (`tick_ms` 0): a Monday morning in January 2017.
pub const FIXED_EPOCH: Instant = match chrono::NaiveDate::from_ymd_opt(2017, 1, 16) {
    Some(d) => match d.and_hms_opt(9, 0, 0) {
        Some(t) => t,
        None => chrono::NaiveDateTime::MIN,
    },
    None => chrono::NaiveDateTime::MIN,
};

/// The longest wall-clock period the ticker uses (a day).
const MAX_TICK_MS: u64 = 86_400_000;

struct Inner {
    state: Mutex<LiveState>,
    backups: Mutex<Backups>,
    outbox: Mutex<Outbox>,
    /// The event sinks, told about every change of the state.
    sinks: Sinks,
    store: SharedStore,
    /// Where configuration changes made here are persisted, with the profile name.
    state_file: Option<(PathBuf, &'static str)>,
}

/// The live system. Cloning shares it.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Live {
    /// A live system over the configuration in `store`, at tick 0.
    pub fn new(config: SimConfig, store: SharedStore) -> Live {
        let faults = Arc::new(SinkFaultSwitch::new(SinkFaults::default(), config.seed));
        Live::build(config, store, None, faults)
    }

    /// Like [`Live::new`], persisting the configuration changes it makes (licences, restores)
    /// to `state_file` (a path and the profile name), its event sinks meeting the faults of
    /// `sink_faults`.
    fn build(
        config: SimConfig,
        store: SharedStore,
        state_file: Option<(PathBuf, &'static str)>,
        sink_faults: Arc<SinkFaultSwitch>,
    ) -> Live {
        Live {
            inner: Arc::new(Inner {
                state: Mutex::new(LiveState::new(config)),
                backups: Mutex::new(Backups::default()),
                outbox: Mutex::new(Outbox::default()),
                sinks: Sinks::new(sink_faults),
                store,
                state_file,
            }),
        }
    }

    /// The topology of the current configuration.
    pub fn topology(&self) -> Topology {
        let store = self.inner.store.read().unwrap_or_else(|p| p.into_inner());
        Topology::of_store(&store)
    }

    /// Runs `f` on the state with the current topology; the event sinks then see what it
    /// changed.
    pub fn with<R>(&self, f: impl FnOnce(&mut LiveState, &Topology) -> R) -> R {
        let topology = self.topology();
        let mut state = lock(&self.inner.state);
        let result = f(&mut state, &topology);
        self.inner.sinks.observe(&state);
        result
    }

    /// Runs `f` on the state alone (no topology needed); the event sinks then see what it
    /// changed.
    pub fn with_state<R>(&self, f: impl FnOnce(&mut LiveState) -> R) -> R {
        let mut state = lock(&self.inner.state);
        let result = f(&mut state);
        self.inner.sinks.observe(&state);
        result
    }

    /// Reads the state with the current topology.
    pub fn read<R>(&self, f: impl FnOnce(&LiveState, &Topology) -> R) -> R {
        let topology = self.topology();
        let state = lock(&self.inner.state);
        f(&state, &topology)
    }

    /// Reads the state alone.
    pub fn read_state<R>(&self, f: impl FnOnce(&LiveState) -> R) -> R {
        f(&lock(&self.inner.state))
    }

    /// The event sinks (their delivery state, for instance).
    pub fn sinks(&self) -> &Sinks {
        &self.inner.sinks
    }

    /// Brings the event sinks in line with the configuration: starts new ones, restarts
    /// changed ones, stops removed ones (lock order: store, released, then live state).
    pub fn reconcile_sinks(&self) {
        let specs = self.read_store(crate::sinks::spec::of_store);
        let state = lock(&self.inner.state);
        self.inner.sinks.reconcile(specs, &state);
    }

    /// Runs `f` on the configuration store, reading.
    pub fn read_store<R>(&self, f: impl FnOnce(&ConfigStore) -> R) -> R {
        let store = self.inner.store.read().unwrap_or_else(|p| p.into_inner());
        f(&store)
    }

    /// Runs `f` on the configuration store, changing it; the state file (if any) is written
    /// and the event sinks follow the new configuration.
    pub fn change_store<R>(&self, f: impl FnOnce(&mut ConfigStore) -> R) -> R {
        let result = {
            let mut store = self.inner.store.write().unwrap_or_else(|p| p.into_inner());
            let result = f(&mut store);
            self.persist(&store);
            result
        };
        self.reconcile_sinks();
        result
    }

    fn persist(&self, store: &ConfigStore) {
        if let Some((path, profile)) = &self.inner.state_file
            && let Err(e) = crate::persist::save(path, profile, store)
        {
            tracing::warn!("cannot write the state file {}: {e}", path.display());
        }
    }

    /// Runs `f` on the configuration store with the simulation's random source and clock
    /// (lock order: live state, then store).
    pub fn with_store_and_rng<R>(
        &self,
        f: impl FnOnce(&mut ConfigStore, &mut Rng, Instant) -> R,
    ) -> R {
        let mut state = lock(&self.inner.state);
        let now = state.now;
        let mut store = self.inner.store.write().unwrap_or_else(|p| p.into_inner());
        let result = f(&mut store, state.rng(), now);
        self.persist(&store);
        result
    }

    /// Runs `f` on the live state and the configuration store, changing both (lock order: live
    /// state, then store); the state file is written.
    pub fn with_state_and_store<R>(
        &self,
        f: impl FnOnce(&mut LiveState, &mut ConfigStore) -> R,
    ) -> R {
        let mut state = lock(&self.inner.state);
        let mut store = self.inner.store.write().unwrap_or_else(|p| p.into_inner());
        let result = f(&mut state, &mut store);
        self.persist(&store);
        result
    }

    /// Runs `f` on the system backups.
    pub fn with_backups<R>(&self, f: impl FnOnce(&mut Backups) -> R) -> R {
        f(&mut lock(&self.inner.backups))
    }

    /// Keeps a provisioning email the command API sent.
    pub fn record_email(&self, email: SentEmail) {
        lock(&self.inner.outbox).record(email);
    }

    /// The provisioning emails sent so far, oldest first.
    pub fn emails(&self) -> Vec<SentEmail> {
        lock(&self.inner.outbox).sent()
    }

    /// The simulation's current time.
    pub fn now(&self) -> Instant {
        lock(&self.inner.state).now
    }

    /// Advances the simulation by `ticks` ticks.
    pub fn advance(&self, ticks: u64) {
        self.with(|state, topology| state.advance(topology, ticks));
    }

    /// A copy of the whole live state (to compare runs, say).
    pub fn snapshot(&self) -> LiveState {
        lock(&self.inner.state).clone()
    }

    /// Advances one tick every `tick_ms` of wall-clock time, until the last [`Live`] is dropped
    /// or the returned task is aborted. With `tick_ms` 0 nothing ticks by itself (`None`): time
    /// moves only through [`Live::advance`].
    pub fn spawn_ticker(&self) -> Option<JoinHandle<()>> {
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        let period = lock(&self.inner.state).config.tick_ms;
        if period == 0 {
            return None;
        }
        Some(tokio::spawn(async move {
            // Clamped so an absurd period cannot overflow the timer.
            let period = Duration::from_millis(period.min(MAX_TICK_MS));
            let mut interval = tokio::time::interval(period);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            interval.tick().await;
            loop {
                interval.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                Live { inner }.advance(1);
            }
        }))
    }

    /// The live system a simulator started with `options` runs: seeded by `options.seed`,
    /// starting now (or, with `tick_ms` 0, at a fixed epoch so runs repeat exactly); with the
    /// demo data it has already run for the past hours (history, calls in progress). Its event
    /// sinks meet the faults of `sink_faults`.
    pub fn for_options(
        options: &SimOptions,
        store: SharedStore,
        sink_faults: Arc<SinkFaultSwitch>,
    ) -> Live {
        let (version, build) = version_of(options.profile);
        let epoch = if options.tick_ms == 0 {
            FIXED_EPOCH
        } else {
            let now = chrono::Utc::now().naive_utc();
            now.with_nanosecond(now.nanosecond() / 1000 * 1000)
                .unwrap_or(now)
        };
        let state_file = options
            .state_file
            .clone()
            .map(|path| (path, options.profile.as_str()));
        let live = Live::build(
            SimConfig {
                seed: options.seed,
                tick_ms: options.tick_ms,
                epoch,
                version: version.to_owned(),
                build: build.to_owned(),
            },
            store,
            state_file,
            sink_faults,
        );
        if options.data == DataSet::Demo {
            crate::demo::live::warm_up(&live);
        }
        live
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ConfigStore;

    fn live(tick_ms: u64) -> Live {
        let config = SimConfig {
            seed: 1,
            tick_ms,
            epoch: FIXED_EPOCH,
            version: "14".into(),
            build: "1".into(),
        };
        Live::new(config, ConfigStore::new().shared())
    }

    #[tokio::test(start_paused = true)]
    async fn the_ticker_advances_one_tick_per_period_until_dropped() {
        let l = live(100);
        let task = l.spawn_ticker().expect("a ticker");
        // Virtual time: the runtime's clock is paused and jumps, nothing waits for real.
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert_eq!(l.snapshot().tick, 3);
        assert_eq!(
            l.snapshot().now,
            FIXED_EPOCH + chrono::Duration::milliseconds(300)
        );
        drop(l);
        task.await
            .expect("the ticker ends once the live system is gone");
    }

    #[test]
    fn without_a_period_nothing_ticks_by_itself() {
        let l = live(0);
        assert!(
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap()
                .block_on(async { l.spawn_ticker().is_none() })
        );
        l.advance(2);
        assert_eq!(l.snapshot().now, FIXED_EPOCH + chrono::Duration::seconds(2));
    }
}
