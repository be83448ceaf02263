//! [`Live`]: the live system shared by the HTTP handlers, the tick driver and the library
//! (tests advance it explicitly with [`Live::advance`]).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::task::JoinHandle;

use super::backup::Backups;
use super::rng::Rng;
use super::sim::{LiveState, SimConfig};
use super::topology::Topology;
use chrono::Timelike;

use super::time::Instant;
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
        Live::build(config, store, None)
    }

    /// Like [`Live::new`], persisting the configuration changes it makes (licences, restores)
    /// to `state_file` (a path and the profile name).
    fn build(
        config: SimConfig,
        store: SharedStore,
        state_file: Option<(PathBuf, &'static str)>,
    ) -> Live {
        Live {
            inner: Arc::new(Inner {
                state: Mutex::new(LiveState::new(config)),
                backups: Mutex::new(Backups::default()),
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

    /// Runs `f` on the state with the current topology.
    pub fn with<R>(&self, f: impl FnOnce(&mut LiveState, &Topology) -> R) -> R {
        let topology = self.topology();
        let mut state = lock(&self.inner.state);
        f(&mut state, &topology)
    }

    /// Runs `f` on the state alone (no topology needed).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut LiveState) -> R) -> R {
        f(&mut lock(&self.inner.state))
    }

    /// Runs `f` on the configuration store, reading.
    pub fn read_store<R>(&self, f: impl FnOnce(&ConfigStore) -> R) -> R {
        let store = self.inner.store.read().unwrap_or_else(|p| p.into_inner());
        f(&store)
    }

    /// Runs `f` on the configuration store, changing it; the state file (if any) is written.
    pub fn change_store<R>(&self, f: impl FnOnce(&mut ConfigStore) -> R) -> R {
        let mut store = self.inner.store.write().unwrap_or_else(|p| p.into_inner());
        let result = f(&mut store);
        self.persist(&store);
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

    /// Runs `f` on the system backups.
    pub fn with_backups<R>(&self, f: impl FnOnce(&mut Backups) -> R) -> R {
        f(&mut lock(&self.inner.backups))
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
    /// demo data it has already run for the past hours (history, calls in progress).
    pub fn for_options(options: &SimOptions, store: SharedStore) -> Live {
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
