//! Resident memory of the portal processes, sampled from `/proc/<pid>/status` (`VmRSS`) every
//! few seconds during the run, and its summary per process: first, peak and last sample.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::fleet::Fleet;

/// One sample: which instance, which process, when (since the run started), kilobytes.
#[derive(Debug, Clone)]
pub struct Sample {
    pub instance: &'static str,
    pub pid: u32,
    pub at: Duration,
    pub rss_kib: u64,
}

/// The samples of the run.
#[derive(Default)]
pub struct Memory {
    samples: Mutex<Vec<Sample>>,
}

impl Memory {
    /// Samples each running instance now.
    pub fn sample(&self, fleet: &Fleet, started: Instant) {
        for instance in &fleet.instances {
            let Some(pid) = instance.pid() else { continue };
            if let Some(rss_kib) = rss_kib(pid) {
                self.samples.lock().unwrap().push(Sample {
                    instance: instance.name,
                    pid,
                    at: started.elapsed(),
                    rss_kib,
                });
            }
        }
    }

    /// One table row per process: instance, pid, samples, first, peak, last (MiB) and when.
    pub fn table(&self) -> String {
        let samples = self.samples.lock().unwrap().clone();
        let mut out = String::from(
            "| instance (process) | samples | first | peak | last | last − first |\n|---|---:|---:|---:|---:|---:|\n",
        );
        let mut processes: Vec<(&str, u32)> = samples.iter().map(|s| (s.instance, s.pid)).collect();
        processes.sort();
        processes.dedup();
        for (instance, pid) in processes {
            let mine: Vec<&Sample> = samples
                .iter()
                .filter(|s| s.instance == instance && s.pid == pid)
                .collect();
            let (Some(first), Some(last)) = (mine.first(), mine.last()) else {
                continue;
            };
            let peak = mine.iter().max_by_key(|s| s.rss_kib).expect("a sample");
            let mib = |kib: u64| kib as f64 / 1024.0;
            out.push_str(&format!(
                "| {instance} (pid {pid}, {:.0}-{:.0} s) | {} | {:.1} MiB | {:.1} MiB at {:.0} s | {:.1} MiB | {:+.1} MiB |\n",
                first.at.as_secs_f64(),
                last.at.as_secs_f64(),
                mine.len(),
                mib(first.rss_kib),
                mib(peak.rss_kib),
                peak.at.as_secs_f64(),
                mib(last.rss_kib),
                mib(last.rss_kib) - mib(first.rss_kib),
            ));
        }
        out
    }
}

/// `VmRSS` of a process, in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
