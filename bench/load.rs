//! Proof under load and outages: simulated signed-in people of all four roles browse and edit
//! against two portal instances (the real `server` binary, this build's profile: `cargo bench`
//! builds it with the release profile) sharing a fresh PostgreSQL database and Redis sessions,
//! with one simulator as the Management Node, all on loopback. Meanwhile PostgreSQL and Redis
//! are restarted, the simulator is made slow and then failing, and one instance is killed and
//! started again.
//!
//! It prints, in Markdown: per endpoint the requests, p50/p99 and the answers other than 2xx by
//! status; the outages with the failures they caused and how long the portal took to recover;
//! 5xx outside the outages (the goal: none) and error bodies that are not the JSON error shape;
//! how often people had to sign in again; the instances' resident memory; and whether every
//! edit has exactly one audit entry and the rooms hold the last acknowledged values.
//!
//! Settings (environment):
//! - `LOAD_SECONDS` (300): length of the run; the outages are placed at 20, 40, 60 and 80 % of it.
//! - `LOAD_PEOPLE` (200): 10 % admins, 20 % helpdesk, 30 % tenant admins, 40 % end users.
//! - `LOAD_CHAOS` (`postgres,redis,sim,kill`): the outages to cause, or `none`. PostgreSQL and
//!   Redis are the machine's own (stopped and started with `scripts/load-services.sh`, which
//!   needs root): do not restart them while others use them.
//! - `LOAD_THINK_MS` (`1000-3000`): a person's pause between two requests.
//! - `LOAD_OUTAGE_SECS` (5): how long PostgreSQL and Redis stay down.
//! - `LOAD_REDIS_DB` (9): the Redis database index of the sessions (flushed before and after).
//!
//! Run: `make bench-load` (`cargo bench -p server --bench load`).

#[path = "../server/tests/portal/support.rs"]
mod support;

#[path = "load/chaos.rs"]
mod chaos;
#[path = "load/consistency.rs"]
mod consistency;
#[path = "load/fleet.rs"]
mod fleet;
#[path = "load/memory.rs"]
mod memory;
#[path = "load/people.rs"]
mod people;
#[path = "load/record.rs"]
mod record;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bff::db::testing::TestPostgres;
use serde_json::{Value, json};

use chaos::{Event, Kind, ServicesGuard};
use fleet::Fleet;
use memory::Memory;
use people::{Person, Role, Session, Shared};
use record::{Outcome, Record, Recorder};
use support::{ADMIN_PASSWORD, Browser, Upstream, temp_dir};

const PEXIP_PASSWORD: &str = "bench-load-pexip-password";
/// Every simulated person's password.
const PASSWORD: &str = "load-bench-person-password";
/// Failures up to this long after a part came back still count as the outage's.
const GRACE: Duration = Duration::from_secs(15);
/// How often the instances' memory is sampled.
const MEMORY_EVERY: Duration = Duration::from_secs(10);
/// The two tenants: name, tag, alias domain.
const TENANTS: [(&str, &str, &str); 2] = [
    ("Load One", "loadone", "loadone.example"),
    ("Load Two", "loadtwo", "loadtwo.example"),
];

/// The run's settings, from the environment.
struct Settings {
    seconds: u64,
    people: usize,
    chaos: Vec<Kind>,
    think_ms: (u64, u64),
    outage: Duration,
    redis_db: u32,
}

