//! The state shared by every handler of the simulator: the options it was started with, the
//! configuration store, the fault switchboard.
//!
//! Handlers receive it as `State<AppState>`. Other parts of the simulator (the live system, the
//! catalogue) hang off [`SimState`]; the configuration store is shared as [`SharedStore`] so a
//! background task can read and change it too.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::catalogue::Catalogue;
use crate::faults::{FaultConfig, Faults};
use crate::store::SharedStore;

/// Which API version the simulator impersonates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Pexip Infinity v14, the version of the guide.
    #[default]
    V14,
    /// A newer node (v40): more resources, more fields and choices.
    V40,
}

impl Profile {
    /// The name used on the command line and in state files.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::V14 => "v14",
            Profile::V40 => "v40",
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "v14" => Ok(Profile::V14),
            "v40" => Ok(Profile::V40),
            other => Err(format!("unknown profile '{other}' (expected v14 or v40)")),
        }
    }
}

/// Which data the simulator starts with (when no state file says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataSet {
    /// A believable deployment: locations, nodes, VMRs, themes, licences, live activity.
    Demo,
    /// Nothing configured.
    #[default]
    Empty,
}

impl std::str::FromStr for DataSet {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "demo" => Ok(DataSet::Demo),
            "empty" => Ok(DataSet::Empty),
            other => Err(format!(
                "unknown data set '{other}' (expected demo or empty)"
            )),
        }
    }
}

/// Everything the simulator is started with (the library's and the CLI's options).
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    pub admin_user: String,
    pub admin_password: String,
    /// Serve plain HTTP instead of HTTPS.
    pub plain_http: bool,
    /// Where to write the certificate PEM once the listener accepts.
    pub cert_out: Option<PathBuf>,
    pub data: DataSet,
    /// Where the configuration is persisted across restarts.
    pub state_file: Option<PathBuf>,
    pub profile: Profile,
    /// Period of the live simulation's tick, in milliseconds.
    pub tick_ms: u64,
    /// Seed of every pseudo-random choice (simulation and faults).
    pub seed: u64,
    /// Faults active from the start.
    pub faults: FaultConfig,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_user: "admin".to_owned(),
            admin_password: "admin".to_owned(),
            plain_http: false,
            cert_out: None,
            data: DataSet::Empty,
            state_file: None,
            profile: Profile::V14,
            tick_ms: 1000,
            seed: 1,
            faults: FaultConfig::default(),
        }
    }
}

/// The state behind every handler.
pub struct SimState {
    pub options: SimOptions,
    /// The configuration resources of the profile, with their schemas.
    pub catalogue: Catalogue,
    /// The configuration API's objects.
    pub config: SharedStore,
    /// The faults injected into `/api/admin/` requests.
    pub faults: Faults,
    /// Indexes of the configuration's reverse relations, kept between requests.
    pub reverse_cache: crate::http::config::render::ReverseCache,
    /// The live system (status, history, commands, backups, licences).
    pub live: crate::live::Live,
    /// Connections and API requests served (`GET /_sim/stats`).
    pub traffic: Arc<crate::traffic::Traffic>,
    /// The files of file fields (`GET /_sim/files`).
    pub files: crate::http::config::files::FileStore,
}

/// What handlers receive.
pub type AppState = Arc<SimState>;
