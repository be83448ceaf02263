//! The bodies POSTed to a sink: one event in its envelope
//! `{node, seq, version, time, event, data}`, or with bulk support the envelopes of an
//! interval wrapped in an `eventsink_bulk` message (its own `seq` is 0; the items keep theirs).

use serde_json::{Value, json};

use super::payload::Object;

/// One event in its envelope.
pub fn envelope(node: &str, seq: u64, version: u8, time: f64, event: &str, data: Object) -> Value {
    json!({
        "data": data,
        "event": event,
        "node": node,
        "seq": seq,
        "time": time,
        "version": version,
    })
}

/// The `eventsink_bulk` message carrying `items` (envelopes), sent at `time`.
pub fn bulk(node: &str, version: u8, time: f64, items: Vec<Value>) -> Value {
    json!({
        "data": items,
        "event": "eventsink_bulk",
        "node": node,
        "seq": 0,
        "time": time,
        "version": version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let one = envelope("10.0.0.1", 3, 2, 1.5, "conference_updated", Object::new());
        assert_eq!(
            one,
            json!({"node": "10.0.0.1", "seq": 3, "version": 2, "time": 1.5,
                "event": "conference_updated", "data": {}})
        );
        let many = bulk("10.0.0.1", 1, 2.0, vec![one.clone()]);
        assert_eq!(many["event"], "eventsink_bulk");
        assert_eq!(many["seq"], 0);
        assert_eq!(many["data"], json!([one]));
    }
}
