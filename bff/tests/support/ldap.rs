//! A throwaway OpenLDAP server (slapd) for the LDAP tests, run by the project's
//! `scripts/ldap-test-server.sh` on free ports in a temporary directory, with the people and
//! groups of `end2end/ldap/`. Include it with `#[path = "support/ldap.rs"] mod ldap_support;`.
//!
//! [`LdapServer::shared`] is one server for the whole test binary (stopped by a small watchdog
//! when the test process ends); [`LdapServer::start`] is a private one, stopped when dropped.

#![allow(dead_code)] // Each test binary uses a part.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

pub const BASE: &str = "dc=example,dc=com";
pub const PEOPLE: &str = "ou=people,dc=example,dc=com";
pub const GROUPS: &str = "ou=groups,dc=example,dc=com";
/// The service account the portal searches with.
pub const SERVICE_DN: &str = "cn=portal,ou=services,dc=example,dc=com";
pub const SERVICE_PASSWORD: &str = "portal-service-password";
/// The rootdn, for changes made by tests.
pub const ROOT_DN: &str = "cn=admin,dc=example,dc=com";
pub const ROOT_PASSWORD: &str = "admin-password";

/// A running slapd.
pub struct LdapServer {
    dir: PathBuf,
    pub ldap_port: u16,
    pub ldaps_port: u16,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/ldap-test-server.sh")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free local port")
        .port()
}

/// Runs the script's `start`.
fn run_start(dir: &Path, ldap_port: u16, ldaps_port: u16) -> Result<(), String> {
    let output = Command::new("bash")
        .arg(script())
        .arg("start")
        .arg(dir)
        .arg(ldap_port.to_string())
        .arg(ldaps_port.to_string())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script().display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} start failed ({}):\n{}",
            script().display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

impl LdapServer {
    /// A server of its own, stopped (and its directory deleted) when dropped.
    pub fn start() -> LdapServer {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pexip-portal-ldap-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mut last_error = String::new();
        // A port found free may be taken before slapd binds it: try again with others.
        for _ in 0..3 {
            let ldap_port = free_port();
            let mut ldaps_port = free_port();
            while ldaps_port == ldap_port {
                ldaps_port = free_port();
            }
            match run_start(&dir, ldap_port, ldaps_port) {
                Ok(()) => {
                    return LdapServer {
                        dir,
                        ldap_port,
                        ldaps_port,
                    };
                }
                Err(error) => last_error = error,
            }
        }
        panic!("the test LDAP server does not start: {last_error}");
    }

    /// One server shared by all tests of this binary, started on first use. It outlives every
    /// test; a watchdog process stops it once this test process has ended.
    pub fn shared() -> &'static LdapServer {
        static SHARED: OnceLock<LdapServer> = OnceLock::new();
        SHARED.get_or_init(|| {
            let server = LdapServer::start();
            server.stop_after_this_process();
            server
        })
    }

    /// Starts the server again on the same ports, with fresh data (certificates kept).
    pub fn restart(&self) {
        if let Err(error) = run_start(&self.dir, self.ldap_port, self.ldaps_port) {
            panic!("{error}");
        }
    }

    /// Stops the server (the directory stays until the value is dropped).
    pub fn stop(&self) {
        let status = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .expect("run the ldap test server script");
        assert!(status.success(), "stopping the test LDAP server failed");
    }

    #[allow(clippy::zombie_processes)] // The watchdog must outlive this process: never waited.
    fn stop_after_this_process(&self) {
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(
                r#"while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
                   bash "$2" stop "$3"; rm -rf "$3""#,
            )
            .arg("ldap-test-watchdog")
            .arg(std::process::id().to_string())
            .arg(script())
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Err(error) = spawned {
            eprintln!("no watchdog for the shared test LDAP server: {error}");
        }
    }

    /// `ldap://127.0.0.1:<port>` (StartTLS offered).
    pub fn ldap_url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.ldap_port)
    }

    /// `ldaps://127.0.0.1:<port>`.
    pub fn ldaps_url(&self) -> String {
        format!("ldaps://127.0.0.1:{}", self.ldaps_port)
    }

    /// The PEM of the CA that issued the server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The server's directory (for files a test writes).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The PEM of another CA, which did not issue the server's certificate.
    pub fn other_ca_file(&self) -> PathBuf {
        let path = self.dir.join("other-ca.pem");
        if !path.exists() {
            let status = Command::new("openssl")
                .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
                .arg("ec_paramgen_curve:prime256v1")
                .args([
                    "-nodes",
                    "-days",
                    "30",
                    "-subj",
                    "/CN=Some other CA",
                    "-keyout",
                ])
                .arg(self.dir.join("other-ca.key"))
                .arg("-out")
                .arg(&path)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run openssl");
            assert!(status.success(), "openssl could not make another CA");
        }
        path
    }

    /// Applies an LDIF change as the rootdn (`ldapmodify`).
    pub fn modify(&self, ldif: &str) {
        use std::io::Write;
        let mut child = Command::new("ldapmodify")
            .args([
                "-x",
                "-H",
                &self.ldap_url(),
                "-D",
                ROOT_DN,
                "-w",
                ROOT_PASSWORD,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ldapmodify");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(ldif.as_bytes())
            .expect("write the LDIF");
        let output = child.wait_with_output().expect("ldapmodify ends");
        assert!(
            output.status.success(),
            "ldapmodify failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for LdapServer {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
