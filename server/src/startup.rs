//! Building the portal's state at start: the accounts database (migrated, with a first admin),
//! the Pexip client (or the in-process simulator in demo mode) and the session store.

use crate::{config::Config, demo};
use bff::accounts::{FirstAdmin, ensure_first_admin};
use bff::db::Db;
use bff::portal::Portal;
use bff::sessions::{PortalSessionStore, open_session_store, spawn_expired_session_cleanup};
use pexip::client::{Client, Secret};
use simulator::RunningSim;
use tokio::task::JoinHandle;

/// What the server runs on.
pub struct Started {
    pub portal: Portal,
    pub session_store: PortalSessionStore,
    /// The in-process simulator, in demo mode.
    pub simulator: Option<RunningSim>,
    /// The task deleting expired sessions (SQLite and PostgreSQL stores).
    pub session_cleanup: Option<JoinHandle<()>>,
}

pub async fn start(config: &Config) -> Result<Started, String> {
    config
        .sessions
        .validate()
        .map_err(|error| error.to_string())?;
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

    let portal = Portal {
        db,
        pexip,
        policy: config.policy.clone(),
        sessions: config.sessions.clone(),
        throttle: config.login_throttle.clone(),
        demo: simulator.is_some(),
    };
    Ok(Started {
        portal,
        session_store,
        simulator,
        session_cleanup,
    })
}
