//! The server's configuration: one typed structure read from a TOML file and overridden by
//! `PORTAL_*` environment variables (`PORTAL_SECTION__KEY` for `[section] key`).
//!
//! Every key and its default is documented in the README; keep the two in step.

use bff::db::DatabaseConfig;
use bff::identity::RoleMappingConfig;
use bff::identity::ldap::LdapConfig;
use bff::identity::oidc::OidcConfig;
use bff::join::RoomsConfig;
use bff::policy::PolicyConfig;
use bff::sessions::SessionConfig;
use bff::throttle::ThrottleConfig;
use pexip::client::{PexipConfig, Secret};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "portal.toml";
/// Prefix of the environment variables that override configuration keys.
const ENV_PREFIX: &str = "PORTAL_";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where local state lives: the SQLite database (unless `database.url` names another).
    pub data_dir: PathBuf,
    /// The password of the `admin` account created on first start (`PORTAL_ADMIN_PASSWORD`).
    /// Unset: a generated one is written once to the log.
    pub admin_password: Option<Secret>,
    pub log: LogConfig,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub sessions: SessionConfig,
    pub login_throttle: ThrottleConfig,
    pub pexip: PexipConfig,
    pub policy: PolicyConfig,
    pub rooms: RoomsConfig,
    pub demo: DemoConfig,
    /// LDAP / Active Directory sign-in (`[ldap]`); without `ldap.url`, none.
    pub ldap: LdapConfig,
    /// OpenID Connect providers (`[[oidc.providers]]`).
    pub oidc: OidcConfig,
    /// Directory groups and token claims to portal roles (`[roles]`, `[[roles.rules]]`).
    pub roles: RoleMappingConfig,
    /// Backup files sent through the portal (`[backups]`).
    pub backups: crate::backup_files::BackupsConfig,
    /// Files sent through the configuration browser (`[uploads]`).
    pub uploads: crate::file_uploads::UploadsConfig,
    /// Who may read `/metrics` (`[metrics]`).
    pub metrics: crate::metrics::MetricsConfig,
    /// The live feed (`[live]`, `[live.event_sink]`).
    pub live: bff::live::LiveConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: bff::db::default_data_dir(),
            admin_password: None,
            log: LogConfig::default(),
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            sessions: SessionConfig::default(),
            login_throttle: ThrottleConfig::default(),
            pexip: PexipConfig::default(),
            policy: PolicyConfig::default(),
            rooms: RoomsConfig::default(),
            demo: DemoConfig::default(),
            ldap: LdapConfig::default(),
            oidc: OidcConfig::default(),
            roles: RoleMappingConfig::default(),
            backups: crate::backup_files::BackupsConfig::default(),
            uploads: crate::file_uploads::UploadsConfig::default(),
            metrics: crate::metrics::MetricsConfig::default(),
            live: bff::live::LiveConfig::default(),
        }
    }
}

/// Demo mode (no `pexip.url`): the built-in simulator the portal then runs against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    /// The Pexip version the simulator impersonates: `v14` (the guide's) or `v40` (a newer
    /// node: more resources, fields and choices).
    pub profile: DemoProfile,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DemoProfile {
    #[default]
    V14,
    V40,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
    /// The tracing filter used when `RUST_LOG` is not set.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// A request that takes longer than this is answered 408 and its work dropped.
    pub request_timeout_secs: u64,
    /// The largest request body accepted (bytes); larger ones get 413.
    pub body_limit_bytes: usize,
    /// The portal's address as browsers see it (`https://portal.example.com`), for the
    /// single sign-on callbacks registered at the providers. Unset: `http://` and the listen
    /// address.
    pub public_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            request_timeout_secs: 30,
            body_limit_bytes: 1024 * 1024,
            public_url: None,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("configuration file {path} is not valid TOML: {reason}")]
    Syntax { path: PathBuf, reason: String },
    #[error("invalid configuration value for `{key}`: {reason}")]
    Invalid { key: String, reason: String },
    #[error("{0}")]
    Usage(String),
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Serve the portal.
    Serve,
    /// `server user …`: manage accounts (the arguments after `user`).
    User(Vec<String>),
}

/// What the command line said: the command and where the configuration file is.
#[derive(Debug, PartialEq)]
enum Invocation {
    Run {
        command: Command,
        config_file: Option<PathBuf>,
    },
    Help,
    Version,
}

