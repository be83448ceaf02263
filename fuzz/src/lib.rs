//! Fuzzing on stable Rust: each target is a function of a generated input that must never panic
//! (and, where it says so, must keep a property). [`run`] feeds a target inputs from a proptest
//! strategy for a bounded time, counts the executions and, on a panic, reports the input and the
//! seed that reproduces it.
//!
//! - `FUZZ_SECONDS` (default 2): how long each target runs. CI uses the default; `make fuzz`
//!   runs each target for a minute and prints the totals the README records.
//! - `FUZZ_SEED`: a run's seed (printed by every run) to replay it.
//!
//! The inputs mix random data with mutations of real inputs ([`text`]) and structured JSON built
//! from the Management API's own vocabulary ([`json`]), so that parsers get past their first
//! check.

pub mod json;
pub mod text;

pub use proptest;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// What one target's run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub executions: u64,
    pub seed: u64,
}

fn seconds() -> Duration {
    let secs = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

/// Runs `target` on inputs from `strategy` for `FUZZ_SECONDS`, then prints one line:
/// `fuzz <name>: <executions> executions in <s> s, no panic (seed <seed>)`.
///
/// # Panics
/// When the target panics: with the input and the seed that reproduces it.
pub fn run<S, F>(name: &str, strategy: S, target: F) -> Report
where
    S: Strategy,
    S::Value: Debug,
    F: Fn(&S::Value),
{
    let seed = seed();
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let budget = seconds();
    let started = Instant::now();
    let mut executions = 0u64;
    let mut failure = None;
    while started.elapsed() < budget {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let input = tree.current();
        executions += 1;
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(&input))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failure = Some(format!("{input:?}: {message}"));
            break;
        }
    }
    if let Some(failure) = failure {
        panic!(
            "fuzz {name}: panicked after {executions} executions (FUZZ_SEED={seed}) on {failure}"
        );
    }
    println!(
        "fuzz {name}: {executions} executions in {:.1} s, no panic (seed {seed})",
        started.elapsed().as_secs_f64()
    );
    Report { executions, seed }
}
