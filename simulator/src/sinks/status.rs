//! The delivery state of the sinks, for tests and operators (`GET /_sim/event_sinks`): per
//! sink and node, the last `seq` given out and delivered, what waits, what was dropped, and
//! the last failure.

use serde::Serialize;

/// One publisher: a sink's series from one node.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NodeStatus {
    /// The sending node's address.
    pub node: String,
    /// The last sequence number given out (delivered, waiting or dropped).
    pub seq: u64,
    /// The last sequence number delivered.
    pub delivered_seq: u64,
    /// Events waiting to be delivered.
    pub queued: u64,
    /// Events delivered.
    pub delivered: u64,
    /// Events dropped by the fault mode (their numbers are a gap).
    pub dropped: u64,
    /// Successful POSTs (one per event, or one per interval with bulk support).
    pub posts: u64,
    /// Failed POSTs (each retried).
    pub failures: u64,
    /// Why the last POST failed, if it did; `null` once one has succeeded since.
    pub last_error: Option<String>,
}

/// One sink.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinkStatus {
    /// Its configuration id.
    pub id: String,
    pub name: String,
    pub version: u8,
    pub bulk_support: bool,
    /// How many times it (re)started: its configuration changed, or `restart_date` was set.
    pub starts: u64,
    /// Its publishers, by node address.
    pub nodes: Vec<NodeStatus>,
}
