//! What the simulated people saw: one record per request (endpoint, when it started, how long it
//! took, the answer's status or why there was none, an excerpt of an error body), how an answer
//! is classified, and the per-endpoint table.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

/// How a request ended.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The server answered with this status.
    Status(u16),
    /// No answer: `connect` (refused), `timeout`, or `closed` (the connection broke mid-way).
    NoAnswer(&'static str),
}

impl Outcome {
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Status(status) if (200..400).contains(status))
    }

    /// A 5xx answer or none at all.
    pub fn is_failure(&self) -> bool {
        match self {
            Outcome::Status(status) => *status >= 500,
            Outcome::NoAnswer(_) => true,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Outcome::Status(status) => status.to_string(),
            Outcome::NoAnswer(kind) => format!("no answer ({kind})"),
        }
    }
}

/// One request of one person.
#[derive(Debug, Clone)]
pub struct Record {
    /// The server function's path without `/api/` (`rooms/list`).
    pub endpoint: &'static str,
    /// When the request was sent, since the run started.
    pub at: Duration,
    pub took: Duration,
    pub outcome: Outcome,
    /// The start of the body of an answer other than 2xx/3xx.
    pub body: Option<String>,
}

impl Record {
    /// When the answer (or the failure) came, since the run started.
    pub fn ended(&self) -> Duration {
        self.at + self.took
    }

    /// An error answer the UI can show: the server functions' JSON error shape (a unit variant
    /// such as `"NotSignedIn"`, or `{"Variant": "message"}` / `{"Invalid": {"message": ..}}`)
    /// with no debug text in it.
    pub fn readable_error(&self) -> bool {
        let Some(body) = &self.body else {
            return false;
        };
        let lowered = body.to_ascii_lowercase();
        if ["panicked", "<html", "backtrace", "stack backtrace"]
            .iter()
            .any(|word| lowered.contains(word))
        {
            return false;
        }
        match serde_json::from_str::<Value>(body) {
            Ok(Value::String(variant)) => !variant.is_empty(),
            Ok(Value::Object(map)) if map.len() == 1 => match map.values().next() {
                Some(Value::String(message)) => !message.trim().is_empty(),
                Some(Value::Object(inner)) => inner
                    .get("message")
                    .and_then(Value::as_str)
                    .is_some_and(|m| !m.trim().is_empty()),
                _ => false,
            },
            _ => false,
        }
    }
}

/// The longest error body excerpt kept.
const BODY_EXCERPT: usize = 300;

/// The excerpt of an error body that a record keeps.
pub fn excerpt(body: &str) -> String {
    if body.chars().count() > BODY_EXCERPT {
        body.chars().take(BODY_EXCERPT).chain(['…']).collect()
    } else {
        body.to_string()
    }
}

/// Every record of the run, from every person.
#[derive(Default)]
pub struct Recorder {
    records: Mutex<Vec<Record>>,
}

impl Recorder {
    pub fn push(&self, record: Record) {
        self.records.lock().unwrap().push(record);
    }

    /// The records so far, in the order they ended.
    pub fn snapshot(&self) -> Vec<Record> {
        self.records.lock().unwrap().clone()
    }
}

/// The `p`th percentile (0-100) of sorted latencies, in milliseconds.
pub fn percentile(sorted: &[Duration], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = (sorted.len() * p / 100).min(sorted.len() - 1);
    sorted[index].as_secs_f64() * 1000.0
}

/// The per-endpoint table: requests, p50 and p99 of every answered request, and the answers
/// other than 2xx/3xx by status.
pub fn endpoint_table(records: &[Record]) -> String {
    let mut by_endpoint: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for record in records {
        by_endpoint.entry(record.endpoint).or_default().push(record);
    }
    let mut out = String::from(
        "| endpoint | requests | p50 | p99 | max | not 2xx (by status) |\n|---|---:|---:|---:|---:|---|\n",
    );
    let mut all: Vec<Duration> = Vec::new();
    for (endpoint, records) in &by_endpoint {
        let mut answered: Vec<Duration> = records
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Status(_)))
            .map(|r| r.took)
            .collect();
        answered.sort();
        all.extend(&answered);
        out.push_str(&format!(
            "| `{endpoint}` | {} | {:.1} ms | {:.1} ms | {:.0} ms | {} |\n",
            records.len(),
            percentile(&answered, 50),
            percentile(&answered, 99),
            answered.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
            not_2xx(records.iter().copied()),
        ));
    }
    all.sort();
    out.push_str(&format!(
        "| **all** | {} | {:.1} ms | {:.1} ms | {:.0} ms | {} |\n",
        records.len(),
        percentile(&all, 50),
        percentile(&all, 99),
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        not_2xx(records.iter()),
    ));
    out
}

/// `401×12, 502×3` for the records that did not succeed; `–` when all did.
pub fn not_2xx<'a>(records: impl Iterator<Item = &'a Record>) -> String {
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for record in records.filter(|r| !r.outcome.is_success()) {
        *counts.entry(record.outcome.clone()).or_default() += 1;
    }
    if counts.is_empty() {
        return "–".into();
    }
    counts
        .iter()
        .map(|(outcome, n)| format!("{}×{n}", outcome.label()))
        .collect::<Vec<_>>()
        .join(", ")
}
