//! The portal's operational metrics and their Prometheus text exposition (format 0.0.4), served
//! by the server's `GET /metrics`.
//!
//! [`Metrics`] holds what the portal counts as it runs (viewers of the live feed, the feed's lag,
//! event sink gaps, failed sign-ins); what is cheaper to read when scraped (the Pexip client's
//! per-request records, the session count, the resident memory) comes in a [`Sample`] taken at
//! scrape time. One [`Metrics`] per process, in [`crate::portal::Portal`]; no global state.

use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use pexip::client::{LATENCY_BUCKETS_SECONDS, RequestStats};

/// The most distinct `source` labels of the sign-in failure counter; failures from further
/// sources are counted under [`OTHER_SOURCE`], so that the label set stays bounded.
pub const MAX_SIGN_IN_SOURCES: usize = 32;

/// The `source` label of sign-in failures beyond [`MAX_SIGN_IN_SOURCES`] sources.
pub const OTHER_SOURCE: &str = "other";

/// `feed_lag_ms` before the feed reported any lag.
const NO_LAG: u64 = u64::MAX;

/// The metrics the portal updates as it runs. Cheap to clone (clones share the counters).
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    inner: Arc<Registry>,
}

#[derive(Debug)]
struct Registry {
    viewers: AtomicU64,
    feed_lag_ms: AtomicU64,
    sink_gaps: AtomicU64,
    sign_in_failures: Mutex<BTreeMap<String, u64>>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            viewers: AtomicU64::new(0),
            feed_lag_ms: AtomicU64::new(NO_LAG),
            sink_gaps: AtomicU64::new(0),
            sign_in_failures: Mutex::new(BTreeMap::new()),
        }
    }
}

/// One connected viewer of the live feed, counted while this guard lives.
#[derive(Debug)]
#[must_use = "the viewer is counted only while the guard lives"]
pub struct ViewerGuard {
    registry: Arc<Registry>,
}

impl Drop for ViewerGuard {
    fn drop(&mut self) {
        self.registry.viewers.fetch_sub(1, Ordering::Relaxed);
    }
}

/// What is read when the metrics are scraped rather than counted as it happens.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// The Pexip client's per-request records ([`pexip::client::Client::request_stats`]).
    pub upstream: RequestStats,
    /// Sessions not yet expired; `None` when the store cannot count them cheaply (Redis).
    pub active_sessions: Option<u64>,
    /// The process's resident memory ([`resident_memory_bytes`]); `None` where unknown.
    pub resident_memory_bytes: Option<u64>,
}

impl Metrics {
    /// Counts one more connected viewer of the live feed until the returned guard is dropped.
    pub fn viewer_connected(&self) -> ViewerGuard {
        self.inner.viewers.fetch_add(1, Ordering::Relaxed);
        ViewerGuard {
            registry: self.inner.clone(),
        }
    }

    /// The live feed's current lag: how far behind the node's state it is, in milliseconds.
    pub fn set_feed_lag_ms(&self, ms: u64) {
        self.inner
            .feed_lag_ms
            .store(ms.min(NO_LAG - 1), Ordering::Relaxed);
    }

    /// Counts `count` events missed by the event sink (gaps in a node's sequence numbers).
    pub fn sink_gap(&self, count: u64) {
        self.inner.sink_gaps.fetch_add(count, Ordering::Relaxed);
    }

    /// Counts one failed sign-in through `source`: `password` (a local account), `ldap`, or a
    /// single sign-on provider's id. Sources come from the configuration, so they are few;
    /// beyond [`MAX_SIGN_IN_SOURCES`] distinct ones, failures count under [`OTHER_SOURCE`].
    pub fn sign_in_failure(&self, source: &str) {
        let mut failures = self
            .inner
            .sign_in_failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = failures.get_mut(source) {
            *count += 1;
            return;
        }
        let label = if failures.len() < MAX_SIGN_IN_SOURCES {
            source
        } else {
            OTHER_SOURCE
        };
        *failures.entry(label.to_owned()).or_default() += 1;
    }

