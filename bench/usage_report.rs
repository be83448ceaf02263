//! The time to build a month's usage report over 50,000 stored conferences, on SQLite and (when
//! the test server answers) PostgreSQL: `Portal::usage_report` as the page and the CSV export
//! call it (the policy, the two selections, the figures, the tenants and the coverage), signed in
//! as an admin (every tenant) and as a tenant admin (one of three tenants).
//!
//! Two layouts of the same 50,000 conferences (300 rooms in 3 tenants, 1 to 7 participants
//! each, about 200,000 participants): spread evenly over twelve months (the month reported holds
//! a twelfth of them), and all in the month reported (the worst case).
//!
//! Run: `make bench-usage` (`cargo bench -p bff --bench usage_report --features ssr`).
//! `USAGE_BENCH_RUNS` (default 7) sets how many times each report is built.

use bff::accounts::{Principal, Role};
use bff::db::Db;
use bff::db::testing::TestDatabase;
use bff::portal::{Actor, Portal, PortalParts};
use bff::tenants::Tenant;
use bff::usage::calendar::{parse_date, unix_of};
use bff::usage::model::{Period, Quality, UsageQuery};
use bff::usage::record::{StoredConference, StoredParticipant};
use bff::usage::store;
use pexip::client::{Client, PexipConfig, Secret};
use std::time::{Duration, Instant};

const CONFERENCES: usize = 50_000;
const TENANTS: [&str; 3] = ["acme", "globex", "initech"];
const ROOMS_PER_TENANT: usize = 100;
const PROTOCOLS: [&str; 4] = ["WebRTC", "SIP", "H323", "MSSIP"];

/// A small deterministic generator (the figures must not depend on the run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

/// Stores the 50,000 conferences, starting evenly over `days` days from `first_day`.
async fn fill(db: &Db, first_day: &str, days: i64) -> usize {
    let mut rng = Lcg(7);
    let first = unix_of(parse_date(first_day).unwrap());
    let span = days * 86_400;
    let mut participants_stored = 0;
    let mut conferences = Vec::with_capacity(500);
    let mut participants = Vec::with_capacity(2_500);
    for i in 0..CONFERENCES {
        let tenant = TENANTS[i % TENANTS.len()];
        let room = rng.next(ROOMS_PER_TENANT as u64);
        let start = first + (i as i64 * span / CONFERENCES as i64);
        let length = 300 + rng.next(5_400) as i64;
        let id = format!("c-{i:06}");
        let count = 1 + rng.next(7) as usize;
        for p in 0..count {
            let joined = start + rng.next(120) as i64;
            let left = (joined + 60 + rng.next(length as u64) as i64).min(start + length);
            participants.push(StoredParticipant {
                id: format!("p-{i:06}-{p}"),
                conference_id: id.clone(),
                start_time: joined,
                end_time: left,
                duration: left - joined,
                protocol: PROTOCOLS[rng.next(4) as usize].to_string(),
                quality: Quality::ALL[rng.next(5) as usize],
            });
        }
        conferences.push(StoredConference {
            id,
            name: format!("{tenant}-room-{room:03}"),
            tag: tenant.to_string(),
            service_type: "conference".into(),
            start_time: start,
            end_time: start + length,
            participant_count: count as i64,
        });
        if conferences.len() == 500 || i + 1 == CONFERENCES {
            store::store_conferences(db, &conferences, "2027-01-01T00:00:00")
                .await
                .unwrap();
            participants_stored += participants.len();
            store::store_participants(db, &participants).await.unwrap();
            conferences.clear();
            participants.clear();
        }
    }
    participants_stored
}

fn portal(db: Db) -> Portal {
    // The report reads only the database; the client is never used.
    let pexip = Client::new(&PexipConfig {
        url: Some("https://127.0.0.1:9".into()),
        password: Some(Secret::new("unused")),
        ..PexipConfig::default()
    })
    .expect("client");
    Portal::from(PortalParts {
        db,
        pexip,
        policy: Default::default(),
        sessions: Default::default(),
        throttle: Default::default(),
        rooms: Default::default(),
        demo: false,
        identity: Default::default(),
        metrics: Default::default(),
        live: Default::default(),
    })
}

fn actor(role: Role) -> Actor {
    Actor {
        principal: Principal {
            account_id: 1,
            username: "bench".into(),
            role,
            tenant: (role == Role::TenantAdmin).then(|| Tenant {
                id: 1,
                name: "Acme".into(),
                tag: TENANTS[0].into(),
                alias_domains: vec![],
                created_at: 0,
                updated_at: 0,
            }),
            email: None,
        },
        client_addr: None,
    }
}

/// Builds the report `runs` times; the times, sorted.
async fn time_report(
    portal: &Portal,
    actor: &Actor,
    query: &UsageQuery,
    runs: usize,
) -> (Vec<Duration>, u64) {
    let mut times = Vec::with_capacity(runs);
    let mut conferences = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let report = portal.usage_report(actor, query).await.expect("report");
        times.push(started.elapsed());
        conferences = report.totals.conferences;
    }
    times.sort();
    (times, conferences)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn run(engine: &str, db: Db, days: i64, runs: usize) {
    let filled = Instant::now();
    // Over a year from January, or all in March (the month reported).
    let first_day = if days > 31 {
        "2026-01-01"
    } else {
        "2026-03-01"
    };
    let participants = fill(&db, first_day, days).await;
    let fill_time = filled.elapsed();
    let portal = portal(db);
    let query = UsageQuery {
        period: Period::Day,
        from: "2026-03-01".into(),
        to: "2026-03-31".into(),
        ..UsageQuery::default()
    };
    let layout = if days > 31 {
        "over 12 months"
    } else {
        "all in March"
    };
    println!(
        "{engine}, {CONFERENCES} conferences and {participants} participants stored {layout} (stored in {:.1} s):",
        fill_time.as_secs_f64()
    );
    for (who, role) in [
        ("admin, every tenant", Role::Admin),
        ("tenant admin, one tenant", Role::TenantAdmin),
    ] {
        let (times, in_month) = time_report(&portal, &actor(role), &query, runs).await;
        println!(
            "  March 2026 by day, {who}: {in_month} conferences in the month; median {:.0} ms, fastest {:.0} ms, slowest {:.0} ms ({runs} runs)",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1]),
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs = std::env::var("USAGE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7usize)
        .max(1);
    for days in [365, 31] {
        let sqlite = TestDatabase::sqlite().expect("temp dir");
        run("SQLite", sqlite.open().await.expect("SQLite"), days, runs).await;
        match TestDatabase::postgres().await {
            Ok(postgres) => {
                run(
                    "PostgreSQL",
                    postgres.open().await.expect("PostgreSQL"),
                    days,
                    runs,
                )
                .await
            }
            Err(error) => println!("PostgreSQL skipped: {error}"),
        }
    }
}