impl Settings {
    fn from_env() -> Result<Settings, String> {
        fn number<T: std::str::FromStr>(key: &str, default: T) -> Result<T, String> {
            match std::env::var(key) {
                Ok(value) => value
                    .trim()
                    .parse()
                    .map_err(|_| format!("{key}: not a number: {value:?}")),
                Err(_) => Ok(default),
            }
        }
        let think = std::env::var("LOAD_THINK_MS").unwrap_or_else(|_| "1000-3000".into());
        let think_ms = think
            .split_once('-')
            .and_then(|(low, high)| Some((low.trim().parse().ok()?, high.trim().parse().ok()?)))
            .filter(|(low, high)| low <= high)
            .ok_or_else(|| {
                format!("LOAD_THINK_MS: expected LOW-HIGH milliseconds, got {think:?}")
            })?;
        let settings = Settings {
            seconds: number("LOAD_SECONDS", 300)?,
            people: number("LOAD_PEOPLE", 200)?,
            chaos: Kind::parse_list(
                &std::env::var("LOAD_CHAOS").unwrap_or_else(|_| "postgres,redis,sim,kill".into()),
            )?,
            think_ms,
            outage: Duration::from_secs(number("LOAD_OUTAGE_SECS", 5)?),
            redis_db: number("LOAD_REDIS_DB", 9)?,
        };
        if settings.people < 10 {
            return Err("LOAD_PEOPLE: at least 10 (one of each role and tenant)".into());
        }
        if settings.seconds < 30 {
            return Err("LOAD_SECONDS: at least 30".into());
        }
        Ok(settings)
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let settings = Settings::from_env().unwrap_or_else(|error| {
        eprintln!("{error}");
        std::process::exit(2);
    });
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Leaves PostgreSQL and Redis running on every way out, panics included.
    let _services = ServicesGuard::new().unwrap_or_else(|error| {
        eprintln!("PostgreSQL and Redis are needed: {error}");
        std::process::exit(1);
    });
    let load_before = load_average();
    let dir = temp_dir();
    let upstream = Upstream::start(dir.path(), PEXIP_PASSWORD).await;
    let postgres = TestPostgres::create().await.expect("PostgreSQL");
    let redis_url = format!("redis://127.0.0.1:6379/{}", settings.redis_db);
    flush_redis(settings.redis_db);
    let mut env = upstream.env();
    env.extend(
        [
            ("PORTAL_DATABASE__URL", postgres.url().to_string()),
            ("PORTAL_SESSIONS__STORE", "redis".into()),
            ("PORTAL_SESSIONS__REDIS_URL", redis_url),
            // Every person signs in from 127.0.0.1; failed sign-ins during the outages would
            // otherwise lock the address out.
            (
                "PORTAL_LOGIN_THROTTLE__MAX_FAILURES_PER_ACCOUNT",
                "0".into(),
            ),
            (
                "PORTAL_LOGIN_THROTTLE__MAX_FAILURES_PER_ADDRESS",
                "0".into(),
            ),
            // Logging every request would measure the terminal; warnings and errors are counted.
            ("RUST_LOG", "warn,server=info".into()),
        ]
        .map(|(k, v)| (k.to_string(), v)),
    );
    let fleet = Arc::new(Fleet::start(&dir.path().join("data"), env).await);
    let people = provision(&fleet, settings.people).await;
    eprintln!(
        "load: {} people, {} rooms to edit; signing in",
        people.len(),
        people.iter().map(|p| p.edits.len()).sum::<usize>()
    );

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(45))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let run_length = Duration::from_secs(settings.seconds);
    let signing_in = shared(&http, &fleet, &settings, Instant::now(), run_length);
    let mut sessions = Vec::new();
    for (n, person) in people.into_iter().enumerate() {
        let mut session = Session::new(person, n as u64 + 1);
        assert!(
            session.sign_in(&signing_in).await,
            "{} could not sign in before the run",
            session.person.username
        );
        sessions.push(session);
    }

