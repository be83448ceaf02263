//! The client's configuration: the `[pexip]` section of the server configuration.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::pin::{self, Sha256Pin};
use super::secret::Secret;

/// How to reach and authenticate to the Pexip Infinity Management Node.
///
/// Every key has a default, so an empty `[pexip]` section is valid (no `url`: the portal runs
/// its demo simulator). Environment overrides follow the server's convention:
/// `PORTAL_PEXIP__URL`, `PORTAL_PEXIP__PASSWORD_FILE`, ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PexipConfig {
    /// Base URL of the Management Node, e.g. `https://pexip-mgr.example.com` (no path beyond
    /// `/`). `None`: demo mode.
    pub url: Option<String>,
    /// Management Node account (HTTP Basic).
    pub username: String,
    /// Its password. Prefer `password_file`; never both.
    pub password: Option<Secret>,
    /// A file holding the password (read once at start, surrounding whitespace trimmed).
    pub password_file: Option<PathBuf>,
    /// PEM file of the CA certificate(s) (or the node's self-signed certificate) to trust
    /// instead of the system's roots. A certificate of this file presented by the node as it
    /// is (a self-signed node certificate) is trusted whatever its basic constraints
    /// (`CA:TRUE` included), once its validity period and names are checked.
    pub ca_file: Option<PathBuf>,
    /// SHA-256 pins of the node's certificate or of its public key (hex or base64; one string
    /// or a list). When set, the node's certificate is accepted only if it matches one of
    /// them (and is within its validity period), whoever issued it and whatever names it
    /// carries: a pin is explicit trust in that certificate or key.
    #[serde(deserialize_with = "pin::one_or_many")]
    pub pin_sha256: Vec<Sha256Pin>,
    /// Accept any certificate. For labs only: logs a warning every time a client is built.
    pub insecure_skip_verify: bool,
    /// Seconds to establish a TCP + TLS connection.
    pub connect_timeout_secs: u64,
    /// Seconds for a whole request (sending it, waiting, reading the answer).
    pub request_timeout_secs: u64,
    /// Upstream requests in flight at most (the guide asks for few; mutations also go one at a
    /// time). Background work ([`super::Client::background`]) holds at most half of them.
    pub max_in_flight: usize,
    /// Retries of a failed GET (connection errors, 429, 502, 503, 504); mutations are never
    /// retried. `0` disables retries.
    pub max_retries: u32,
    /// First retry delay in milliseconds; doubles at every retry, with jitter.
    pub retry_base_delay_ms: u64,
    /// The longest `Retry-After` (seconds) honoured by waiting; a longer one is reported at
    /// once as "rate limited".
    pub max_retry_after_secs: u64,
    /// Seconds a resource schema stays cached.
    pub schema_ttl_secs: u64,
    /// The largest answer body read from the node (bytes); a larger one fails the request
    /// instead of filling the memory.
    pub max_response_bytes: u64,
    /// The largest file downloaded from the node (bytes): system backups.
    pub max_download_bytes: u64,
}

/// 64 MiB: far above any list page or schema the node sends.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// 2 GiB: backups hold the whole configuration (and may hold media files such as themes).
pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 2 * 1024 * 1024 * 1024;

impl Default for PexipConfig {
    fn default() -> Self {
        PexipConfig {
            url: None,
            username: "admin".to_owned(),
            password: None,
            password_file: None,
            ca_file: None,
            pin_sha256: Vec::new(),
            insecure_skip_verify: false,
            connect_timeout_secs: 5,
            request_timeout_secs: 30,
            max_in_flight: 4,
            max_retries: 3,
            retry_base_delay_ms: 250,
            max_retry_after_secs: 10,
            schema_ttl_secs: 300,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_download_bytes: DEFAULT_MAX_DOWNLOAD_BYTES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_section_is_the_defaults_and_password_never_serializes() {
        let c: PexipConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(c, PexipConfig::default());
        assert_eq!(c.username, "admin");
        assert_eq!(c.max_in_flight, 4);
        let c: PexipConfig =
            serde_json::from_str(r#"{"url": "https://mgr", "password": "pw"}"#).unwrap();
        assert_eq!(c.password.as_ref().map(Secret::expose), Some("pw"));
        let text = serde_json::to_string(&c).unwrap();
        assert!(!text.contains("\"pw\""), "{text}");
        assert!(format!("{c:?}").contains("***"));
        assert!(serde_json::from_str::<PexipConfig>(r#"{"passwd": "x"}"#).is_err());
    }

    #[test]
    fn pins_are_one_string_or_a_list_and_are_checked_when_read() {
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let b64 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
        let one: PexipConfig =
            serde_json::from_str(&format!(r#"{{"pin_sha256": "{hex}"}}"#)).unwrap();
        assert_eq!(one.pin_sha256, [Sha256Pin::of(b"abc")]);
        let many: PexipConfig =
            serde_json::from_str(&format!(r#"{{"pin_sha256": ["{hex}", "{b64}"]}}"#)).unwrap();
        assert_eq!(many.pin_sha256, [Sha256Pin::of(b"abc"); 2]);
        let text = serde_json::to_string(&many).unwrap();
        assert!(
            text.contains(&format!(r#""pin_sha256":["{hex}","{hex}"]"#)),
            "{text}"
        );
        let error = serde_json::from_str::<PexipConfig>(r#"{"pin_sha256": ["abcd"]}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`abcd` is not a SHA-256 digest"), "{error}");
        let error = serde_json::from_str::<PexipConfig>(r#"{"pin_sha256": 7}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("a SHA-256 pin (hex or base64) or a list"),
            "{error}"
        );
    }
}
