//! The outages of the run, on a timeline proportional to its length (at 5 minutes: minute 1
//! PostgreSQL down for a few seconds, minute 2 Redis down and back empty, minute 3 the
//! simulator slow then failing, minute 4 instance `b` killed, started again half a minute
//! later), and the guard that leaves PostgreSQL and Redis running whatever happens.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use simulator::RunningSim;
use simulator::faults::FaultConfig;

use crate::fleet::Fleet;

/// One kind of outage; `LOAD_CHAOS` lists the ones to cause (`postgres,redis,sim,kill`, or
/// `none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Postgres,
    Redis,
    Simulator,
    Kill,
}

impl Kind {
    pub fn parse_list(list: &str) -> Result<Vec<Kind>, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "none")
            .map(|s| match s {
                "postgres" => Ok(Kind::Postgres),
                "redis" => Ok(Kind::Redis),
                "sim" => Ok(Kind::Simulator),
                "kill" => Ok(Kind::Kill),
                other => Err(format!(
                    "LOAD_CHAOS: unknown outage {other:?} (postgres, redis, sim, kill or none)"
                )),
            })
            .collect()
    }
}

/// What happened, when (since the run started) and when the part was back.
#[derive(Debug, Clone)]
pub struct Event {
    pub what: String,
    pub started: Duration,
    /// When the part answered again (`None`: it did not come back during the run).
    pub restored: Option<Duration>,
}

/// Runs the outages in `kinds` at their times; returns what happened.
pub async fn run(
    kinds: &[Kind],
    run_length: Duration,
    outage: Duration,
    started: Instant,
    sim: &RunningSim,
    fleet: &Fleet,
) -> Vec<Event> {
    let at = |fraction: f64| started + run_length.mul_f64(fraction);
    let mut events = Vec::new();
    if kinds.contains(&Kind::Postgres) {
        tokio::time::sleep_until(at(0.2).into()).await;
        events.push(service_outage("postgres", outage, started).await);
    }
    if kinds.contains(&Kind::Redis) {
        tokio::time::sleep_until(at(0.4).into()).await;
        events.push(service_outage("redis", outage, started).await);
    }
    if kinds.contains(&Kind::Simulator) {
        let window = run_length / 15;
        tokio::time::sleep_until(at(0.6).into()).await;
        let slow = FaultConfig {
            latency_ms: 2_000,
            ..FaultConfig::default()
        };
        events.push(
            simulator_fault(
                sim,
                slow,
                format!("simulator slow: every request 2 s late for {window:.0?}"),
                window,
                started,
            )
            .await,
        );
        let failing = FaultConfig {
            error_rate: 0.5,
            unavailable_rate: 1.0,
            ..FaultConfig::default()
        };
        events.push(
            simulator_fault(
                sim,
                failing,
                format!("simulator failing: every request 500 or 503 for {window:.0?}"),
                window,
                started,
            )
            .await,
        );
    }
    if kinds.contains(&Kind::Kill) {
        tokio::time::sleep_until(at(0.8).into()).await;
        let killed_at = started.elapsed();
        let what = match fleet.kill(1) {
            Ok(pid) => format!("instance b (pid {pid}) killed with SIGKILL, started again at 90%"),
            Err(error) => format!("instance b could not be killed: {error}"),
        };
        tokio::time::sleep_until(at(0.9).into()).await;
        fleet.restart(1).await;
        events.push(Event {
            what,
            started: killed_at,
            restored: Some(started.elapsed()),
        });
    }
    events
}

/// Stops a service, keeps it down for `outage`, starts it and waits until it answers.
async fn service_outage(service: &str, outage: Duration, started: Instant) -> Event {
    let stopped_at = started.elapsed();
    let stopped = services(&["stop", service]).await;
    tokio::time::sleep(outage).await;
    let back = services(&["start", service]).await;
    let what = match (&stopped, &back) {
        (Ok(()), Ok(())) => format!("{service} stopped, started again after {outage:?}"),
        (Err(error), _) | (_, Err(error)) => format!("{service}: {error}"),
    };
    Event {
        what,
        started: stopped_at,
        restored: back.is_ok().then(|| started.elapsed()),
    }
}

/// Switches simulator faults on for `window`, then off.
async fn simulator_fault(
    sim: &RunningSim,
    fault: FaultConfig,
    what: String,
    window: Duration,
    started: Instant,
) -> Event {
    let on_at = started.elapsed();
    sim.faults().set(fault).expect("valid faults");
    tokio::time::sleep(window).await;
    sim.faults().set(FaultConfig::default()).expect("no faults");
    Event {
        what,
        started: on_at,
        restored: Some(started.elapsed()),
    }
}

/// `scripts/load-services.sh` with these arguments, on the blocking pool.
async fn services(args: &[&str]) -> Result<(), String> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || run_script(&args))
        .await
        .map_err(|error| error.to_string())?
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/load-services.sh")
}

fn run_script(args: &[String]) -> Result<(), String> {
    let output = std::process::Command::new(script())
        .args(args)
        .output()
        .map_err(|error| format!("scripts/load-services.sh: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "scripts/load-services.sh {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Leaves PostgreSQL and Redis running when dropped (at the end, or when the bench panics).
pub struct ServicesGuard;

impl ServicesGuard {
    /// Makes sure both run now.
    pub fn new() -> Result<ServicesGuard, String> {
        run_script(&["ensure".into()])?;
        Ok(ServicesGuard)
    }
}

impl Drop for ServicesGuard {
    fn drop(&mut self) {
        if let Err(error) = run_script(&["ensure".into()]) {
            eprintln!("PostgreSQL or Redis could not be started again: {error}");
        }
    }
}
