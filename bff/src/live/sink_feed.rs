//! The event-sink source: the receiver's queue (bodies accepted fast, processed here) and the
//! worker that applies the events to the hub, repairing the state with one status re-read
//! after a gap, a publisher restart, a full queue or a silence while conferences exist. The
//! platform's picture is still read from the status API at its slower cadence.

use super::backoff::{Backoff, MAX_BACKOFF};
use super::fields::now_ms;
use super::model::{FeedHealth, FeedSource, LiveMessage};
use super::poller::{Reader, problem};
use super::sink::{Merger, Sequence, Sequences, SinkEvent};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, mpsc};

/// Bodies processed together (one published change for all of them).
const BATCH: usize = 256;
/// How often the worker checks for silence, at most.
const SILENCE_CHECK: Duration = Duration::from_secs(30);

/// The receiver's side of the queue (cheap to clone).
#[derive(Debug, Clone)]
pub(crate) struct SinkIntake {
    sender: mpsc::Sender<Vec<SinkEvent>>,
    receiver: Arc<Mutex<mpsc::Receiver<Vec<SinkEvent>>>>,
    overflowed: Arc<AtomicBool>,
}

impl SinkIntake {
    pub(crate) fn new(size: usize) -> Self {
        let (sender, receiver) = mpsc::channel(size.max(1));
        SinkIntake {
            sender,
            receiver: Arc::new(Mutex::new(receiver)),
            overflowed: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Queues a body's events; a full queue drops them and asks for a repair. Returns whether
    /// they were queued.
    pub(crate) fn offer(&self, events: Vec<SinkEvent>) -> bool {
        match self.sender.try_send(events) {
            Ok(()) => true,
            Err(_) => {
                if !self.overflowed.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        "live feed: the event sink queue is full; events dropped, the state will be re-read"
                    );
                }
                false
            }
        }
    }
}

/// Runs the worker until the task is dropped (the leader's source).
pub(crate) async fn run(
    reader: Reader,
    intake: SinkIntake,
    platform_interval: Duration,
    missed_interval: Duration,
) {
    // One worker at a time drains the queue (a new leader term waits for the old one's end).
    let mut receiver = intake.receiver.lock().await;
    let mut worker = Worker {
        reader,
        sequences: Sequences::default(),
        merger: Merger::default(),
        needs_repair: true,
        last_event: Instant::now(),
        gaps: 0,
        lag_ms: 0,
        problem: None,
    };
    worker.gaps = worker.reader.hub.with_state(|state| state.feed.gaps);
    let mut backoff = Backoff::new(Duration::from_secs(2), MAX_BACKOFF);
    let mut repair_at = Instant::now();
    let mut platform_due = Instant::now();
    loop {
        if intake.overflowed.swap(false, Ordering::Relaxed) {
            worker.needs_repair = true;
        }
        let now = Instant::now();
        if worker.needs_repair && now >= repair_at {
            match worker.reader.refresh_conferences().await {
                Ok(()) => {
                    worker.needs_repair = false;
                    backoff.success();
                    worker.problem = None;
                    let names = worker.reader.hub.with_state(|state| {
                        state.conferences.keys().cloned().collect::<BTreeSet<_>>()
                    });
                    worker.merger.retain(&names);
                }
                Err(error) => {
                    let wait = backoff.failure(match &error {
                        pexip::client::ClientError::RateLimited { retry_after } => *retry_after,
                        _ => None,
                    });
                    tracing::warn!(%error, "live feed: the repair read failed");
                    worker.problem = Some(problem(&error, wait));
                    repair_at = Instant::now() + wait;
                }
            }
            worker.report();
        }
        if Instant::now() >= platform_due {
            match worker.reader.refresh_platform().await {
                Ok(()) => platform_due = Instant::now() + platform_interval,
                Err(error) => {
                    tracing::warn!(%error, "live feed: the platform read failed");
                    platform_due = Instant::now() + platform_interval.min(MAX_BACKOFF);
                }
            }
        }
        let mut wait = SILENCE_CHECK
            .min(missed_interval)
            .min(platform_due.saturating_duration_since(Instant::now()));
        if worker.needs_repair {
            wait = wait.min(repair_at.saturating_duration_since(Instant::now()));
        }
        match tokio::time::timeout(wait.max(Duration::from_millis(10)), receiver.recv()).await {
            Ok(Some(first)) => {
                let mut bodies = vec![first];
                while bodies.len() < BATCH {
                    match receiver.try_recv() {
                        Ok(more) => bodies.push(more),
                        Err(_) => break,
                    }
                }
                worker.process(bodies.into_iter().flatten()).await;
            }
            Ok(None) => return,
            Err(_) => {
                let busy = worker
                    .reader
                    .hub
                    .with_state(|state| !state.conferences.is_empty());
                if busy && worker.last_event.elapsed() >= missed_interval && !worker.needs_repair {
                    tracing::info!(
                        "live feed: no event for {} s while conferences are in progress; re-reading",
                        missed_interval.as_secs()
                    );
                    worker.needs_repair = true;
                }
            }
        }
    }
}

struct Worker {
    reader: Reader,
    sequences: Sequences,
    merger: Merger,
    needs_repair: bool,
    last_event: Instant,
    gaps: u64,
    lag_ms: u64,
    problem: Option<String>,
}

impl Worker {
    /// Applies a batch of events and publishes the conferences they changed.
    async fn process(&mut self, events: impl Iterator<Item = SinkEvent>) {
        let mut conferences = self
            .reader
            .hub
            .with_state(|state| state.conferences.clone());
        let mut touched = BTreeSet::new();
        let mut newest = 0f64;
        for event in events {
            match self.sequences.check(&event) {
                Sequence::Duplicate => continue,
                Sequence::Next => {}
                Sequence::Gap(lost) => {
                    tracing::warn!(node = %event.node, lost, "live feed: events lost on the event sink; re-reading");
                    self.gaps += lost;
                    self.reader.metrics.sink_gap(lost);
                    self.needs_repair = true;
                }
                Sequence::Restart => {
                    tracing::info!(node = %event.node, "live feed: an event sink publisher started; re-reading");
                    self.needs_repair = true;
                }
            }
            newest = newest.max(event.time);
            touched.extend(self.merger.apply(&event, &mut conferences));
        }
        self.last_event = Instant::now();
        if newest > 0.0 {
            self.lag_ms = u64::try_from(now_ms() - (newest * 1000.0) as i64).unwrap_or(0);
            self.reader.metrics.set_feed_lag_ms(self.lag_ms);
        }
        let mut upserted: Vec<_> = touched
            .iter()
            .filter_map(|name| conferences.get(name).cloned())
            .collect();
        self.reader
            .owners
            .fill(&self.reader.client, upserted.iter_mut())
            .await;
        let removed: Vec<String> = self.reader.hub.with_state(|state| {
            touched
                .iter()
                .filter(|name| {
                    !conferences.contains_key(*name) && state.conferences.contains_key(*name)
                })
                .cloned()
                .collect()
        });
        if !upserted.is_empty() || !removed.is_empty() {
            self.reader.hub.publish(LiveMessage::Conferences {
                version: 0,
                upserted,
                removed,
            });
        }
        self.report();
    }

    fn report(&self) {
        self.reader.report(FeedHealth {
            source: FeedSource::EventSink,
            updated_at: now_ms(),
            lag_ms: self.lag_ms,
            gaps: self.gaps,
            problem: self.problem.clone(),
        });
    }
}
