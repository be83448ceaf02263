//! Alarms raised by the platform while a condition holds, and cleared when it stops.

use serde_json::{Value, json};

use super::time::{Instant, iso};

#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub id: u64,
    /// What it is about (stable while the condition holds), e.g. `capacity:<node address>`.
    pub key: String,
    pub level: &'static str,
    pub name: String,
    pub details: String,
    pub node: String,
    pub time_raised: Instant,
}

impl Alarm {
    pub fn status_json(&self) -> Value {
        json!({
            "details": self.details,
            "id": self.id,
            "identifier": self.key,
            "instance": self.node,
            "level": self.level,
            "name": self.name,
            "node": self.node,
            "resource_uri": format!("/api/admin/status/v1/alarm/{}/", self.id),
            "time_raised": iso(self.time_raised),
        })
    }
}

/// A condition that should be alarmed now.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub key: String,
    pub level: &'static str,
    pub name: String,
    pub details: String,
    pub node: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alarms {
    pub active: Vec<Alarm>,
    next_id: u64,
}

impl Alarms {
    /// Raises alarms for new conditions and clears those whose condition has gone.
    pub fn reconcile(&mut self, now: Instant, conditions: Vec<Condition>) {
        self.active
            .retain(|a| conditions.iter().any(|c| c.key == a.key));
        for c in conditions {
            if self.active.iter().any(|a| a.key == c.key) {
                continue;
            }
            self.next_id += 1;
            self.active.push(Alarm {
                id: self.next_id,
                key: c.key,
                level: c.level,
                name: c.name,
                details: c.details,
                node: c.node,
                time_raised: now,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn cond(key: &str) -> Condition {
        Condition {
            key: key.into(),
            level: "error",
            name: "n".into(),
            details: "d".into(),
            node: "x".into(),
        }
    }

    #[test]
    fn raises_once_and_clears_when_gone() {
        let t0 = NaiveDate::from_ymd_opt(2017, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let t1 = t0 + chrono::Duration::seconds(5);
        let mut a = Alarms::default();
        a.reconcile(t0, vec![cond("a")]);
        a.reconcile(t1, vec![cond("a"), cond("b")]);
        assert_eq!(a.active.len(), 2);
        assert_eq!(a.active[0].time_raised, t0);
        assert_eq!(a.active[1].id, 2);
        a.reconcile(t1, vec![cond("b")]);
        assert_eq!(
            a.active.iter().map(|x| x.key.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
    }
}