    // The run.
    let started = Instant::now();
    let shared = Arc::new(shared(&http, &fleet, &settings, started, run_length));
    eprintln!(
        "load: running {run_length:?}, outages: {:?}",
        settings.chaos
    );
    let browsing: Vec<_> = sessions
        .into_iter()
        .map(|session| tokio::spawn(session.browse(shared.clone())))
        .collect();
    let memory = Arc::new(Memory::default());
    let sampler = {
        let (memory, fleet) = (memory.clone(), fleet.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(MEMORY_EVERY);
            while started.elapsed() < run_length {
                every.tick().await;
                memory.sample(&fleet, started);
            }
        })
    };
    let events = chaos::run(
        &settings.chaos,
        run_length,
        settings.outage,
        started,
        &upstream.sim,
        &fleet,
    )
    .await;
    let mut sessions = Vec::new();
    for person in browsing {
        sessions.push(person.await.expect("a person's task"));
    }
    sampler.await.expect("the memory sampler");
    memory.sample(&fleet, started);
    let load_after = load_average();

    // The checks, through instance a as the first admin.
    let records = shared.recorder.snapshot();
    let edits = shared.edit_log.snapshot();
    let mut admin = Browser::for_base(&format!("http://{}", fleet.instances[0].addr));
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let audit = audit_trail(&mut admin).await;
    let mut rooms = BTreeMap::new();
    for room in edits
        .iter()
        .map(|e| e.room)
        .collect::<std::collections::BTreeSet<_>>()
    {
        let answer = admin
            .post_json("/api/rooms/get", &json!({ "id": room }))
            .await;
        if answer.status == 200 {
            rooms.insert(room, answer.json());
        }
    }
    let verdict = consistency::check(&edits, &audit, &rooms);

    let mut logs: Vec<(&str, Vec<String>)> = fleet.dead_logs.lock().unwrap().clone();
    logs.extend(fleet.instances.iter().map(|i| (i.name, i.log_lines())));
    fleet.stop().await;
    drop(postgres);
    flush_redis(settings.redis_db);

    println!(
        "{}",
        report(&Report {
            settings: &settings,
            sessions: &sessions,
            records: &records,
            events: &events,
            memory: &memory,
            verdict: &verdict,
            logs: &logs,
            failovers: shared.failovers.load(Ordering::Relaxed),
            load: (load_before, load_after),
        })
    );
}

/// What the people share during a run that starts at `started`.
fn shared(
    http: &reqwest::Client,
    fleet: &Arc<Fleet>,
    settings: &Settings,
    started: Instant,
    run_length: Duration,
) -> Shared {
    Shared {
        http: http.clone(),
        fleet: fleet.clone(),
        recorder: Recorder::default(),
        edit_log: Default::default(),
        password: PASSWORD.into(),
        started,
        deadline: started + run_length,
        think_ms: settings.think_ms,
        failovers: AtomicUsize::new(0),
    }
}

