//! Building a [`Client`] from its configuration.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Semaphore};

use super::config::PexipConfig;
use super::error::ConfigError;
use super::retry::RetryPolicy;
use super::schema_cache::SchemaCache;
use super::secret::Secret;
use super::stats::{CountConnections, Counters};
use super::tls::{self, Trust};
use super::{Client, Inner};

/// Idle keep-alive connections are closed after this long.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

impl Client {
    /// A client for the node of `config`: reads `password_file` and `ca_file` now, and trusts
    /// the certificates matching `pin_sha256` when it is set, else the CA file (a certificate
    /// of it presented as it is, or a chain to it), else the system's roots. With
    /// `insecure_skip_verify`, logs a warning and verifies nothing.
    pub fn new(config: &PexipConfig) -> Result<Client, ConfigError> {
        build(config, None)
    }

    /// Like [`Client::new`], trusting exactly the certificates of `ca_pem` (e.g. the demo
    /// simulator's certificate) instead of `ca_file`, `pin_sha256` or the system's roots.
    pub fn with_ca_pem(config: &PexipConfig, ca_pem: &str) -> Result<Client, ConfigError> {
        build(config, Some(ca_pem.to_owned()))
    }
}

fn build(config: &PexipConfig, ca_pem: Option<String>) -> Result<Client, ConfigError> {
    let origin = origin_of(config.url.as_deref().ok_or(ConfigError::MissingUrl)?)?;
    let password = password_of(config)?;
    if config.max_in_flight == 0 {
        return Err(ConfigError::Invalid(
            "pexip.max_in_flight must be at least 1".into(),
        ));
    }
    if config.request_timeout_secs == 0 || config.connect_timeout_secs == 0 {
        return Err(ConfigError::Invalid(
            "pexip timeouts must be at least 1 second".into(),
        ));
    }
    if config.insecure_skip_verify && !config.pin_sha256.is_empty() {
        return Err(ConfigError::Invalid(
            "set either pexip.insecure_skip_verify or pexip.pin_sha256, not both".into(),
        ));
    }
    let trust = if config.insecure_skip_verify {
        tracing::warn!(
            url = %origin,
            "pexip.insecure_skip_verify is set: the Management Node's TLS certificate is NOT \
             verified; anyone on the network path can read the portal's credentials"
        );
        Trust::Insecure
    } else if let Some(pem) = ca_pem {
        Trust::Pem(pem)
    } else {
        let ca_file = config
            .ca_file
            .as_ref()
            .map(|path| {
                std::fs::read_to_string(path).map_err(|e| ConfigError::CaFile {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })
            })
            .transpose()?;
        if config.pin_sha256.is_empty() {
            ca_file.map_or(Trust::System, Trust::Pem)
        } else {
            // The pins decide; a CA file set as well is still checked now, so that a mistake
            // in it shows at start rather than the day the pins are removed.
            if let Some(pem) = &ca_file {
                tls::client_config(Trust::Pem(pem.clone()))?;
            }
            Trust::Pins(config.pin_sha256.clone())
        }
    };
    let counters = Arc::new(Counters::default());
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls::client_config(trust)?)
        .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
        .timeout(Duration::from_secs(config.request_timeout_secs))
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_max_idle_per_host(config.max_in_flight)
        .user_agent(concat!("pexip-portal/", env!("CARGO_PKG_VERSION")))
        .connector_layer(CountConnections(counters.clone()))
        .build()
        .map_err(|e| ConfigError::Build(e.to_string()))?;
    Ok(Client {
        background: false,
        inner: Arc::new(Inner {
            http,
            origin,
            username: config.username.clone(),
            password,
            request_timeout: Duration::from_secs(config.request_timeout_secs),
            in_flight: Semaphore::new(config.max_in_flight),
            background: Semaphore::new(super::background_permits(config.max_in_flight)),
            mutations: Mutex::new(()),
            retry: RetryPolicy {
                max_retries: config.max_retries,
                base_delay: Duration::from_millis(config.retry_base_delay_ms),
                max_retry_after: Duration::from_secs(config.max_retry_after_secs),
            },
            max_response_bytes: config.max_response_bytes,
            max_download_bytes: config.max_download_bytes,
            schemas: SchemaCache::new(Duration::from_secs(config.schema_ttl_secs)),
            counters,
        }),
    })
}

/// `scheme://host[:port]` of a base URL that has nothing else (no credentials, path beyond
/// `/`, query or fragment).
fn origin_of(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(invalid("the scheme must be https (or http)"));
    }
    if parsed.host_str().is_none() {
        return Err(invalid("no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "credentials belong in pexip.username and pexip.password_file",
        ));
    }
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(
            "give the node's address only, e.g. https://pexip-mgr.example.com",
        ));
    }
    Ok(parsed.origin().ascii_serialization())
}

fn password_of(config: &PexipConfig) -> Result<Secret, ConfigError> {
    match (&config.password, &config.password_file) {
        (Some(_), Some(_)) => Err(ConfigError::PasswordTwice),
        (Some(password), None) => Ok(password.clone()),
        (None, Some(path)) => {
            let text =
                std::fs::read_to_string(path).map_err(|source| ConfigError::PasswordFile {
                    path: path.display().to_string(),
                    source,
                })?;
            Ok(Secret::new(text.trim()))
        }
        (None, None) => Err(ConfigError::MissingPassword),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_keeps_scheme_host_and_port_only() {
        assert_eq!(
            origin_of("https://mgr.example.com").unwrap(),
            "https://mgr.example.com"
        );
        assert_eq!(
            origin_of("https://127.0.0.1:8443/").unwrap(),
            "https://127.0.0.1:8443"
        );
        for bad in [
            "mgr.example.com",
            "ftp://mgr",
            "https://u:p@mgr",
            "https://mgr/api/admin/",
            "https://mgr/?x=1",
            "https://mgr/#f",
            "",
        ] {
            assert!(origin_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_from_file_is_trimmed_and_both_is_refused() {
        let dir = std::env::temp_dir().join(format!("pexip-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pw");
        std::fs::write(&file, "  s3cret\n").unwrap();
        let mut config = PexipConfig {
            password_file: Some(file.clone()),
            ..PexipConfig::default()
        };
        assert_eq!(password_of(&config).unwrap().expose(), "s3cret");
        config.password = Some(Secret::new("x"));
        assert!(matches!(
            password_of(&config),
            Err(ConfigError::PasswordTwice)
        ));
        config.password = None;
        config.password_file = Some(dir.join("missing"));
        let err = password_of(&config).unwrap_err().to_string();
        assert!(err.contains("missing"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_settings_are_refused() {
        let base = PexipConfig {
            url: Some("https://mgr".into()),
            password: Some(Secret::new("pw")),
            ..PexipConfig::default()
        };
        assert!(matches!(
            Client::new(&PexipConfig {
                url: None,
                ..base.clone()
            }),
            Err(ConfigError::MissingUrl)
        ));
        assert!(matches!(
            Client::new(&PexipConfig {
                max_in_flight: 0,
                ..base.clone()
            }),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            Client::new(&PexipConfig {
                ca_file: Some("/nonexistent/ca.pem".into()),
                ..base.clone()
            }),
            Err(ConfigError::CaFile { .. })
        ));
        assert!(matches!(
            Client::with_ca_pem(&base, "garbage"),
            Err(ConfigError::CaPem(_))
        ));
        let client = Client::new(&base).unwrap();
        assert_eq!(client.base_url(), "https://mgr");
        let debug = format!("{client:?}");
        assert!(
            debug.contains("password: ***") && !debug.contains("pw"),
            "{debug}"
        );
    }
}
