//! Usage reports through the real path: the simulator's history (demo data, over HTTPS) read
//! into SQLite and PostgreSQL, incrementally and idempotently, and reports scoped by the policy.

use bff::accounts::{Principal, Role};
use bff::db::Db;
use bff::db::testing::TestDatabase;
use bff::gateway::BffError;
use bff::portal::{Actor, Portal, PortalParts};
use bff::tenants::Tenant;
use bff::usage::ingest::{self, ingest_in_pages};
use bff::usage::model::{Period, UsageQuery};
use bff::usage::{calendar, record};
use pexip::client::{Client, PexipConfig, Secret};
use serde_json::Value;
use simulator::{DataSet, RunningSim, SimOptions};
use std::collections::HashSet;

/// The simulator with its demo deployment (its warm-up leaves the last 14 hours of history;
/// time moves only when a test advances it), and a portal on `database` talking to it over HTTPS.
async fn demo_world(database: &TestDatabase) -> (RunningSim, Portal) {
    let sim = simulator::start(SimOptions {
        tick_ms: 0,
        data: DataSet::Demo,
        admin_password: "sim-secret-pw".into(),
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let config = PexipConfig {
        url: Some(sim.url().to_string()),
        password: Some(Secret::new("sim-secret-pw")),
        ..PexipConfig::default()
    };
    let pexip = Client::with_ca_pem(&config, sim.cert_pem().expect("https")).expect("client");
    let portal = Portal::from(PortalParts {
        db: database.open().await.expect("database"),
        pexip,
        policy: Default::default(),
        sessions: Default::default(),
        throttle: Default::default(),
        rooms: Default::default(),
        demo: true,
        identity: Default::default(),
        metrics: Default::default(),
        live: Default::default(),
    });
    (sim, portal)
}

fn actor(role: Role, tag: &str) -> Actor {
    Actor {
        principal: Principal {
            account_id: 100 + role as i64,
            username: role.to_string(),
            role,
            tenant: (role == Role::TenantAdmin).then(|| Tenant {
                id: 1,
                name: tag.to_uppercase(),
                tag: tag.into(),
                alias_domains: vec![format!("{tag}.example")],
                created_at: 0,
                updated_at: 0,
            }),
            email: (role == Role::User).then(|| "alice@acme.example".to_string()),
        },
        client_addr: Some("127.0.0.1".into()),
    }
}

/// The simulator's history: its conference and participant records.
fn node_history(sim: &RunningSim) -> (Vec<Value>, Vec<Value>) {
    sim.state().live.read_state(|s| {
        (
            s.history.conferences().cloned().collect(),
            s.history.participants().cloned().collect(),
        )
    })
}

async fn stored_ids(db: &Db, table: &str) -> Vec<String> {
    let sql = format!("SELECT id FROM {table}");
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap(),
    }
}

fn ids(records: &[Value]) -> HashSet<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// A report query spanning every day of the node's history, by month.
fn whole_history(conferences: &[Value], tenant: &str) -> UsageQuery {
    let starts: Vec<i64> = conferences
        .iter()
        .map(|c| record::conference(c).unwrap().start_time)
        .collect();
    let day = |unix: i64| calendar::format_date(calendar::date_of(unix));
    UsageQuery {
        tenant: tenant.into(),
        room: String::new(),
        period: Period::Month,
        from: day(*starts.iter().min().unwrap()),
        to: day(*starts.iter().max().unwrap()),
    }
}

/// Reads the history in small pages (many requests, ties at page boundaries), then again and
/// again as the node's history grows; every record is stored exactly once.
async fn ingests_incrementally(portal: &Portal, sim: &RunningSim) {
    let (conferences, participants) = node_history(sim);
    assert!(conferences.len() > 100, "{} conferences", conferences.len());
    let first = ingest_in_pages(&portal.pexip, &portal.db, 40)
        .await
        .unwrap();
    assert_eq!(first.conferences, conferences.len() as u64);
    assert_eq!(first.participants, participants.len() as u64);
    assert_eq!(first.skipped, 0);
    assert!(first.requests > 10, "{first:?}");
    assert_eq!(
        stored_ids(&portal.db, "usage_conferences")
            .await
            .into_iter()
            .collect::<HashSet<_>>(),
        ids(&conferences)
    );

    // Nothing new: one request per resource, re-reading only the conferences at the watermark
    // and the participants of the last minutes' conferences.
    let again = ingest::ingest_once(&portal.pexip, &portal.db)
        .await
        .unwrap();
    assert_eq!((again.conferences, again.participants), (0, 0));
    assert_eq!(again.requests, 2);
    assert!(again.read < first.read / 10, "{again:?} after {first:?}");

    // Two more simulated hours: only the new records are read.
    sim.state().live.advance(7200);
    let (grown, grown_participants) = node_history(sim);
    let new = grown.len() - conferences.len();
    assert!(new > 0, "the simulation ended no conference in two hours");
    let more = ingest_in_pages(&portal.pexip, &portal.db, 40)
        .await
        .unwrap();
    assert_eq!(more.conferences, new as u64);
    assert_eq!(
        more.participants,
        (grown_participants.len() - participants.len()) as u64
    );
    assert!(more.read < first.read / 2, "{more:?} after {first:?}");

    // Read from scratch again (as a second instance with a lost watermark would): no duplicate.
    match &portal.db {
        Db::Sqlite(pool) => sqlx::query("DELETE FROM usage_ingest")
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query("DELETE FROM usage_ingest")
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
    let replay = ingest::ingest_once(&portal.pexip, &portal.db)
        .await
        .unwrap();
    assert_eq!((replay.conferences, replay.participants), (0, 0));
    assert_eq!(replay.read, (grown.len() + grown_participants.len()) as u64);
    assert_eq!(
        stored_ids(&portal.db, "usage_conferences").await.len(),
        grown.len()
    );
    assert_eq!(
        stored_ids(&portal.db, "usage_participants").await.len(),
        grown_participants.len()
    );
}

/// Admins see every tenant or the one they pick, tenant admins their own only, end users none;
/// the figures match the node's own records.
async fn reports_are_scoped(portal: &Portal, sim: &RunningSim) {
    let (conferences, participants) = node_history(sim);
    let everything = portal
        .usage_report(&actor(Role::Admin, ""), &whole_history(&conferences, ""))
        .await
        .unwrap();
    assert_eq!(everything.totals.conferences, conferences.len() as u64);
    assert_eq!(everything.totals.participants, participants.len() as u64);
    let seconds: i64 = participants
        .iter()
        .map(|p| record::participant(p).unwrap().duration)
        .sum();
    assert_eq!(everything.totals.participant_minutes, (seconds / 60) as u64);
    assert!(everything.totals.peak_concurrent > 1);
    let quality: u64 = everything.quality.iter().map(|q| q.count).sum();
    assert_eq!(quality, participants.len() as u64);
    assert!(!everything.tenant_fixed);
    let tag = everything
        .tenants
        .first()
        .cloned()
        .expect("the demo history has tagged conferences");

    let of_tenant = conferences
        .iter()
        .filter(|c| c["tag"].as_str() == Some(tag.as_str()))
        .count() as u64;
    assert!(of_tenant > 0 && of_tenant < conferences.len() as u64);
    let query = whole_history(&conferences, "");
    let tenant_admin = actor(Role::TenantAdmin, &tag);
    let own = portal.usage_report(&tenant_admin, &query).await.unwrap();
    assert_eq!(own.tenant.as_deref(), Some(tag.as_str()));
    assert!(own.tenant_fixed);
    assert_eq!(own.tenants, std::slice::from_ref(&tag));
    assert_eq!(own.totals.conferences, of_tenant);
    assert!(own.rooms.iter().all(|r| r.tag == tag));
    let picked = portal
        .usage_report(
            &actor(Role::Admin, ""),
            &UsageQuery {
                tenant: tag.clone(),
                ..query.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(picked.totals, own.totals);
    let helpdesk = portal
        .usage_report(&actor(Role::Helpdesk, ""), &query)
        .await
        .unwrap();
    assert_eq!(helpdesk.totals, everything.totals);

    let other = UsageQuery {
        tenant: "someone-else".into(),
        ..query.clone()
    };
    assert!(matches!(
        portal.usage_report(&tenant_admin, &other).await,
        Err(BffError::Forbidden)
    ));
    assert!(matches!(
        portal.usage_report(&actor(Role::User, ""), &query).await,
        Err(BffError::Forbidden)
    ));
    let csv = portal
        .usage_report_csv(&tenant_admin, &query)
        .await
        .unwrap();
    let room_lines = csv.lines().filter(|l| l.starts_with("room,")).count();
    assert_eq!(room_lines, own.rooms.len());
    assert!(
        csv.lines()
            .filter(|l| l.starts_with("room,"))
            .all(|l| l.split(',').nth(2) == Some(tag.as_str())),
        "{csv}"
    );
}

#[tokio::test]
async fn sqlite_ingests_the_history_once_and_reports_by_tenant() {
    let database = TestDatabase::sqlite().expect("temp dir");
    let (sim, portal) = demo_world(&database).await;
    ingests_incrementally(&portal, &sim).await;
    reports_are_scoped(&portal, &sim).await;
}

#[tokio::test]
async fn postgres_ingests_the_history_once_and_reports_by_tenant() {
    let database = TestDatabase::postgres()
        .await
        .expect("PostgreSQL for tests");
    let (sim, portal) = demo_world(&database).await;
    ingests_incrementally(&portal, &sim).await;
    reports_are_scoped(&portal, &sim).await;
}

#[tokio::test]
async fn the_history_export_follows_the_list_and_its_policy() {
    let database = TestDatabase::sqlite().expect("temp dir");
    let (sim, portal) = demo_world(&database).await;
    let (conferences, _) = node_history(&sim);
    let csv = portal
        .history_export_csv(&actor(Role::Admin, ""), &[])
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), conferences.len() + 1);
    assert!(
        csv.starts_with("id,name,tag,service_type,start_time,end_time,duration,participant_count")
    );
    let name = conferences[0]["name"].as_str().unwrap().to_string();
    let filtered = portal
        .history_export_csv(
            &actor(Role::Helpdesk, ""),
            &[("name__icontains".into(), name.clone())],
        )
        .await
        .unwrap();
    let expected = conferences
        .iter()
        .filter(|c| {
            c["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains(&name.to_lowercase())
        })
        .count();
    assert_eq!(filtered.lines().count(), expected + 1);
    assert!(matches!(
        portal
            .history_export_csv(&actor(Role::TenantAdmin, "acme"), &[])
            .await,
        Err(BffError::Forbidden)
    ));
}
