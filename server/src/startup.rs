//! Building the portal's state at start: the accounts database (migrated, with a first admin),
//! the Pexip client (or the in-process simulator in demo mode) and the session store.

use crate::{config::Config, demo, identity};
use bff::accounts::{FirstAdmin, ensure_first_admin};
use bff::db::Db;
use bff::live::election::{self, Coordination, Election};
use bff::live::lease::instance_id;
use bff::portal::{Portal, PortalParts};
use bff::sessions::{PortalSessionStore, open_session_store, spawn_expired_session_cleanup};
use pexip::client::{Client, Secret};
use simulator::RunningSim;
use std::time::Duration;
use tokio::task::JoinHandle;

/// What the server runs on.
pub struct Started {
    pub portal: Portal,
    pub session_store: PortalSessionStore,
    /// The in-process simulator, in demo mode.
    pub simulator: Option<RunningSim>,
    /// The task deleting expired sessions (SQLite and PostgreSQL stores).
    pub session_cleanup: Option<JoinHandle<()>>,
    /// Who runs the live feed (stop it to give the lease up at shutdown).
    pub live_feed: Election,
}

/// Builds the state; `public_url` is the portal's address as browsers see it.
pub async fn start(config: &Config, public_url: &str) -> Result<Started, String> {
    config
        .sessions
        .validate()
        .map_err(|error| error.to_string())?;
    config.rooms.validate()?;
    if config.live.lease_ttl_secs == 0 {
        return Err("live.lease_ttl_secs must be a positive number of seconds, got 0".into());
    }
    let db = Db::open(&config.database, &config.data_dir)
        .await
        .map_err(|error| error.to_string())?;
    tracing::info!(database = ?db.kind(), "accounts database ready");
    match ensure_first_admin(&db, config.admin_password.as_ref().map(Secret::expose))
        .await
        .map_err(|error| format!("cannot create the first admin account: {error}"))?
    {
        FirstAdmin::AlreadySetUp => {}
        FirstAdmin::CreatedWithGivenPassword => {
            tracing::info!(
                "created the `admin` account with the password from PORTAL_ADMIN_PASSWORD"
            )
        }
        FirstAdmin::CreatedWithGeneratedPassword(_) => {}
    }

    let (pexip, simulator) = match config.pexip.url {
        Some(_) => (
            Client::new(&config.pexip).map_err(|error| format!("pexip: {error}"))?,
            None,
        ),
        None => {
            let demo = demo::start(&config.pexip, &config.data_dir, config.demo.profile).await?;
            let client = Client::with_ca_pem(&demo.pexip, &demo.ca_pem)
                .map_err(|error| format!("pexip (demo): {error}"))?;
            (client, Some(demo.simulator))
        }
    };
    tracing::info!(node = pexip.base_url(), "Pexip Management API client ready");

    let session_store = open_session_store(&config.sessions, &db)
        .await
        .map_err(|error| error.to_string())?;
    let session_cleanup = spawn_expired_session_cleanup(&session_store, &config.sessions);

    let portal = Portal::from(PortalParts {
        db: db.clone(),
        pexip,
        policy: config.policy.clone(),
        sessions: config.sessions.clone(),
        throttle: config.login_throttle.clone(),
        rooms: rooms_config(config, simulator.is_some()),
        demo: simulator.is_some(),
        identity: identity::sources(config, &db, simulator.is_some(), public_url).await?,
        metrics: bff::metrics::Metrics::default(),
        live: bff::live::Live::new(config.live.clone()),
    });
    // The live feed's upstream source: one per deployment, run by the instance holding the
    // lease; the others follow it through the relay.
    let coordination = Coordination::open(&config.sessions, &db).await?;
    // The usage reports' history: read into the database by one instance at a time (the
    // `usage-ingest` lease), at once and then every minute. The task ends with the runtime.
    drop(bff::usage::ingest::spawn(
        coordination.clone(),
        instance_id(),
        // Background work: at most half of `pexip.max_in_flight`, the rest stays for pages.
        portal.pexip.background(),
        db.clone(),
        bff::usage::ingest::EVERY,
    ));
    let live_feed = election::spawn(
        coordination,
        instance_id(),
        Duration::from_secs(config.live.lease_ttl_secs),
        portal.live.hub.clone(),
        {
            let live = portal.live.clone();
            let (client, metrics) = (portal.pexip.background(), portal.metrics.clone());
            move || {
                let (live, client, metrics) = (live.clone(), client.clone(), metrics.clone());
                async move { live.run_source(client, metrics).await }
            }
        },
    );
    Ok(Started {
        portal,
        session_store,
        simulator,
        session_cleanup,
        live_feed,
    })
}

/// The rooms settings in force: demo mode gives the join link a demo template when none is set.
fn rooms_config(config: &Config, demo: bool) -> bff::join::RoomsConfig {
    let mut rooms = config.rooms.clone();
    if demo && rooms.webapp_url.is_none() {
        rooms.webapp_url = Some(bff::join::DEMO_WEBAPP_URL.to_string());
    }
    rooms
}
