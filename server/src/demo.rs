//! Demo mode: with no `pexip.url` configured, the portal starts the Pexip simulator in-process
//! (HTTPS on a loopback port, demo data) and talks to it exactly as it would to a real node,
//! trusting the simulator's freshly generated certificate.

use crate::config::DemoProfile;
use pexip::client::{PexipConfig, Secret};
use simulator::{DataSet, Profile, RunningSim, SimOptions};
use std::path::Path;

/// A running in-process simulator and the client configuration that reaches it.
pub struct Demo {
    pub simulator: RunningSim,
    pub pexip: PexipConfig,
    pub ca_pem: String,
}

/// Starts the simulator impersonating `profile`. Its configuration persists in `data_dir` (one
/// file per profile) so demo changes survive a restart. The Management Node password is random
/// and never leaves this process.
pub async fn start(
    base: &PexipConfig,
    data_dir: &Path,
    profile: DemoProfile,
) -> Result<Demo, String> {
    let password = random_password()?;
    let (profile, state_file) = match profile {
        DemoProfile::V14 => (Profile::V14, "demo-simulator.json"),
        DemoProfile::V40 => (Profile::V40, "demo-simulator-v40.json"),
    };
    let options = SimOptions {
        admin_user: "admin".into(),
        admin_password: password.clone(),
        data: DataSet::Demo,
        state_file: Some(data_dir.join(state_file)),
        profile,
        ..SimOptions::default()
    };
    std::fs::create_dir_all(data_dir)
        .map_err(|error| format!("cannot create {}: {error}", data_dir.display()))?;
    let simulator = simulator::start(options)
        .await
        .map_err(|error| format!("cannot start the simulator: {error}"))?;
    let ca_pem = simulator
        .cert_pem()
        .ok_or("the simulator serves no certificate")?
        .to_string();
    let pexip = PexipConfig {
        url: Some(simulator.url().to_string()),
        username: "admin".into(),
        password: Some(Secret::new(password)),
        password_file: None,
        ca_file: None,
        insecure_skip_verify: false,
        ..base.clone()
    };
    tracing::warn!(
        url = simulator.url(),
        profile = profile.as_str(),
        "DEMO MODE: no pexip.url configured, so the portal runs against the built-in Pexip simulator. \
         Set pexip.url (PORTAL_PEXIP__URL) to manage a real Management Node."
    );
    Ok(Demo {
        simulator,
        pexip,
        ca_pem,
    })
}

fn random_password() -> Result<String, String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|error| format!("no randomness: {error}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
