//! The provisioning emails the command API "sent" (`conference/send_conference_email`,
//! `conference/send_device_email`): the simulator has no mail server, so it keeps them here for
//! tests to read (`GET /_sim/emails`, [`crate::RunningSim::emails`]).

use serde::{Deserialize, Serialize};

/// The most emails kept; older ones are dropped first.
pub const MAX_KEPT: usize = 1000;

/// One provisioning email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentEmail {
    /// `send_conference_email` or `send_device_email`.
    pub command: String,
    /// The configuration resource the email is about (`conference`, `device`).
    pub resource: String,
    /// The object's id, as the command received it.
    pub object_id: String,
    /// Its name (a service's `name`, a device's `alias`).
    pub name: String,
    /// The owner it was sent to (`primary_owner_email_address`; empty when the object has none).
    pub to: String,
    /// When, in simulation time (naive UTC, ISO-8601).
    pub sent_at: String,
}

/// The emails sent so far, oldest first.
#[derive(Debug, Default)]
pub struct Outbox {
    sent: Vec<SentEmail>,
}

impl Outbox {
    pub fn record(&mut self, email: SentEmail) {
        if self.sent.len() >= MAX_KEPT {
            self.sent.remove(0);
        }
        self.sent.push(email);
    }

    pub fn sent(&self) -> Vec<SentEmail> {
        self.sent.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(n: usize) -> SentEmail {
        SentEmail {
            command: "send_conference_email".into(),
            resource: "conference".into(),
            object_id: n.to_string(),
            name: format!("VMR {n}"),
            to: "alice@example.com".into(),
            sent_at: "2017-01-16T09:00:00".into(),
        }
    }

    #[test]
    fn keeps_the_newest() {
        let mut outbox = Outbox::default();
        for n in 0..MAX_KEPT + 2 {
            outbox.record(email(n));
        }
        let sent = outbox.sent();
        assert_eq!(sent.len(), MAX_KEPT);
        assert_eq!(sent[0].object_id, "2");
        assert_eq!(sent[MAX_KEPT - 1].object_id, (MAX_KEPT + 1).to_string());
    }
}