    /// Every metric in the Prometheus text exposition format 0.0.4 (content type
    /// [`CONTENT_TYPE`]), with the scrape-time values of `sample`.
    pub fn render(&self, sample: &Sample) -> String {
        let mut out = Exposition::default();
        render_upstream(&mut out, &sample.upstream);

        out.family(
            "portal_live_viewers",
            "gauge",
            "Browsers connected to the live feed.",
        );
        out.sample(
            "portal_live_viewers",
            &[],
            self.inner.viewers.load(Ordering::Relaxed),
        );
        let lag = self.inner.feed_lag_ms.load(Ordering::Relaxed);
        if lag != NO_LAG {
            out.family(
                "portal_live_feed_lag_seconds",
                "gauge",
                "How far the live feed is behind the node's state.",
            );
            out.sample("portal_live_feed_lag_seconds", &[], lag as f64 / 1000.0);
        }
        out.family(
            "portal_live_sink_gaps_total",
            "counter",
            "Events the event sink missed (gaps in a node's sequence numbers).",
        );
        out.sample(
            "portal_live_sink_gaps_total",
            &[],
            self.inner.sink_gaps.load(Ordering::Relaxed),
        );

        out.family(
            "portal_sign_in_failures_total",
            "counter",
            "Failed sign-ins by identity source (password, ldap, or a single sign-on provider's id).",
        );
        let failures = self
            .inner
            .sign_in_failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        for (source, count) in &failures {
            out.sample(
                "portal_sign_in_failures_total",
                &[("source", source)],
                count,
            );
        }

        if let Some(sessions) = sample.active_sessions {
            out.family(
                "portal_sessions_active",
                "gauge",
                "Sessions in the session store that have not expired.",
            );
            out.sample("portal_sessions_active", &[], sessions);
        }
        if let Some(bytes) = sample.resident_memory_bytes {
            out.family(
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory size in bytes.",
            );
            out.sample("process_resident_memory_bytes", &[], bytes);
        }
        out.text
    }
}

/// The content type of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The Pexip client's requests and latency.
fn render_upstream(out: &mut Exposition, upstream: &RequestStats) {
    const REQUESTS: &str = "portal_upstream_requests_total";
    out.family(
        REQUESTS,
        "counter",
        "Requests to the Pexip Management API (every attempt, retries included) by API, method \
         and status code (or timeout, unreachable, untrusted, invalid_response without one).",
    );
    for request in &upstream.requests {
        out.sample(
            REQUESTS,
            &[
                ("api", request.api.as_str()),
                ("method", request.method),
                ("status", &request.outcome.label()),
            ],
            request.count,
        );
    }

    const LATENCY: &str = "portal_upstream_request_duration_seconds";
    out.family(
        LATENCY,
        "histogram",
        "Duration of requests to the Pexip Management API, from sending to the end of the answer.",
    );
    for histogram in &upstream.latency {
        let api = histogram.api.as_str();
        let mut cumulative = 0;
        for (i, count) in histogram.buckets.iter().enumerate() {
            cumulative += count;
            let le = LATENCY_BUCKETS_SECONDS
                .get(i)
                .map_or_else(|| "+Inf".to_owned(), |bound| bound.to_string());
            out.sample(
                &format!("{LATENCY}_bucket"),
                &[("api", api), ("le", &le)],
                cumulative,
            );
        }
        out.sample(
            &format!("{LATENCY}_sum"),
            &[("api", api)],
            histogram.sum_seconds,
        );
        out.sample(
            &format!("{LATENCY}_count"),
            &[("api", api)],
            histogram.count,
        );
    }
}

/// The process's resident memory in bytes (`VmRSS` of `/proc/self/status`); `None` where there
/// is no such file (not Linux) or it cannot be read.
pub fn resident_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_rss(&status)
}

/// `VmRSS:   1234 kB` as bytes.
fn parse_vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    let kib = line.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
    kib.checked_mul(1024)
}

/// Text being written in the exposition format.
#[derive(Default)]
struct Exposition {
    text: String,
}

impl Exposition {
    /// The `# HELP` and `# TYPE` lines of a metric family.
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        // Writing to a String cannot fail.
        let _ = writeln!(self.text, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }

