//! What the gateway tests share: a `Portal` over the Pexip simulator (HTTPS, its own certificate
//! trusted, clock advanced by hand) and a fresh SQLite accounts database.

use bff::accounts::{Principal, Role};
use bff::db::testing::TestDatabase;
use bff::policy::PolicyConfig;
use bff::portal::{Actor, Portal, PortalParts};
use bff::sessions::SessionConfig;
use bff::tenants::Tenant;
use bff::throttle::ThrottleConfig;
use pexip::client::{Client, PexipConfig, Secret};
use simulator::{RunningSim, SimOptions};

/// The running simulator and database behind a portal: keep them alive as long as the portal.
pub struct SimPortal {
    /// Held so that the simulator outlives the portal; not every test reads it.
    #[allow(dead_code)]
    pub sim: RunningSim,
    /// Held so that the database outlives the portal; not every test reads it.
    #[allow(dead_code)]
    pub db: TestDatabase,
    pub portal: Portal,
}

/// Starts the simulator with its demo data and a portal (default policy) talking to it.
pub async fn portal_over_simulator() -> SimPortal {
    let sim = simulator::start(SimOptions {
        tick_ms: 0,
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
    let db_handle = TestDatabase::sqlite().expect("temp dir");
    let db = db_handle.open().await.expect("database");
    SimPortal {
        sim,
        db: db_handle,
        portal: Portal::from(PortalParts {
            db,
            pexip,
            policy: PolicyConfig::default(),
            sessions: SessionConfig::default(),
            throttle: ThrottleConfig::default(),
            rooms: Default::default(),
            demo: true,
            identity: Default::default(),
            metrics: Default::default(),
            live: Default::default(),
        }),
    }
}

/// A person of `role` as the import tests see them: tenant admins of tenant Acme (tag `acme`,
/// alias domain `acme.example`), end users with the email alice@acme.example.
#[allow(dead_code)]
pub fn acme_actor(role: Role) -> Actor {
    Actor {
        principal: Principal {
            account_id: 1,
            username: format!("{role}-1"),
            role,
            tenant: (role == Role::TenantAdmin).then(|| Tenant {
                id: 1,
                name: "Acme".into(),
                tag: "acme".into(),
                alias_domains: vec!["acme.example".into()],
                created_at: 0,
                updated_at: 0,
            }),
            email: (role == Role::User).then(|| "alice@acme.example".to_string()),
        },
        client_addr: Some("127.0.0.1".into()),
    }
}
