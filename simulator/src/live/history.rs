//! The history of ended conference instances with their participants and backplanes: the
//! newest 10,000 instances are kept, the oldest dropped with everything that belongs to it.

use std::collections::VecDeque;

use serde_json::Value;

/// How many conference instances the history keeps.
pub const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub conference: Value,
    pub participants: Vec<Value>,
    pub backplanes: Vec<Value>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    instances: VecDeque<Instance>,
    /// History-wide numbering of media stream records.
    pub next_stream_id: u64,
}

fn id_of(v: &Value) -> &str {
    v.get("id").and_then(Value::as_str).unwrap_or_default()
}

impl History {
    pub fn record(&mut self, instance: Instance) {
        self.instances.push_back(instance);
        while self.instances.len() > CAPACITY {
            self.instances.pop_front();
        }
    }

    pub fn len(&self) -> usize {
        self.instances.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    pub fn conferences(&self) -> impl Iterator<Item = &Value> {
        self.instances.iter().map(|i| &i.conference)
    }

    pub fn participants(&self) -> impl Iterator<Item = &Value> {
        self.instances.iter().flat_map(|i| i.participants.iter())
    }

    pub fn backplanes(&self) -> impl Iterator<Item = &Value> {
        self.instances.iter().flat_map(|i| i.backplanes.iter())
    }

    /// The record of participant `id`, looked for from the newest instance back (a participant
    /// who has just left is found at once).
    pub fn recent_participant(&self, id: &str) -> Option<&Value> {
        self.instances
            .iter()
            .rev()
            .flat_map(|i| i.participants.iter())
            .find(|p| id_of(p) == id)
    }

    pub fn conference(&self, id: &str) -> Option<&Value> {
        self.conferences().find(|c| id_of(c) == id)
    }

    pub fn participant(&self, id: &str) -> Option<&Value> {
        self.participants().find(|p| id_of(p) == id)
    }

    pub fn backplane(&self, id: &str) -> Option<&Value> {
        self.backplanes().find(|b| id_of(b) == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_the_newest_instances_with_their_participants() {
        let mut h = History::default();
        for i in 0..CAPACITY + 5 {
            h.record(Instance {
                conference: json!({"id": format!("c{i}")}),
                participants: vec![json!({"id": format!("p{i}")})],
                backplanes: vec![],
            });
        }
        assert_eq!(h.len(), CAPACITY);
        assert!(h.conference("c4").is_none());
        assert!(h.participant("p4").is_none());
        assert!(h.conference("c5").is_some());
        assert!(h.participant(&format!("p{}", CAPACITY + 4)).is_some());
        assert_eq!(h.participants().count(), CAPACITY);
    }
}
