//! The live feed of one portal instance: its hub (the state and the viewers' fan-out), its
//! settings, the event sink receiver's queue, and the upstream source it runs while it leads.

use super::config::{LiveConfig, SourceMode};
use super::hub::LiveHub;
use super::model::FeedSource;
use super::owners::OwnerCache;
use super::poller::{self, Reader};
use super::sink::parse_body;
use super::sink_feed::{self, SinkIntake};
use crate::metrics::Metrics;
use pexip::client::Client;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// One per server process, shared by every request (cheap to clone).
#[derive(Debug, Clone)]
pub struct Live {
    pub hub: LiveHub,
    pub config: LiveConfig,
    owners: OwnerCache,
    intake: SinkIntake,
    /// Whether this instance runs the source now (holds the feed's lease).
    leading: Arc<AtomicBool>,
    /// Set when the server shuts down: every viewer's stream ends.
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

/// Marks the instance as leading while the source runs (also when its future is dropped).
struct Leading(Arc<AtomicBool>);

impl Leading {
    fn start(flag: &Arc<AtomicBool>) -> Leading {
        flag.store(true, Ordering::SeqCst);
        Leading(flag.clone())
    }
}

impl Drop for Leading {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The receiver's answer to one POSTed body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkAnswer {
    /// Queued (or dropped on a full queue, which schedules a repair): 200.
    Accepted,
    /// No receiver configured, or not its credentials: 401.
    Unauthorized,
    /// Not an event sink body (why): 400.
    Malformed(String),
    /// Another instance runs the feed: 503, so that the node delivers the event again (behind a
    /// load balancer, to another instance) instead of it being lost here.
    NotLeading,
}

impl Live {
    /// A feed with an empty state; nothing reads upstream until a source runs.
    pub fn new(config: LiveConfig) -> Live {
        Live {
            hub: LiveHub::default(),
            intake: SinkIntake::new(config.event_sink.queue_size),
            owners: OwnerCache::default(),
            leading: Arc::new(AtomicBool::new(false)),
            closing: Arc::new(tokio::sync::watch::Sender::new(false)),
            config,
        }
    }

    /// The source this deployment uses (`auto` resolved).
    pub fn source(&self) -> FeedSource {
        match self.config.source {
            SourceMode::Poller => FeedSource::Poller,
            SourceMode::EventSink => FeedSource::EventSink,
            SourceMode::Auto if self.config.event_sink.is_configured() => FeedSource::EventSink,
            SourceMode::Auto => FeedSource::Poller,
        }
    }

    /// Runs the upstream source and publishes what it reads into the hub, until the future is
    /// dropped: the leader's entry point (followers only [`LiveHub::apply`] relayed messages).
    pub async fn run_source(&self, client: Client, metrics: Metrics) {
        let _leading = Leading::start(&self.leading);
        let reader = Reader {
            client,
            hub: self.hub.clone(),
            owners: self.owners.clone(),
            metrics,
        };
        let platform = Duration::from_secs(self.config.platform_interval_secs.max(1));
        match self.source() {
            FeedSource::EventSink => {
                tracing::info!("live feed: from the node's event sinks");
                let missed =
                    Duration::from_secs(self.config.event_sink.missed_interval_secs.max(1));
                sink_feed::run(reader, self.intake.clone(), platform, missed).await
            }
            FeedSource::Poller | FeedSource::None => {
                tracing::info!(
                    interval_secs = self.config.poll_interval_secs,
                    "live feed: one shared poller"
                );
                let interval = Duration::from_secs(self.config.poll_interval_secs.max(1));
                poller::run(reader, interval, platform).await
            }
        }
    }

    /// Ends every viewer's stream (the server is shutting down: open streams would otherwise
    /// hold the graceful shutdown until its timeout).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once [`Live::close`] was called.
    pub async fn closed(&self) {
        let mut closing = self.closing.subscribe();
        // The sender lives as long as `self`: `wait_for` cannot fail here.
        let _ = closing.wait_for(|closed| *closed).await;
    }

    /// Takes one body POSTed to the event sink receiver: checks the credentials, parses it and
    /// queues its events (nothing slow happens here).
    pub fn receive_sink_body(&self, authorization: Option<&str>, body: &[u8]) -> SinkAnswer {
        if !self.config.event_sink.authorizes(authorization) {
            return SinkAnswer::Unauthorized;
        }
        if !self.leading.load(Ordering::SeqCst) {
            return SinkAnswer::NotLeading;
        }
        match parse_body(body) {
            Ok(parsed) => {
                if parsed.skipped > 0 {
                    tracing::warn!(
                        skipped = parsed.skipped,
                        "live feed: unreadable envelopes in an event sink bulk body were skipped"
                    );
                }
                if !parsed.events.is_empty() {
                    self.intake.offer(parsed.events);
                }
                SinkAnswer::Accepted
            }
            Err(error) => SinkAnswer::Malformed(error.0),
        }
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new(LiveConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use pexip::client::Secret;

    #[test]
    fn only_the_leading_instance_takes_events() {
        let mut config = LiveConfig::default();
        config.event_sink.password = Some(Secret::new("sink-password"));
        let live = Live::new(config);
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:sink-password", live.config.event_sink.username));
        let authorization = format!("Basic {credentials}");
        let body = br#"{"node":"10.0.0.5","seq":1,"version":2,"time":1.0,"event":"eventsink_started","data":{}}"#;

        assert_eq!(
            live.receive_sink_body(Some(&authorization), body),
            SinkAnswer::NotLeading
        );
        let leading = Leading::start(&live.leading);
        assert_eq!(
            live.receive_sink_body(Some(&authorization), body),
            SinkAnswer::Accepted
        );
        // Wrong credentials are refused first, leading or not.
        assert_eq!(
            live.receive_sink_body(Some("Basic eDp5"), body),
            SinkAnswer::Unauthorized
        );
        drop(leading);
        assert_eq!(
            live.receive_sink_body(Some(&authorization), body),
            SinkAnswer::NotLeading
        );
    }

    #[tokio::test]
    async fn closing_reaches_every_clone() {
        let live = Live::default();
        let viewer = live.clone();
        let waiting = tokio::spawn(async move { viewer.closed().await });
        live.close();
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the stream hears the close")
            .expect("no panic");
        // Closed stays closed for streams that start later.
        tokio::time::timeout(Duration::from_secs(5), live.closed())
            .await
            .expect("already closed");
    }
}