/// Creates the tenants, the accounts and the rooms they edit, through the portal as its first
/// admin; returns the people.
async fn provision(fleet: &Fleet, count: usize) -> Vec<Person> {
    let mut admin = Browser::for_base(&format!("http://{}", fleet.instances[0].addr));
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    for (name, tag, domain) in TENANTS {
        let answer = admin
            .post_form(
                "/api/tenants/create",
                &[("name", name), ("tag", tag), ("alias_domains", domain)],
            )
            .await;
        assert_eq!(answer.status, 200, "tenant {name}: {}", answer.body);
    }
    let tenants = admin.post_form("/api/tenants/list", &[]).await.json();
    let tenant_id = |tag: &str| {
        tenants
            .as_array()
            .and_then(|list| list.iter().find(|t| t["tag"] == tag))
            .and_then(|t| t["id"].as_i64())
            .unwrap_or_else(|| panic!("tenant {tag} in {tenants}"))
            .to_string()
    };
    let tenant_ids = [tenant_id(TENANTS[0].1), tenant_id(TENANTS[1].1)];

    let admins = count / 10;
    let helpdesk = count / 5;
    let tenant_admins = (count * 3 / 10) & !1;
    let users = count - admins - helpdesk - tenant_admins;
    let mut people = Vec::with_capacity(count);
    let mut next_home = 0;
    let mut person = |username: String, role: Role, field: &'static str| {
        next_home = 1 - next_home;
        Person {
            username,
            role,
            home: next_home,
            edits: Vec::new(),
            field,
        }
    };
    for n in 0..admins {
        people.push(person(
            format!("load-admin-{n:03}"),
            Role::Admin,
            "description",
        ));
    }
    for n in 0..helpdesk {
        people.push(person(format!("load-helpdesk-{n:03}"), Role::Helpdesk, ""));
    }
    for n in 0..tenant_admins {
        people.push(person(
            format!("load-tenant-{}-{n:03}", n % 2),
            Role::TenantAdmin,
            "participant_limit",
        ));
    }
    for n in 0..users {
        people.push(person(
            format!("load-user-{}-{n:03}", n % 2),
            Role::User,
            "description",
        ));
    }

    // Accounts; rooms: one per admin (untagged) and per end user (their tenant's tag, their
    // address as owner). Tenant admins share their tenant's user rooms out among themselves.
    let mut tenant_rooms: [Vec<u64>; 2] = [Vec::new(), Vec::new()];
    for person in &mut people {
        let tenant = person
            .username
            .split('-')
            .nth(2)
            .and_then(|t| t.parse::<usize>().ok());
        let email = match (person.role, tenant) {
            (Role::User, Some(t)) => format!("{}@{}", person.username, TENANTS[t].2),
            _ => String::new(),
        };
        let tenant_field = match (person.role, tenant) {
            (Role::TenantAdmin, Some(t)) => tenant_ids[t].clone(),
            _ => String::new(),
        };
        let answer = admin
            .post_form(
                "/api/users/create",
                &[
                    ("username", person.username.as_str()),
                    ("password", PASSWORD),
                    ("role", person.role.as_str()),
                    ("tenant_id", tenant_field.as_str()),
                    ("email", email.as_str()),
                ],
            )
            .await;
        assert_eq!(
            answer.status, 200,
            "account {}: {}",
            person.username, answer.body
        );
        let tag = match (person.role, tenant) {
            (Role::Admin, _) => "",
            (Role::User, Some(t)) => TENANTS[t].1,
            _ => continue,
        };
        let fields = json!({ "fields": {
            "name": format!("Load room of {}", person.username),
            "service_type": "conference",
            "tag": tag,
            "primary_owner_email_address": email,
            "description": "load bench room",
        }});
        let answer = admin.post_json("/api/rooms/create", &fields).await;
        assert_eq!(
            answer.status, 200,
            "room of {}: {}",
            person.username, answer.body
        );
        let id = answer.json().as_u64().expect("a room id");
        person.edits.push(id);
        if let (Role::User, Some(t)) = (person.role, tenant) {
            tenant_rooms[t].push(id);
        }
    }
    // End users edit descriptions; each tenant admin the participant limits of every k-th
    // room of their tenant (one editor per field and room).
    for (t, rooms) in tenant_rooms.iter().enumerate() {
        let admins_of_tenant: Vec<&mut Person> = people
            .iter_mut()
            .filter(|p| {
                p.role == Role::TenantAdmin && p.username.starts_with(&format!("load-tenant-{t}-"))
            })
            .collect();
        let n = admins_of_tenant.len();
        for (k, person) in admins_of_tenant.into_iter().enumerate() {
            person.edits = rooms
                .iter()
                .enumerate()
                .filter(|(i, _)| i % n == k)
                .map(|(_, id)| *id)
                .collect();
        }
    }
    people
}

/// Every `room.update` entry of the audit trail, as the admin's audit page lists them.
async fn audit_trail(admin: &mut Browser) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let offset = events.len().to_string();
        let answer = admin
            .post_form(
                "/api/audit/list",
                &[
                    ("username", ""),
                    ("action", "room.update"),
                    ("limit", "500"),
                    ("offset", offset.as_str()),
                ],
            )
            .await;
        assert_eq!(answer.status, 200, "audit/list: {}", answer.body);
        let page = answer.json();
        let batch = page["events"].as_array().cloned().unwrap_or_default();
        let done = batch.len() < 500;
        events.extend(batch);
        if done {
            return events;
        }
    }
}

