//! Which call-control buttons a viewer gets, from the rights their stream carries. The policy
//! decides every command on the server again; this only spares people buttons that would fail.

use bff::live::model::ViewerRights;

/// A group of call-control buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Mute and unmute a participant, or all guests.
    Mute,
    /// Lock and unlock a conference.
    Lock,
    /// Disconnect a participant, or end the conference.
    Disconnect,
    /// Dial someone in (not a host control).
    Dial,
}

impl Control {
    /// The host control (`ViewerRights::host_controls`) that grants this group, if any.
    fn host_control(self) -> Option<&'static str> {
        match self {
            Control::Mute => Some("mute"),
            Control::Lock => Some("lock"),
            Control::Disconnect => Some("disconnect"),
            Control::Dial => None,
        }
    }
}

/// Whether the viewer gets the buttons of `control`: everything with call control, else only
/// their host controls (end users, on the conferences of their own rooms, which is all their
/// stream shows).
pub fn allows(rights: &ViewerRights, control: Control) -> bool {
    rights.call_control
        || control
            .host_control()
            .is_some_and(|name| rights.host_controls.iter().any(|c| c == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_control_allows_everything_host_controls_only_theirs() {
        let staff = ViewerRights {
            call_control: true,
            ..Default::default()
        };
        let host = ViewerRights {
            host_controls: vec!["mute".into(), "lock".into()],
            ..Default::default()
        };
        let watcher = ViewerRights::default();
        for control in [
            Control::Mute,
            Control::Lock,
            Control::Disconnect,
            Control::Dial,
        ] {
            assert!(allows(&staff, control), "{control:?}");
            assert!(!allows(&watcher, control), "{control:?}");
        }
        assert!(allows(&host, Control::Mute));
        assert!(allows(&host, Control::Lock));
        assert!(!allows(&host, Control::Disconnect));
        assert!(!allows(&host, Control::Dial));
    }
}
