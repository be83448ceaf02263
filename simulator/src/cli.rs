//! The command line of `pexip-sim`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::state::{DataSet, Profile, SimOptions};

/// A Pexip Infinity Management Node simulator serving the Management API (v14 guide) over HTTPS.
///
/// Clients authenticate with HTTP Basic auth as the admin account. The certificate is generated
/// at start and is valid for `localhost` and `127.0.0.1`; write it with `--cert-out` and trust
/// it in the client instead of skipping verification. Faults can be switched at run time with
/// `PUT /_sim/faults` (see the README).
#[derive(Debug, Parser)]
#[command(name = "pexip-sim", version)]
pub struct Cli {
    /// Address to listen on (port 0 picks a free port; the URL is printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// User name of the admin account.
    #[arg(long, value_name = "USER", default_value = "admin")]
    pub admin_user: String,
    /// Password of the admin account.
    #[arg(long, value_name = "PASS")]
    pub admin_password: String,
    /// Write the generated certificate (PEM) to FILE once the listener accepts connections.
    #[arg(long, value_name = "FILE")]
    pub cert_out: Option<PathBuf>,
    /// Serve plain HTTP instead of HTTPS.
    #[arg(long)]
    pub plain_http: bool,
    /// Start with a demo deployment or with nothing configured (ignored when the state file
    /// exists).
    #[arg(long, value_name = "demo|empty", default_value = "empty")]
    pub data: DataSet,
    /// Persist the configuration to FILE (read at start when it exists; written atomically).
    #[arg(long, value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// API version to impersonate: v14 (the guide) or v40 (newer schemas and resources).
    #[arg(long, value_name = "v14|v40", default_value = "v14")]
    pub profile: Profile,
    /// Period of the live simulation's tick, in milliseconds (0: no ticks, time moves only
    /// through the library).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub tick_ms: u64,
    /// Seed of the simulation and of the injected faults.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
}

impl Cli {
    /// The library's options for this command line.
    pub fn into_options(self) -> SimOptions {
        SimOptions {
            listen: self.listen,
            admin_user: self.admin_user,
            admin_password: self.admin_password,
            plain_http: self.plain_http,
            cert_out: self.cert_out,
            data: self.data,
            state_file: self.state_file,
            profile: self.profile,
            tick_ms: self.tick_ms,
            seed: self.seed,
            ..SimOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_parses() {
        let cli = Cli::try_parse_from([
            "pexip-sim",
            "--listen",
            "127.0.0.1:0",
            "--admin-user",
            "root",
            "--admin-password",
            "secret",
            "--cert-out",
            "/tmp/c.pem",
            "--plain-http",
            "--data",
            "demo",
            "--state-file",
            "/tmp/s.json",
            "--profile",
            "v40",
            "--tick-ms",
            "250",
            "--seed",
            "7",
        ])
        .unwrap();
        let o = cli.into_options();
        assert_eq!(o.listen.port(), 0);
        assert_eq!(o.admin_user, "root");
        assert!(o.plain_http);
        assert_eq!(o.data, DataSet::Demo);
        assert_eq!(o.profile, Profile::V40);
        assert_eq!((o.tick_ms, o.seed), (250, 7));
    }

    #[test]
    fn bad_values_are_refused() {
        for args in [
            vec!["pexip-sim"],
            vec!["pexip-sim", "--admin-password", "p", "--profile", "v99"],
            vec!["pexip-sim", "--admin-password", "p", "--data", "lots"],
            vec!["pexip-sim", "--admin-password", "p", "--listen", "nowhere"],
        ] {
            assert!(Cli::try_parse_from(&args).is_err(), "{args:?}");
        }
    }
}