/// Empties the sessions' Redis database.
fn flush_redis(db: u32) {
    let flushed = std::process::Command::new("redis-cli")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            "6379",
            "-n",
            &db.to_string(),
            "flushdb",
        ])
        .output();
    if !flushed.is_ok_and(|o| o.status.success()) {
        eprintln!("load: could not flush Redis database {db}");
    }
}

/// The 1-minute load average.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}

/// Everything the report is made of.
struct Report<'a> {
    settings: &'a Settings,
    sessions: &'a [Session],
    records: &'a [Record],
    events: &'a [Event],
    memory: &'a Memory,
    verdict: &'a consistency::Verdict,
    logs: &'a [(&'a str, Vec<String>)],
    failovers: usize,
    load: (String, String),
}

fn report(r: &Report) -> String {
    let mut out = String::new();
    let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
    for session in r.sessions {
        *roles.entry(session.person.role.as_str()).or_default() += 1;
    }
    out.push_str(&format!(
        "## Load run: {} people ({}) for {} s, think time {}-{} ms, outages: {:?}\n\nLoad average (1 min) {} before, {} after.\n\n",
        r.sessions.len(),
        roles.iter().map(|(role, n)| format!("{n} {role}")).collect::<Vec<_>>().join(", "),
        r.settings.seconds,
        r.settings.think_ms.0,
        r.settings.think_ms.1,
        r.settings.chaos,
        r.load.0,
        r.load.1,
    ));
    out.push_str(&record::endpoint_table(r.records));

    // The outages: failures in their window, recovery.
    let window_of = |event: &Event| {
        let next = r
            .events
            .iter()
            .map(|e| e.started)
            .filter(|s| *s > event.started)
            .min()
            .unwrap_or(Duration::from_secs(r.settings.seconds));
        (event.started, next)
    };
    out.push_str("\n| outage | at | back at | answers other than 2xx until the next outage | last failure (5xx, no answer) | recovered after it was back |\n|---|---:|---:|---|---:|---:|\n");
    for event in r.events {
        let (from, to) = window_of(event);
        let inside: Vec<&Record> = r
            .records
            .iter()
            .filter(|rec| rec.at >= from && rec.at < to)
            .collect();
        let last_failure = inside
            .iter()
            .filter(|rec| rec.outcome.is_failure())
            .map(|rec| rec.ended())
            .max();
        let recovered = match (event.restored, last_failure) {
            (None, _) => "not during the run".to_string(),
            (Some(_), None) => "no failures".to_string(),
            (Some(back), Some(last)) if last <= back => "at once".to_string(),
            (Some(back), Some(last)) => format!("{:.1} s", (last - back).as_secs_f64()),
        };
        out.push_str(&format!(
            "| {} | {:.1} s | {} | {} | {} | {} |\n",
            event.what,
            event.started.as_secs_f64(),
            event
                .restored
                .map_or("–".into(), |b| format!("{:.1} s", b.as_secs_f64())),
            record::not_2xx(inside.iter().copied()),
            last_failure.map_or("–".into(), |l| format!("{:.1} s", l.as_secs_f64())),
            recovered,
        ));
    }

    // Failures outside the outages, and unreadable error bodies.
    let in_outage = |rec: &Record| {
        r.events.iter().any(|e| {
            let back = e.restored.unwrap_or(Duration::MAX / 2);
            rec.ended() >= e.started && rec.at <= back + GRACE
        })
    };
    let outside: Vec<&Record> = r
        .records
        .iter()
        .filter(|rec| rec.outcome.is_failure() && !in_outage(rec))
        .collect();
    out.push_str(&format!(
        "\n5xx or no answer outside the outages (each outage until {} s after it was back): **{}**\n",
        GRACE.as_secs(),
        outside.len()
    ));
    for rec in distinct(&outside) {
        out.push_str(&format!("- {rec}\n"));
    }
    let unreadable: Vec<&Record> = r
        .records
        .iter()
        .filter(|rec| matches!(rec.outcome, Outcome::Status(_)) && !rec.outcome.is_success())
        .filter(|rec| !rec.readable_error())
        .collect();
    out.push_str(&format!(
        "\nError answers that are not the JSON error shape: **{}**\n",
        unreadable.len()
    ));
    for rec in distinct(&unreadable) {
        out.push_str(&format!("- {rec}\n"));
    }
    let mut messages: BTreeMap<String, usize> = BTreeMap::new();
    for rec in r.records.iter().filter(|rec| rec.outcome.is_failure()) {
        *messages
            .entry(format!(
                "{} {}",
                rec.outcome.label(),
                rec.body.as_deref().unwrap_or_default()
            ))
            .or_default() += 1;
    }
    out.push_str("\nWhat the failed requests said (5xx and no answer), by count:\n");
    let mut messages: Vec<(String, usize)> = messages.into_iter().collect();
    messages.sort_by_key(|m| std::cmp::Reverse(m.1));
    for (message, n) in messages.iter().take(12) {
        out.push_str(&format!("- {n}× {message}\n"));
    }

    // Sessions.
    let again: Vec<usize> = r.sessions.iter().map(|s| s.signed_in_again).collect();
    out.push_str(&format!(
        "\nSessions: {} of {} people signed in again during the run (at most {} attempts each); {} requests moved to the other instance after a refused connection.\n",
        again.iter().filter(|n| **n > 0).count(),
        again.len(),
        again.iter().max().copied().unwrap_or(0),
        r.failovers,
    ));

    out.push_str("\nResident memory of the instances (sampled every 10 s):\n\n");
    out.push_str(&r.memory.table());

    let v = r.verdict;
    out.push_str(&format!(
        "\nConsistency: {} edits acknowledged, {} of them with exactly one `ok` audit entry; {} refused with an answer, {} without one ({} of these applied and audited `ok`, {} audited as failed); {} room fields compared with the log. Problems: **{}**\n",
        v.acknowledged,
        v.acknowledged_audited_once,
        v.refused,
        v.unknown,
        v.applied_unacknowledged,
        v.audited_as_failed,
        v.fields_checked,
        v.problems.len(),
    ));
    for problem in v.problems.iter().take(20) {
        out.push_str(&format!("- {problem}\n"));
    }

    out.push_str("\nServer log (all processes of each instance):\n");
    let mut per_instance: BTreeMap<&str, (usize, usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for (name, lines) in r.logs {
        let entry = per_instance.entry(name).or_default();
        for line in lines.iter().map(|l| without_colours(l)) {
            if line.contains(" ERROR ") {
                entry.0 += 1;
                *entry.2.entry(log_message(&line)).or_default() += 1;
            } else if line.contains(" WARN ") {
                entry.1 += 1;
            }
        }
    }
    for (name, (errors, warnings, kinds)) in per_instance {
        out.push_str(&format!(
            "- {name}: {errors} ERROR, {warnings} WARN lines\n"
        ));
        for (message, n) in kinds.iter().take(8) {
            out.push_str(&format!("  - {n}× ERROR {message}\n"));
        }
    }
    out
}

/// A log line without terminal colour codes (`ESC [ … m`).
fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A log line without its time stamp.
fn log_message(line: &str) -> String {
    let text = line.split_once(" ERROR ").map_or(line, |(_, rest)| rest);
    record::excerpt(text)
}

/// One line per distinct (endpoint, outcome, body), with its count and first time, at most 10.
fn distinct(records: &[&Record]) -> Vec<String> {
    let mut seen: BTreeMap<(String, String, String), (usize, Duration)> = BTreeMap::new();
    for rec in records {
        let key = (
            rec.endpoint.to_string(),
            rec.outcome.label(),
            rec.body.clone().unwrap_or_default(),
        );
        let slot = seen.entry(key).or_insert((0, rec.at));
        slot.0 += 1;
    }
    seen.into_iter()
        .take(10)
        .map(|((endpoint, outcome, body), (n, first))| {
            format!(
                "{n}× `{endpoint}` {outcome} (first at {:.1} s): {body}",
                first.as_secs_f64()
            )
        })
        .collect()
}
