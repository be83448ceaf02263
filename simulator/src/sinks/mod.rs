//! Event sinks: the Conferencing Nodes POST every conference and participant event to the
//! URLs configured as `event_sink` objects (v40 profile), as Pexip Infinity does
//! (`shared/pexip-api/EVENT-SINKS.md`).
//!
//! [`Sinks`] watches the live state: after every change ([`crate::live::Live::with`]) it
//! compares what the nodes have told ([`view::View`]) with the new state and publishes the
//! events in between to every sink covering the node, each (sink, node) pair being a
//! [`publisher::Publisher`] with its own `seq` series and delivery task. The configuration is
//! followed by [`Sinks::reconcile`] after every change through the configuration API and at
//! start: a new sink starts (`eventsink_started`, seq 1, from every node it covers), a changed
//! one (any field, `restart_date` included) restarts the same way, a removed one stops.
//! Nothing here blocks the simulator: publishing only queues.

pub mod envelope;
pub mod faults;
pub mod payload;
pub mod publisher;
pub mod sender;
pub mod spec;
pub mod status;
pub mod view;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::runtime::Handle;

use self::faults::SinkFaultSwitch;
use self::payload::unix;
use self::publisher::{Publisher, Settings};
use self::sender::Sender;
use self::spec::SinkSpec;
use self::status::SinkStatus;
use self::view::{LiveEvent, View};
use crate::live::sim::LiveState;

/// One running sink.
struct Sink {
    spec: SinkSpec,
    settings: Settings,
    /// By node address.
    publishers: BTreeMap<String, Publisher>,
}

impl Sink {
    fn start(spec: SinkSpec, faults: &Arc<SinkFaultSwitch>, runtime: &Handle, time: f64) -> Sink {
        let settings = Settings {
            version: spec.version,
            bulk: spec.bulk,
            sender: Arc::new(Sender::new(&spec)),
            faults: faults.clone(),
            sink_name: spec.name.clone(),
        };
        let mut sink = Sink {
            spec,
            settings,
            publishers: BTreeMap::new(),
        };
        sink.follow_nodes(runtime, time);
        sink
    }

    /// Starts publishers on the nodes it newly covers and stops those on nodes it no longer
    /// covers.
    fn follow_nodes(&mut self, runtime: &Handle, time: f64) {
        let spec = &self.spec;
        self.publishers.retain(|_, p| spec.covers(&p.location));
        for (node, location) in &spec.nodes {
            if !self.publishers.contains_key(node) {
                let p = Publisher::start(runtime, node, location, self.settings.clone(), time);
                self.publishers.insert(node.clone(), p);
            }
        }
    }

    /// Publishes `event` if this sink is to hear it; a node heard from for the first time
    /// starts its series.
    fn publish(&mut self, runtime: &Handle, event: &LiveEvent) {
        if !self.spec.covers(&event.location)
            || !self.spec.wants(event.name)
            || event.version.is_some_and(|v| v != self.spec.version)
        {
            return;
        }
        let publisher = self
            .publishers
            .entry(event.node.clone())
            .or_insert_with(|| {
                Publisher::start(
                    runtime,
                    &event.node,
                    &event.location,
                    self.settings.clone(),
                    event.time,
                )
            });
        publisher.publish(event.name, event.data.clone(), event.time);
    }
}

#[derive(Default)]
struct Hub {
    /// Where the publishers run (the runtime of the first reconciliation).
    runtime: Option<Handle>,
    /// By sink id.
    sinks: BTreeMap<String, Sink>,
    /// How many times each sink id started.
    starts: BTreeMap<String, u64>,
    /// What the nodes have told, while any sink runs.
    view: Option<View>,
}

/// The event sinks of a live system.
pub struct Sinks {
    faults: Arc<SinkFaultSwitch>,
    hub: Mutex<Hub>,
}

impl Sinks {
    /// No sinks yet; deliveries will meet the faults of `faults`.
    pub fn new(faults: Arc<SinkFaultSwitch>) -> Sinks {
        Sinks {
            faults,
            hub: Mutex::new(Hub::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs the sinks of `specs` (the whole configuration) over `state`: starts new ones,
    /// restarts changed ones, stops the others, and follows the nodes each covers. Needs a
    /// Tokio runtime (the first call's is kept); without one, nothing starts.
    pub fn reconcile(&self, specs: Vec<SinkSpec>, state: &LiveState) {
        let mut hub = self.lock();
        if hub.runtime.is_none() {
            hub.runtime = Handle::try_current().ok();
        }
        let Some(runtime) = hub.runtime.clone() else {
            if !specs.is_empty() {
                tracing::warn!("event sinks need a Tokio runtime: none is started");
            }
            return;
        };
        let time = unix(state.now);
        let hub = &mut *hub;
        hub.sinks.retain(|id, _| specs.iter().any(|s| s.id == *id));
        for spec in specs {
            match hub.sinks.get_mut(&spec.id) {
                Some(sink) if sink.spec.config == spec.config => {
                    sink.spec = spec;
                    sink.follow_nodes(&runtime, time);
                }
                _ => {
                    // Dropping the old publishers stops them before the new series starts.
                    hub.sinks.remove(&spec.id);
                    *hub.starts.entry(spec.id.clone()).or_default() += 1;
                    let id = spec.id.clone();
                    let sink = Sink::start(spec, &self.faults, &runtime, time);
                    hub.sinks.insert(id, sink);
                }
            }
        }
        if hub.sinks.is_empty() {
            hub.view = None;
        } else if hub.view.is_none() {
            hub.view = Some(View::of(state, &View::default()));
        }
    }

    /// Publishes what changed in `state` since the last call (nothing without sinks).
    pub fn observe(&self, state: &LiveState) {
        let mut hub = self.lock();
        let Some(runtime) = hub.runtime.clone() else {
            return;
        };
        let Some(old) = hub.view.take() else {
            return;
        };
        let new = View::of(state, &old);
        let events = old.changes(&new, state);
        hub.view = Some(new);
        for event in &events {
            for sink in hub.sinks.values_mut() {
                sink.publish(&runtime, event);
            }
        }
    }

    /// The delivery state of every sink, in id order.
    pub fn status(&self) -> Vec<SinkStatus> {
        let hub = self.lock();
        hub.sinks
            .iter()
            .map(|(id, sink)| SinkStatus {
                id: id.clone(),
                name: sink.spec.name.clone(),
                version: sink.spec.version,
                bulk_support: sink.spec.bulk,
                starts: hub.starts.get(id).copied().unwrap_or_default(),
                nodes: sink.publishers.values().map(Publisher::status).collect(),
            })
            .collect()
    }

    /// Stops every sink (at shutdown): their deliveries end, what waits is lost.
    pub fn stop(&self) {
        let mut hub = self.lock();
        hub.sinks.clear();
        hub.view = None;
    }
}