/// Reads the command line (`[--config PATH] [user …]`) and the configuration it names plus the
/// environment. `--help` and `--version` print and exit.
pub fn load_from_args(
    args: impl Iterator<Item = String>,
) -> Result<(Command, Config), ConfigError> {
    match parse_args(args)? {
        Invocation::Help => {
            println!("{}", usage());
            std::process::exit(0);
        }
        Invocation::Version => {
            println!("pexip-portal {}", env!("CARGO_PKG_VERSION"));
            std::process::exit(0);
        }
        Invocation::Run {
            command,
            config_file,
        } => {
            let (path, required) = match config_file {
                Some(path) => (path, true),
                None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
            };
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => Some(text),
                Err(error) if !required && error.kind() == std::io::ErrorKind::NotFound => None,
                Err(error) => {
                    return Err(ConfigError::Read {
                        path,
                        reason: error.to_string(),
                    });
                }
            };
            let config = load(
                text.as_deref().map(|text| (path.as_path(), text)),
                std::env::vars(),
            )?;
            Ok((command, config))
        }
    }
}

fn usage() -> String {
    format!(
        "Usage: server [--config PATH]              serve the portal\n       \
         server [--config PATH] user COMMAND  manage accounts (server user --help)\n\n\
         Configuration is read from PATH (default: ./{DEFAULT_CONFIG_FILE} when present) and overridden\n\
         by {ENV_PREFIX}SECTION__KEY environment variables. The listen address is LEPTOS_SITE_ADDR\n\
         (default 127.0.0.1:3000); RUST_LOG sets the log filter."
    )
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Invocation, ConfigError> {
    let mut config_file = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Invocation::Help),
            "-V" | "--version" => return Ok(Invocation::Version),
            "--config" => match args.next() {
                Some(path) => config_file = Some(PathBuf::from(path)),
                None => return Err(ConfigError::Usage("--config needs a file path".into())),
            },
            "user" => {
                return Ok(Invocation::Run {
                    command: Command::User(args.collect()),
                    config_file,
                });
            }
            other => match other.strip_prefix("--config=") {
                Some(path) => config_file = Some(PathBuf::from(path)),
                None => {
                    return Err(ConfigError::Usage(format!(
                        "unknown argument `{other}`\n\n{}",
                        usage()
                    )));
                }
            },
        }
    }
    Ok(Invocation::Run {
        command: Command::Serve,
        config_file,
    })
}

/// Builds the configuration from an optional TOML file and the given environment.
pub fn load(
    file: Option<(&Path, &str)>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigError> {
    let mut tree = match file {
        Some((path, text)) => {
            let table: toml::Table = toml::from_str(text).map_err(|error| ConfigError::Syntax {
                path: path.to_path_buf(),
                reason: error.message().to_string(),
            })?;
            serde_json::to_value(table).map_err(|error| ConfigError::Syntax {
                path: path.to_path_buf(),
                reason: error.to_string(),
            })?
        }
        None => Value::Object(Map::new()),
    };
    // The defaults tell each key's type, so `PORTAL_SERVER__BODY_LIMIT_BYTES=10` is a number
    // while `PORTAL_…PASSWORD=1234` stays a string.
    let defaults =
        serde_json::to_value(Config::default()).expect("the default configuration serializes");
    let mut overrides: Vec<(String, String)> = env
        .into_iter()
        .filter_map(|(name, value)| {
            name.strip_prefix(ENV_PREFIX)
                .map(|key| (key.to_string(), value))
        })
        .collect();
    overrides.sort();
    for (key, raw) in overrides {
        let path: Vec<String> = key.split("__").map(str::to_ascii_lowercase).collect();
        let display = path.join(".");
        let value = typed_env_value(lookup(&defaults, &path), &raw).map_err(|reason| {
            ConfigError::Invalid {
                key: format!("{display} (from {ENV_PREFIX}{key})"),
                reason,
            }
        })?;
        insert(&mut tree, &path, value).map_err(|reason| ConfigError::Invalid {
            key: display,
            reason,
        })?;
    }
    serde_path_to_error::deserialize(tree).map_err(|error| ConfigError::Invalid {
        key: error.path().to_string(),
        reason: error.into_inner().to_string(),
    })
}

fn lookup<'a>(tree: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(tree, |node, key| node.get(key))
}

/// Interprets an environment value as the type the key has in the defaults.
fn typed_env_value(default: Option<&Value>, raw: &str) -> Result<Value, String> {
    match default {
        Some(Value::Bool(_)) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got `{raw}`")),
        },
        Some(Value::Array(_)) => Ok(Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.into()))
                .collect(),
        )),
        Some(Value::Number(_)) => raw
            .trim()
            .parse::<serde_json::Number>()
            .map(Value::Number)
            .map_err(|_| format!("expected a number, got `{raw}`")),
        _ => Ok(Value::String(raw.to_string())),
    }
}