    /// One sample line: `name{label="value",...} value`.
    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: impl Display) {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (label, value)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                self.text.push_str(label);
                self.text.push_str("=\"");
                for c in value.chars() {
                    match c {
                        '\\' => self.text.push_str("\\\\"),
                        '"' => self.text.push_str("\\\""),
                        '\n' => self.text.push_str("\\n"),
                        c => self.text.push(c),
                    }
                }
                self.text.push('"');
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pexip::client::{Api, LatencyHistogram, Outcome, RequestCount};

    /// The sample lines of `text` as (name with labels, value).
    fn samples(text: &str) -> Vec<(&str, &str)> {
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| line.rsplit_once(' ').expect("name value"))
            .collect()
    }

    fn value<'a>(text: &'a str, series: &str) -> &'a str {
        samples(text)
            .into_iter()
            .find(|(name, _)| *name == series)
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
            .1
    }

    fn upstream() -> RequestStats {
        let mut buckets = [0; LATENCY_BUCKETS_SECONDS.len() + 1];
        buckets[0] = 2; // <= 5 ms
        buckets[4] = 1; // <= 100 ms
        buckets[LATENCY_BUCKETS_SECONDS.len()] = 1; // > 10 s
        RequestStats {
            requests: vec![
                RequestCount {
                    api: Api::Configuration,
                    method: "GET",
                    outcome: Outcome::Status(200),
                    count: 3,
                },
                RequestCount {
                    api: Api::Configuration,
                    method: "GET",
                    outcome: Outcome::Timeout,
                    count: 1,
                },
            ],
            latency: vec![LatencyHistogram {
                api: Api::Configuration,
                buckets,
                sum_seconds: 12.5,
                count: 4,
            }],
        }
    }

    #[test]
    fn upstream_requests_and_a_cumulative_histogram() {
        let text = Metrics::default().render(&Sample {
            upstream: upstream(),
            ..Sample::default()
        });
        assert!(text.contains(
            "# HELP portal_upstream_requests_total Requests to the Pexip Management API"
        ));
        assert!(text.contains("# TYPE portal_upstream_requests_total counter\n"));
        assert_eq!(
            value(
                &text,
                r#"portal_upstream_requests_total{api="configuration",method="GET",status="200"}"#
            ),
            "3"
        );
        assert_eq!(
            value(
                &text,
                r#"portal_upstream_requests_total{api="configuration",method="GET",status="timeout"}"#
            ),
            "1"
        );
        assert!(text.contains("# TYPE portal_upstream_request_duration_seconds histogram\n"));
        let bucket = |le: &str| {
            value(
                &text,
                &format!(
                    r#"portal_upstream_request_duration_seconds_bucket{{api="configuration",le="{le}"}}"#
                ),
            )
            .to_owned()
        };
        assert_eq!(bucket("0.005"), "2");
        assert_eq!(bucket("0.05"), "2");
        assert_eq!(bucket("0.1"), "3");
        assert_eq!(bucket("10"), "3");
        assert_eq!(bucket("+Inf"), "4");
        assert_eq!(
            value(
                &text,
                r#"portal_upstream_request_duration_seconds_sum{api="configuration"}"#
            ),
            "12.5"
        );
        assert_eq!(
            value(
                &text,
                r#"portal_upstream_request_duration_seconds_count{api="configuration"}"#
            ),
            "4"
        );
        // Buckets in increasing order, then the sum and the count, all of one family block.
        let names: Vec<&str> = samples(&text)
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name.starts_with("portal_upstream_request_duration_seconds"))
            .collect();
        assert_eq!(names.len(), LATENCY_BUCKETS_SECONDS.len() + 3);
        assert!(names[LATENCY_BUCKETS_SECONDS.len()].contains(r#"le="+Inf""#));
        assert!(names[LATENCY_BUCKETS_SECONDS.len() + 1].ends_with("_sum{api=\"configuration\"}"));
    }

    #[test]
    fn viewers_lag_gaps_and_failures() {
        let metrics = Metrics::default();
        let render = |metrics: &Metrics| metrics.render(&Sample::default());
        assert_eq!(value(&render(&metrics), "portal_live_viewers"), "0");
        // No lag line until the feed reports one.
        assert!(!render(&metrics).contains("portal_live_feed_lag_seconds"));

        let first = metrics.viewer_connected();
        let second = metrics.clone().viewer_connected();
        assert_eq!(value(&render(&metrics), "portal_live_viewers"), "2");
        drop(first);
        assert_eq!(value(&render(&metrics), "portal_live_viewers"), "1");
        drop(second);
        assert_eq!(value(&render(&metrics), "portal_live_viewers"), "0");

        metrics.set_feed_lag_ms(1250);
        metrics.sink_gap(3);
        metrics.sink_gap(2);
        metrics.sign_in_failure("password");
        metrics.sign_in_failure("password");
        metrics.sign_in_failure("entra");
        let text = render(&metrics);
        assert!(text.contains("# TYPE portal_live_feed_lag_seconds gauge\n"));
        assert_eq!(value(&text, "portal_live_feed_lag_seconds"), "1.25");
        assert_eq!(value(&text, "portal_live_sink_gaps_total"), "5");
        assert_eq!(
            value(&text, r#"portal_sign_in_failures_total{source="password"}"#),
            "2"
        );
        assert_eq!(
            value(&text, r#"portal_sign_in_failures_total{source="entra"}"#),
            "1"
        );
    }

    #[test]
    fn sign_in_sources_stay_bounded() {
        let metrics = Metrics::default();
        for i in 0..MAX_SIGN_IN_SOURCES + 5 {
            metrics.sign_in_failure(&format!("provider{i}"));
        }
        // A source seen before the bound keeps its own label.
        metrics.sign_in_failure("provider0");
        let text = metrics.render(&Sample::default());
        let sources = samples(&text)
            .into_iter()
            .filter(|(name, _)| name.starts_with("portal_sign_in_failures_total"))
            .count();
        assert_eq!(sources, MAX_SIGN_IN_SOURCES + 1);
        assert_eq!(
            value(&text, r#"portal_sign_in_failures_total{source="other"}"#),
            "5"
        );
        assert_eq!(
            value(
                &text,
                r#"portal_sign_in_failures_total{source="provider0"}"#
            ),
            "2"
        );
    }

    #[test]
    fn label_values_and_help_are_escaped() {
        let metrics = Metrics::default();
        metrics.sign_in_failure("a\"b\\c\nd");
        let text = metrics.render(&Sample::default());
        assert_eq!(
            value(
                &text,
                r#"portal_sign_in_failures_total{source="a\"b\\c\nd"}"#
            ),
            "1"
        );
        let mut out = Exposition::default();
        out.family("x", "gauge", "back\\slash\nnew line");
        assert_eq!(
            out.text,
            "# HELP x back\\\\slash\\nnew line\n# TYPE x gauge\n"
        );
    }

    #[test]
    fn scrape_time_values() {
        let text = Metrics::default().render(&Sample {
            active_sessions: Some(7),
            resident_memory_bytes: Some(4096),
            ..Sample::default()
        });
        assert_eq!(value(&text, "portal_sessions_active"), "7");
        assert_eq!(value(&text, "process_resident_memory_bytes"), "4096");
        let text = Metrics::default().render(&Sample::default());
        assert!(!text.contains("portal_sessions_active"));
        assert!(!text.contains("process_resident_memory_bytes"));
    }

    #[test]
    fn every_family_has_help_and_type_before_its_samples() {
        let metrics = Metrics::default();
        metrics.set_feed_lag_ms(1);
        metrics.sign_in_failure("ldap");
        let text = metrics.render(&Sample {
            upstream: upstream(),
            active_sessions: Some(1),
            resident_memory_bytes: Some(1),
        });
        let mut typed = std::collections::BTreeSet::new();
        let mut helped = std::collections::BTreeSet::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# HELP ") {
                helped.insert(rest.split(' ').next().unwrap().to_owned());
            } else if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').unwrap();
                assert!(helped.contains(name), "TYPE before HELP: {line}");
                assert!(["counter", "gauge", "histogram"].contains(&kind));
                assert!(typed.insert(name.to_owned()), "family twice: {name}");
            } else {
                let (series, value) = line.rsplit_once(' ').unwrap();
                let name = series.split('{').next().unwrap();
                let family = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|suffix| name.strip_suffix(suffix))
                    .filter(|family| typed.contains(*family))
                    .unwrap_or(name);
                assert!(typed.contains(family), "sample before its TYPE: {line}");
                assert!(value.parse::<f64>().is_ok(), "not a number: {line}");
            }
        }
        assert_eq!(typed.len(), 8);
    }

    #[test]
    fn resident_memory_from_proc_status() {
        assert_eq!(
            parse_vm_rss("Name:\tserver\nVmRSS:\t   2048 kB\nVmData: 1 kB\n"),
            Some(2048 * 1024)
        );
        assert_eq!(parse_vm_rss("Name:\tserver\n"), None);
        if cfg!(target_os = "linux") {
            assert!(resident_memory_bytes().is_some_and(|bytes| bytes > 0));
        }
    }
}
