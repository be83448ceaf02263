//! The browser's end of the live feed: the state the server rendered, then the stream at
//! [`STREAM_PATH`] applied message by message ([`LiveState::apply`], the same code the server
//! runs), with automatic reconnection.
//!
//! While the stream is open the browser itself reconnects after a break and sends the last event
//! id it saw (`Last-Event-ID`), so the server can resume; when the browser gives up (the server
//! answered with an error), the page opens a new stream after a growing delay. Every stream starts
//! with a snapshot, so the state is whole again after any break.

use crate::api::live::LiveSnapshot;
#[cfg(feature = "hydrate")]
use bff::live::model::STREAM_PATH;
use bff::live::model::{LiveMessage, LiveState, ViewerRights};
use leptos::prelude::*;

/// How the page is connected to the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Rendered on the server, or the stream is being opened the first time.
    Connecting,
    /// The stream is open: changes show as they happen.
    Live,
    /// The stream broke and is being opened again; what is shown may be out of date.
    Reconnecting,
}

/// The live feed as one page follows it.
#[derive(Debug, Clone, Copy)]
pub struct LiveFeed {
    pub state: RwSignal<LiveState>,
    /// What the viewer may do (from the snapshot that starts every stream).
    pub rights: RwSignal<ViewerRights>,
    pub link: RwSignal<Link>,
    /// Whether a snapshot has arrived (from the server's render or from the stream).
    pub ready: RwSignal<bool>,
}

impl LiveFeed {
    /// A feed that follows the stream while the calling component is mounted (in the browser;
    /// on the server it holds what [`LiveFeed::seed`] gives it).
    pub fn follow() -> Self {
        let feed = LiveFeed {
            state: RwSignal::new(LiveState::default()),
            rights: RwSignal::new(ViewerRights::default()),
            link: RwSignal::new(Link::Connecting),
            ready: RwSignal::new(false),
        };
        Effect::new(move |_| browser::open(feed));
        feed
    }

    /// Takes the server-rendered snapshot, unless the stream has already given a newer state.
    pub fn seed(&self, snapshot: LiveSnapshot) {
        let newer = snapshot.state.version > self.state.with_untracked(|s| s.version);
        if !self.ready.get_untracked() || newer {
            self.state.set(snapshot.state);
            self.rights.set(snapshot.rights);
            self.ready.set(true);
        }
    }

    /// Applies one message of the stream. Changes the state already holds (a resumed stream may
    /// repeat some) are skipped; a snapshot always replaces the state.
    pub fn receive(&self, message: &LiveMessage) {
        match message {
            LiveMessage::Snapshot { rights, .. } => self.rights.set(rights.clone()),
            _ if message.version() <= self.state.with_untracked(|s| s.version) => return,
            _ => {}
        }
        self.state.update(|state| state.apply(message));
        self.ready.set(true);
    }
}

