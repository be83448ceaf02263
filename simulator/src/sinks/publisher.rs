//! A publisher: one sink's series of events from one node. Events are numbered when they are
//! published (`seq` from 1, `eventsink_started` first) and delivered by the publisher's own
//! task, in order and one at a time; a failed POST is retried with a doubling delay until it
//! succeeds, holding back the events behind it. With bulk support the events of each interval
//! (0.1 s from the first one waiting) go in one POST. Dropping the publisher stops its task:
//! what was still waiting is lost.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::envelope;
use super::faults::SinkFaultSwitch;
use super::payload::Object;
use super::sender::Sender;
use super::status::NodeStatus;

/// Pexip's default "bulk message timeout interval".
pub const BULK_INTERVAL: Duration = Duration::from_millis(100);
/// The most events one bulk POST carries (a backlog goes in several).
const BULK_MAX: usize = 1000;

/// The first event of every series.
pub const STARTED: &str = "eventsink_started";

/// What a publisher is configured with.
#[derive(Clone)]
pub struct Settings {
    pub version: u8,
    pub bulk: bool,
    pub sender: Arc<Sender>,
    pub faults: Arc<SinkFaultSwitch>,
    /// The sink's name, for log lines.
    pub sink_name: String,
}

/// An event waiting for delivery.
struct Queued {
    seq: u64,
    time: f64,
    body: Value,
}

/// One sink's publisher on one node.
pub struct Publisher {
    node: String,
    /// The node's system location (the sink may stop covering it).
    pub location: String,
    version: u8,
    next_seq: u64,
    faults: Arc<SinkFaultSwitch>,
    queue: mpsc::UnboundedSender<Queued>,
    status: Arc<Mutex<NodeStatus>>,
    task: JoinHandle<()>,
}

fn lock(status: &Mutex<NodeStatus>) -> MutexGuard<'_, NodeStatus> {
    status.lock().unwrap_or_else(|e| e.into_inner())
}

impl Publisher {
    /// Starts the series of `node` (in `location`) on `runtime`, opening with
    /// `eventsink_started` (seq 1) at `time`.
    pub fn start(
        runtime: &Handle,
        node: &str,
        location: &str,
        settings: Settings,
        time: f64,
    ) -> Publisher {
        let (queue, receiver) = mpsc::unbounded_channel();
        let status = Arc::new(Mutex::new(NodeStatus {
            node: node.to_owned(),
            ..NodeStatus::default()
        }));
        let faults = settings.faults.clone();
        let version = settings.version;
        let task = runtime.spawn(deliver(receiver, node.to_owned(), settings, status.clone()));
        let mut publisher = Publisher {
            node: node.to_owned(),
            location: location.to_owned(),
            version,
            next_seq: 1,
            faults,
            queue,
            status,
            task,
        };
        publisher.publish(STARTED, Object::new(), time);
        publisher
    }

    /// Numbers event `name` and queues it, unless the fault mode drops it (its number is then
    /// skipped: `eventsink_started` is never dropped).
    pub fn publish(&mut self, name: &str, data: Object, time: f64) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let mut status = lock(&self.status);
        status.seq = seq;
        if name != STARTED && self.faults.drop_next() {
            status.dropped += 1;
            return;
        }
        status.queued += 1;
        drop(status);
        let body = envelope::envelope(&self.node, seq, self.version, time, name, data);
        // The task ends only when the publisher is dropped or the runtime stops.
        let _ = self.queue.send(Queued { seq, time, body });
    }

    /// Its delivery state.
    pub fn status(&self) -> NodeStatus {
        lock(&self.status).clone()
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Delivers what `receiver` brings, in order, until the publisher is dropped.
async fn deliver(
    mut receiver: mpsc::UnboundedReceiver<Queued>,
    node: String,
    settings: Settings,
    status: Arc<Mutex<NodeStatus>>,
) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        if settings.bulk {
            let deadline = tokio::time::Instant::now() + BULK_INTERVAL;
            while batch.len() < BULK_MAX {
                tokio::select! {
                    next = receiver.recv() => match next {
                        Some(item) => batch.push(item),
                        None => break,
                    },
                    _ = tokio::time::sleep_until(deadline) => break,
                }
            }
        }
        settings.faults.wait_unstalled().await;
        let last = batch.last().map(|q| (q.seq, q.time)).unwrap_or_default();
        let count = batch.len() as u64;
        let body = if settings.bulk {
            let items = batch.into_iter().map(|q| q.body).collect();
            envelope::bulk(&node, settings.version, last.1, items)
        } else {
            batch.pop().map(|q| q.body).unwrap_or_default()
        };
        let (mut delay, _) = settings.faults.backoff();
        while let Err(e) = settings.sender.post(&body).await {
            tracing::warn!(
                sink = %settings.sink_name,
                node = %node,
                seq = last.0,
                "event sink delivery failed, retrying in {} ms: {e}",
                delay.as_millis()
            );
            {
                let mut s = lock(&status);
                s.failures += 1;
                s.last_error = Some(e);
            }
            tokio::time::sleep(delay).await;
            let (_, max) = settings.faults.backoff();
            delay = (delay * 2).min(max);
            settings.faults.wait_unstalled().await;
        }
        let mut s = lock(&status);
        s.posts += 1;
        s.delivered += count;
        s.queued = s.queued.saturating_sub(count);
        s.delivered_seq = last.0;
        s.last_error = None;
    }
}