fn insert(tree: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    let (last, parents) = path.split_last().ok_or("empty key")?;
    let mut node = tree;
    for key in parents {
        let Value::Object(map) = node else {
            return Err(format!("`{key}` is not a section"));
        };
        node = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match node {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            Ok(())
        }
        _ => Err("a value cannot have nested keys".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_without_file_or_environment() {
        assert_eq!(load(None, env(&[])).unwrap(), Config::default());
    }

    #[test]
    fn demo_profile_from_file_and_environment() {
        let config = load(None, env(&[("PORTAL_DEMO__PROFILE", "v40")])).unwrap();
        assert_eq!(config.demo.profile, DemoProfile::V40);
        let text = "[demo]\nprofile = \"v14\"\n";
        let config = load(Some((Path::new("p.toml"), text)), env(&[])).unwrap();
        assert_eq!(config.demo.profile, DemoProfile::V14);
        let error = load(None, env(&[("PORTAL_DEMO__PROFILE", "v99")])).unwrap_err();
        assert!(error.to_string().contains("demo.profile"), "{error}");
    }

    #[test]
    fn rooms_webapp_url_from_file_and_environment() {
        assert_eq!(Config::default().rooms.webapp_url, None);
        let text = "[rooms]\nwebapp_url = \"https://meet.example.com/webapp/m/{alias}\"\n";
        let config = load(Some((Path::new("p.toml"), text)), env(&[])).unwrap();
        assert_eq!(
            config.rooms.webapp_url.as_deref(),
            Some("https://meet.example.com/webapp/m/{alias}")
        );
        let url = "https://x.example/#/?conference={alias}";
        let config = load(None, env(&[("PORTAL_ROOMS__WEBAPP_URL", url)])).unwrap();
        assert_eq!(config.rooms.webapp_url.as_deref(), Some(url));
    }

    #[test]
    fn backups_upload_cap_from_file_and_environment() {
        assert_eq!(
            Config::default().backups.max_upload_bytes,
            512 * 1024 * 1024
        );
        let text = "[backups]\nmax_upload_bytes = 1048576\n";
        let config = load(Some((Path::new("p.toml"), text)), env(&[])).unwrap();
        assert_eq!(config.backups.max_upload_bytes, 1_048_576);
        let config = load(
            None,
            env(&[("PORTAL_BACKUPS__MAX_UPLOAD_BYTES", "2147483648")]),
        )
        .unwrap();
        assert_eq!(config.backups.max_upload_bytes, 2_147_483_648);
        let error = load(None, env(&[("PORTAL_BACKUPS__MAX_UPLOAD_BYTES", "big")])).unwrap_err();
        assert!(
            error.to_string().contains("backups.max_upload_bytes"),
            "{error}"
        );
    }

    #[test]
    fn file_values_are_read() {
        let text = "[log]\nformat = \"json\"\n[server]\nrequest_timeout_secs = 5\n";
        let config = load(Some((Path::new("p.toml"), text)), env(&[])).unwrap();
        assert_eq!(config.log.format, LogFormat::Json);
        assert_eq!(config.server.request_timeout_secs, 5);
        assert_eq!(
            config.server.body_limit_bytes,
            ServerConfig::default().body_limit_bytes
        );
    }

    #[test]
    fn environment_overrides_file_with_typed_values() {
        let text = "[server]\nrequest_timeout_secs = 5\n";
        let config = load(
            Some((Path::new("p.toml"), text)),
            env(&[
                ("PORTAL_SERVER__REQUEST_TIMEOUT_SECS", "7"),
                ("PORTAL_LOG__FILTER", "12345"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(config.server.request_timeout_secs, 7);
        // A string key stays a string even when it looks like a number.
        assert_eq!(config.log.filter, "12345");
    }

    #[test]
    fn list_keys_take_comma_separated_environment_values() {
        let config = load(
            None,
            env(&[("PORTAL_POLICY__USER_EDITABLE_FIELDS", "pin, guest_pin")]),
        )
        .unwrap();
        assert_eq!(
            config.policy.user_editable_fields,
            vec!["pin".to_string(), "guest_pin".to_string()]
        );
    }

    #[test]
    fn pexip_pins_from_the_environment_and_a_bad_one_names_the_key() {
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let b64 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
        let pins = format!("{hex}, {b64}");
        let config = load(None, env(&[("PORTAL_PEXIP__PIN_SHA256", &pins)])).unwrap();
        assert_eq!(config.pexip.pin_sha256.len(), 2);
        assert_eq!(config.pexip.pin_sha256[0], config.pexip.pin_sha256[1]);
        let text = format!("[pexip]\npin_sha256 = \"{hex}\"\n");
        let config = load(Some((Path::new("p.toml"), &text)), env(&[])).unwrap();
        assert_eq!(config.pexip.pin_sha256.len(), 1);
        let pins = format!("{hex},abcd");
        let error = load(None, env(&[("PORTAL_PEXIP__PIN_SHA256", &pins)])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid configuration value for `pexip.pin_sha256[1]`: `abcd` is not a SHA-256 \
             digest: expected 64 hex digits (`:` separators allowed) or 44 base64 characters"
        );
    }

    #[test]
    fn nested_sections_and_top_level_keys_from_the_environment() {
        let config = load(
            None,
            env(&[
                ("PORTAL_PEXIP__URL", "https://mgr.example.com"),
                ("PORTAL_PEXIP__MAX_IN_FLIGHT", "2"),
                ("PORTAL_DATA_DIR", "/var/lib/portal"),
                ("PORTAL_ADMIN_PASSWORD", "123456789012"),
                ("PORTAL_SESSIONS__STORE", "redis"),
            ]),
        )
        .unwrap();
        assert_eq!(config.pexip.url.as_deref(), Some("https://mgr.example.com"));
        assert_eq!(config.pexip.max_in_flight, 2);
        assert_eq!(config.data_dir, PathBuf::from("/var/lib/portal"));
        // A numeric-looking secret stays a string and never prints.
        assert_eq!(
            config.admin_password.as_ref().map(Secret::expose),
            Some("123456789012")
        );
        assert!(!format!("{config:?}").contains("123456789012"));
        assert_eq!(
            config.sessions.store,
            Some(bff::sessions::SessionStoreKind::Redis)
        );
    }

    #[test]
    fn invalid_value_names_the_key() {
        let text = "[server]\nrequest_timeout_secs = \"soon\"\n";
        let error = load(Some((Path::new("p.toml"), text)), env(&[])).unwrap_err();
        assert!(
            matches!(&error, ConfigError::Invalid { key, .. } if key == "server.request_timeout_secs"),
            "{error}"
        );

        let error = load(None, env(&[("PORTAL_SERVER__BODY_LIMIT_BYTES", "lots")])).unwrap_err();
        assert!(
            error.to_string().contains("server.body_limit_bytes"),
            "{error}"
        );

        let error = load(None, env(&[("PORTAL_LOG__FORMAT", "xml")])).unwrap_err();
        assert!(
            matches!(&error, ConfigError::Invalid { key, .. } if key == "log.format"),
            "{error}"
        );
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let error = load(None, env(&[("PORTAL_SERVER__PROT", "1")])).unwrap_err();
        assert!(error.to_string().contains("prot"), "{error}");
        let error = load(Some((Path::new("p.toml"), "[nosuch]\na = 1\n")), env(&[])).unwrap_err();
        assert!(error.to_string().contains("nosuch"), "{error}");
    }

    #[test]
    fn toml_syntax_errors_name_the_file() {
        let error = load(Some((Path::new("bad.toml"), "[log\n")), env(&[])).unwrap_err();
        assert!(
            matches!(error, ConfigError::Syntax { ref path, .. } if path == Path::new("bad.toml"))
        );
    }

    #[test]
    fn arguments() {
        let args = |list: &[&str]| parse_args(list.iter().map(|s| s.to_string()));
        let serve = |file: Option<&str>| Invocation::Run {
            command: Command::Serve,
            config_file: file.map(PathBuf::from),
        };
        assert_eq!(args(&[]).unwrap(), serve(None));
        assert_eq!(
            args(&["--config", "x.toml"]).unwrap(),
            serve(Some("x.toml"))
        );
        assert_eq!(args(&["--config=y.toml"]).unwrap(), serve(Some("y.toml")));
        assert_eq!(args(&["--help"]).unwrap(), Invocation::Help);
        assert_eq!(
            args(&["--config", "x.toml", "user", "add", "bob"]).unwrap(),
            Invocation::Run {
                command: Command::User(vec!["add".into(), "bob".into()]),
                config_file: Some("x.toml".into()),
            }
        );
        assert!(args(&["--config"]).is_err());
        assert!(args(&["--bogus"]).is_err());
    }
}
