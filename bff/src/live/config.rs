//! The live feed's settings (`[live]` and `[live.event_sink]`).

use pexip::client::Secret;
use serde::{Deserialize, Serialize};

/// The receiver's path when `live.event_sink.path` is not set.
pub const DEFAULT_SINK_PATH: &str = "/api/live/event-sink";

/// Which upstream source feeds the live state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SourceMode {
    /// Event sinks when `[live.event_sink]` has a password, else the shared poller.
    #[default]
    Auto,
    /// The shared poller, even with an event sink configured.
    Poller,
    /// The node's event sinks (with status re-reads only to repair the state).
    EventSink,
}

/// `[live]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiveConfig {
    pub source: SourceMode,
    /// How often the poller reads conferences and participants.
    pub poll_interval_secs: u64,
    /// How often the platform's status (nodes, locations, alarms, licences...) is read.
    pub platform_interval_secs: u64,
    /// With several instances: how long the instance running the feed keeps it without renewing
    /// (it renews every third of it); when it dies, another takes over within this time.
    pub lease_ttl_secs: u64,
    pub event_sink: EventSinkConfig,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            source: SourceMode::Auto,
            poll_interval_secs: 2,
            platform_interval_secs: 15,
            lease_ttl_secs: super::lease::DEFAULT_TTL.as_secs(),
            event_sink: EventSinkConfig::default(),
        }
    }
}

/// `[live.event_sink]`: the portal's receiver for the node's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventSinkConfig {
    /// Where the node POSTs its events on the portal.
    pub path: String,
    /// The HTTP Basic user name the node sends.
    pub username: String,
    /// Its password; unset: no receiver (and `source = "auto"` polls).
    pub password: Option<Secret>,
    /// The receiver's full URL as the Conferencing Nodes reach it
    /// (`https://portal.example.com/api/live/event-sink`), for the sink the portal registers.
    pub public_url: Option<String>,
    /// Event bodies waiting to be processed at most; past it bodies are dropped and the state
    /// is repaired by one status read.
    pub queue_size: usize,
    /// With conferences in progress and no event for this long, the state is re-read.
    pub missed_interval_secs: u64,
}

impl Default for EventSinkConfig {
    fn default() -> Self {
        EventSinkConfig {
            path: DEFAULT_SINK_PATH.to_string(),
            username: "pexip-portal".to_string(),
            password: None,
            public_url: None,
            queue_size: 1024,
            missed_interval_secs: 300,
        }
    }
}

impl EventSinkConfig {
    /// Whether a receiver is configured (it has a password).
    pub fn is_configured(&self) -> bool {
        self.password.as_ref().is_some_and(|p| !p.is_empty())
    }

    /// Whether an `Authorization` header carries this sink's credentials (compared in
    /// constant time).
    pub fn authorizes(&self, authorization: Option<&str>) -> bool {
        use base64::Engine;
        let Some(password) = self.password.as_ref().filter(|p| !p.is_empty()) else {
            return false;
        };
        let Some(encoded) = authorization.and_then(|value| {
            value
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
                .map(|(_, rest)| rest.trim())
        }) else {
            return false;
        };
        let Ok(given) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
            return false;
        };
        let expected = format!("{}:{}", self.username, password.expose());
        crate::constant_time::eq(&given, expected.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn basic(credentials: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        )
    }

    #[test]
    fn only_the_configured_credentials_are_accepted() {
        let mut config = EventSinkConfig::default();
        assert!(
            !config.authorizes(Some(&basic("pexip-portal:"))),
            "no password: nobody"
        );
        config.password = Some(Secret::new("s3cret-sink"));
        assert!(config.authorizes(Some(&basic("pexip-portal:s3cret-sink"))));
        assert!(config.authorizes(Some(&format!(
            "basic  {}",
            base64::engine::general_purpose::STANDARD.encode("pexip-portal:s3cret-sink")
        ))));
        for wrong in [
            basic("pexip-portal:s3cret-sin"),
            basic("pexip-portal:s3cret-sinkk"),
            basic("other:s3cret-sink"),
            "Bearer x".to_string(),
            "Basic %%%".to_string(),
        ] {
            assert!(!config.authorizes(Some(&wrong)), "{wrong}");
        }
        assert!(!config.authorizes(None));
    }
}