/// On the server there is no stream: the page renders the snapshot.
#[cfg(not(feature = "hydrate"))]
mod browser {
    pub fn open(_feed: super::LiveFeed) {}
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Link, LiveFeed, STREAM_PATH};
    use bff::live::model::LiveMessage;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use std::time::Duration;
    use web_sys::{Event, EventSource, MessageEvent};

    /// The first delay before the page opens a stream the browser gave up on; it doubles up to
    /// [`LAST_RETRY`] and starts over once a stream opens.
    const FIRST_RETRY: Duration = Duration::from_secs(1);
    const LAST_RETRY: Duration = Duration::from_secs(30);

    /// An open `EventSource` and its handlers (kept alive as long as it is).
    struct Stream {
        source: EventSource,
        _on_open: Closure<dyn FnMut(Event)>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    /// The page's connection to the feed.
    struct Connection {
        stream: Option<Stream>,
        /// The pending re-open, if any.
        retry: Option<TimeoutHandle>,
        delay: Duration,
    }

    type Shared = StoredValue<Connection, LocalStorage>;

    /// Opens the stream, and closes it when the page goes away.
    pub fn open(feed: LiveFeed) {
        let connection: Shared = StoredValue::new_local(Connection {
            stream: None,
            retry: None,
            delay: FIRST_RETRY,
        });
        connect(feed, connection);
        on_cleanup(move || {
            connection.update_value(|c| {
                if let Some(retry) = c.retry.take() {
                    retry.clear();
                }
                if let Some(stream) = c.stream.take() {
                    stream.source.close();
                }
            })
        });
    }

    fn connect(feed: LiveFeed, connection: Shared) {
        let source = match EventSource::new(STREAM_PATH) {
            Ok(source) => source,
            Err(_) => {
                feed.link.set(Link::Reconnecting);
                retry_later(feed, connection);
                return;
            }
        };
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            connection.update_value(|c| c.delay = FIRST_RETRY);
            feed.link.set(Link::Live);
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(data) = event.data().as_string() else {
                return;
            };
            match serde_json::from_str::<LiveMessage>(&data) {
                Ok(message) => feed.receive(&message),
                Err(error) => leptos::logging::warn!("live feed: unreadable message: {error}"),
            }
        });
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            feed.link.set(Link::Reconnecting);
            // CONNECTING: the browser retries by itself (sending Last-Event-ID). CLOSED: it gave
            // up, and the page opens a new stream later.
            if watched.ready_state() == EventSource::CLOSED {
                retry_later(feed, connection);
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let stream = Stream {
            source,
            _on_open: on_open,
            _on_message: on_message,
            _on_error: on_error,
        };
        connection.update_value(|c| c.stream = Some(stream));
    }

    /// Schedules a new stream after the current delay (once), and doubles the delay. The old
    /// stream is dropped from the timer, never from inside one of its own handlers.
    fn retry_later(feed: LiveFeed, connection: Shared) {
        let Some(Some(delay)) = connection.try_update_value(|c| {
            if c.retry.is_some() {
                None
            } else {
                let delay = c.delay;
                c.delay = (c.delay * 2).min(LAST_RETRY);
                Some(delay)
            }
        }) else {
            return;
        };
        let reopen = move || {
            let old = connection.try_update_value(|c| {
                c.retry = None;
                c.stream.take()
            });
            let Some(old) = old else {
                // The page has gone away.
                return;
            };
            if let Some(stream) = old {
                stream.source.close();
            }
            connect(feed, connection);
        };
        if let Ok(handle) = set_timeout_with_handle(reopen, delay) {
            connection.update_value(|c| c.retry = Some(handle));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bff::live::model::{FeedHealth, LiveConference};

    fn conference(name: &str) -> LiveConference {
        LiveConference {
            name: name.into(),
            ..Default::default()
        }
    }

    fn snapshot(version: u64, names: &[&str], call_control: bool) -> LiveSnapshot {
        let mut state = LiveState {
            version,
            ..Default::default()
        };
        for name in names {
            state.conferences.insert((*name).into(), conference(name));
        }
        LiveSnapshot {
            state,
            rights: ViewerRights {
                call_control,
                ..Default::default()
            },
        }
    }

    #[test]
    fn the_stream_overtakes_the_rendered_snapshot_and_repeats_are_skipped() {
        let owner = Owner::new();
        owner.with(|| {
            let feed = LiveFeed::follow();
            feed.seed(snapshot(5, &["a"], false));
            assert!(feed.ready.get_untracked());
            assert_eq!(feed.state.with_untracked(|s| s.version), 5);

            // A change the state already holds (a resumed stream) is skipped.
            feed.receive(&LiveMessage::Conferences {
                version: 5,
                upserted: vec![conference("stale")],
                removed: vec![],
            });
            assert!(
                feed.state
                    .with_untracked(|s| !s.conferences.contains_key("stale"))
            );

            feed.receive(&LiveMessage::Conferences {
                version: 6,
                upserted: vec![conference("b")],
                removed: vec!["a".into()],
            });
            feed.receive(&LiveMessage::Feed {
                version: 7,
                feed: FeedHealth {
                    problem: Some("the node answered 429".into()),
                    ..Default::default()
                },
            });
            let names: Vec<String> = feed
                .state
                .with_untracked(|s| s.conferences.keys().cloned().collect());
            assert_eq!(names, ["b"]);
            assert_eq!(
                feed.state.with_untracked(|s| s.feed.problem.clone()),
                Some("the node answered 429".into())
            );

            // An older server render arriving late does not undo the stream.
            feed.seed(snapshot(6, &["a"], false));
            assert_eq!(feed.state.with_untracked(|s| s.version), 7);

            // A snapshot (a new stream, e.g. after a server restart) replaces everything, with
            // the viewer's rights, whatever its version.
            let fresh = snapshot(1, &["c"], true);
            feed.receive(&LiveMessage::Snapshot {
                state: fresh.state.clone(),
                rights: fresh.rights.clone(),
            });
            assert_eq!(feed.state.get_untracked(), fresh.state);
            assert!(feed.rights.with_untracked(|r| r.call_control));
        });
    }
}
