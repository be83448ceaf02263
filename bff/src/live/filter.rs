//! Each viewer's share of the feed: the conferences inside their scope (the policy's
//! [`Scope::contains_conference`]), the platform only for viewers with the right to see it.

use super::hub::{Applied, HubSubscription};
use super::model::{LiveMessage, LiveState, ViewerRights};
use crate::policy::Scope;

/// What one viewer may see and do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub scope: Scope,
    pub rights: ViewerRights,
}

impl Viewer {
    /// The state as this viewer sees it.
    pub fn filter_state(&self, state: &LiveState) -> LiveState {
        let mut shown = state.clone();
        shown
            .conferences
            .retain(|_, conference| self.scope.contains_conference(conference));
        if !self.rights.platform {
            shown.platform = None;
            shown.history.clear();
        }
        shown
    }

    /// The message as this viewer sees it, or `None` when nothing of it is theirs. A
    /// conference that leaves the viewer's scope is sent as removed; ended conferences the
    /// viewer never saw are not named.
    pub fn filter(&self, applied: &Applied) -> Option<LiveMessage> {
        match &applied.message {
            LiveMessage::Snapshot { state, .. } => Some(LiveMessage::Snapshot {
                state: self.filter_state(state),
                rights: self.rights.clone(),
            }),
            LiveMessage::Conferences {
                version,
                upserted,
                removed,
            } => {
                let was_shown = |name: &str| {
                    applied
                        .before
                        .get(name)
                        .is_some_and(|before| self.scope.contains_conference(before))
                };
                let mut shown_removed: Vec<String> = removed
                    .iter()
                    .filter(|name| was_shown(name))
                    .cloned()
                    .collect();
                let mut shown_upserted = Vec::new();
                for conference in upserted {
                    if self.scope.contains_conference(conference) {
                        shown_upserted.push(conference.clone());
                    } else if was_shown(&conference.name) {
                        shown_removed.push(conference.name.clone());
                    }
                }
                (!shown_upserted.is_empty() || !shown_removed.is_empty()).then_some(
                    LiveMessage::Conferences {
                        version: *version,
                        upserted: shown_upserted,
                        removed: shown_removed,
                    },
                )
            }
            LiveMessage::Platform { .. } => self.rights.platform.then(|| applied.message.clone()),
            LiveMessage::Locations { .. } | LiveMessage::Feed { .. } => {
                Some(applied.message.clone())
            }
        }
    }
}

/// One viewer's stream: a snapshot (or the messages missed since a resume), then every change
/// they may see.
pub struct LiveSubscription {
    inner: HubSubscription,
    viewer: Viewer,
}

impl LiveSubscription {
    pub(crate) fn new(inner: HubSubscription, viewer: Viewer) -> Self {
        LiveSubscription { inner, viewer }
    }

    /// What the viewer may do (also in every snapshot).
    pub fn rights(&self) -> &ViewerRights {
        &self.viewer.rights
    }

    /// The next message for this viewer (messages with nothing for them are skipped).
    pub async fn next(&mut self) -> Option<LiveMessage> {
        loop {
            let applied = self.inner.next().await?;
            if let Some(message) = self.viewer.filter(&applied) {
                return Some(message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::hub::LiveHub;
    use crate::live::model::{LiveConference, PlatformStatus};

    fn conference(name: &str, tag: &str, owner: Option<&str>) -> LiveConference {
        LiveConference {
            name: name.into(),
            tag: tag.into(),
            owner: owner.map(String::from),
            ..Default::default()
        }
    }

    fn upsert(conferences: Vec<LiveConference>, removed: &[&str]) -> LiveMessage {
        LiveMessage::Conferences {
            version: 0,
            upserted: conferences,
            removed: removed.iter().map(|n| n.to_string()).collect(),
        }
    }

    fn tenant(tag: &str) -> Viewer {
        Viewer {
            scope: Scope::Tenant {
                tag: tag.into(),
                alias_domains: vec![],
            },
            rights: ViewerRights::default(),
        }
    }

    fn names(message: &Option<LiveMessage>) -> (Vec<String>, Vec<String>) {
        match message {
            Some(LiveMessage::Conferences {
                upserted, removed, ..
            }) => (
                upserted.iter().map(|c| c.name.clone()).collect(),
                removed.clone(),
            ),
            None => (vec![], vec![]),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn tenants_see_their_conferences_only_and_learn_when_one_leaves() {
        let hub = LiveHub::new(16);
        let mut acme = hub.subscribe(None);
        let viewer = tenant("acme");
        hub.publish(upsert(
            vec![
                conference("a", "acme", None),
                conference("g", "globex", None),
            ],
            &[],
        ));
        // Moves out of acme, and globex's conference ends.
        hub.publish(upsert(vec![conference("a", "globex", None)], &["g"]));
        // Ends while outside acme's scope: acme is not told about it again.
        hub.publish(upsert(vec![], &["a"]));

        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut seen = Vec::new();
        rt.block_on(async {
            for _ in 0..4 {
                let applied = acme.next().await.unwrap();
                seen.push(viewer.filter(&applied));
            }
        });
        assert!(
            matches!(&seen[0], Some(LiveMessage::Snapshot { state, .. }) if state.conferences.is_empty())
        );
        assert_eq!(names(&seen[1]), (vec!["a".to_string()], vec![]));
        assert_eq!(names(&seen[2]), (vec![], vec!["a".to_string()]));
        assert_eq!(seen[3], None, "nothing of acme's");
    }

    #[test]
    fn owners_match_case_insensitively_and_unknown_owners_are_nobodys() {
        let viewer = Viewer {
            scope: Scope::Owner {
                email: "alice@acme.example".into(),
                editable_fields: vec![],
            },
            rights: ViewerRights::default(),
        };
        let mut state = LiveState::default();
        for c in [
            conference("mine", "acme", Some("Alice@ACME.example")),
            conference("bobs", "acme", Some("bob@acme.example")),
            conference("gateway", "", None),
        ] {
            state.conferences.insert(c.name.clone(), c);
        }
        state.platform = Some(PlatformStatus::default());
        let shown = viewer.filter_state(&state);
        assert_eq!(shown.conferences.keys().collect::<Vec<_>>(), ["mine"]);
        assert_eq!(shown.platform, None);
    }

    #[test]
    fn the_platform_goes_only_to_viewers_with_the_right() {
        let platform = Applied {
            message: LiveMessage::Platform {
                version: 3,
                platform: PlatformStatus::default(),
                sample: Default::default(),
            },
            before: Default::default(),
        };
        let mut admin = tenant("acme");
        admin.scope = Scope::All;
        admin.rights.platform = true;
        assert!(admin.filter(&platform).is_some());
        assert!(tenant("acme").filter(&platform).is_none());
    }
}
