//! System backups: `backup_create` encrypts the whole configuration into a file listed under
//! `configuration/v1/system_backup/`; `backup_restore` replaces the configuration with a
//! backup's, or changes nothing.

pub mod crypto;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::time::{Instant, iso};
use crate::store::ConfigStore;
pub use crypto::{BackupError, KdfParams};

pub const SYSTEM_BACKUP: &str = "/api/admin/configuration/v1/system_backup/";

/// One backup file on the Management Node.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub filename: String,
    pub date: Instant,
    pub version: String,
    pub build: String,
    pub bytes: Vec<u8>,
}

impl Backup {
    pub fn json(&self) -> Value {
        json!({
            "build": self.build,
            "date": iso(self.date),
            "filename": self.filename,
            "resource_uri": format!("{SYSTEM_BACKUP}{}/", self.filename),
            "size": self.bytes.len(),
            "version": self.version,
        })
    }
}

/// The backups held by the Management Node, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backups {
    pub items: Vec<Backup>,
}

impl Backups {
    pub fn get(&self, filename: &str) -> Option<&Backup> {
        self.items.iter().find(|b| b.filename == filename)
    }

    pub fn remove(&mut self, filename: &str) -> bool {
        let before = self.items.len();
        self.items.retain(|b| b.filename != filename);
        self.items.len() != before
    }
}

/// What a backup file holds once decrypted.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: String,
    version: String,
    build: String,
    created: String,
    configuration: ConfigStore,
}

const PAYLOAD_FORMAT: &str = "pexip-sim-backup/1";

/// Pexip's file name: `pexip_backup_<host>-mgr_<version>_<build>_<yy_mm_dd_HH_MM_SS>.tar.gpg`.
pub fn filename(host: &str, version: &str, build: &str, at: Instant) -> String {
    let host: String = host
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!(
        "pexip_backup_{host}-mgr_{version}_{build}_{}.tar.gpg",
        at.format("%y_%m_%d_%H_%M_%S")
    )
}

/// The Management Node's address as the backup name shows it.
pub fn management_host(store: &ConfigStore) -> String {
    store
        .objects("management_vm")
        .find_map(|o| o.get("address").and_then(Value::as_str).map(str::to_owned))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "10.0.0.10".to_owned())
}

/// Encrypts `store` into a new backup named for `at` (a second later while the name is taken).
pub fn create(
    backups: &mut Backups,
    store: &ConfigStore,
    passphrase: &str,
    (version, build): (&str, &str),
    at: Instant,
    params: KdfParams,
) -> Result<String, BackupError> {
    let payload = Payload {
        format: PAYLOAD_FORMAT.to_owned(),
        version: version.to_owned(),
        build: build.to_owned(),
        created: iso(at),
        configuration: store.clone(),
    };
    let plain = serde_json::to_vec(&payload).map_err(|e| BackupError::Encrypt(e.to_string()))?;
    let bytes = crypto::seal(passphrase, &plain, params)?;
    let host = management_host(store);
    let mut date = at;
    while backups
        .get(&filename(&host, version, build, date))
        .is_some()
    {
        date += chrono::Duration::seconds(1);
    }
    let name = filename(&host, version, build, date);
    backups.items.push(Backup {
        filename: name.clone(),
        date,
        version: version.to_owned(),
        build: build.to_owned(),
        bytes,
    });
    Ok(name)
}

/// Why a restore was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RestoreError {
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(
        "The backup was made by software version {0}; it can only be restored on that version (this node runs {1})."
    )]
    Version(String, String),
}

/// The configuration held by a backup file, if `passphrase` opens it and it was made by
/// `version`.
pub fn open(file: &[u8], passphrase: &str, version: &str) -> Result<ConfigStore, RestoreError> {
    let plain = crypto::open(passphrase, file)?;
    let payload: Payload = serde_json::from_slice(&plain).map_err(|_| BackupError::NotABackup)?;
    if payload.format != PAYLOAD_FORMAT {
        return Err(BackupError::NotABackup.into());
    }
    if payload.version != version {
        return Err(RestoreError::Version(payload.version, version.to_owned()));
    }
    Ok(payload.configuration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn filename_follows_pexips_pattern() {
        let at = NaiveDate::from_ymd_opt(2016, 1, 28)
            .unwrap()
            .and_hms_opt(15, 36, 16)
            .unwrap();
        assert_eq!(
            filename("10.44.7.0", "11", "26902.0.0", at),
            "pexip_backup_10-44-7-0-mgr_11_26902.0.0_16_01_28_15_36_16.tar.gpg"
        );
    }

    #[test]
    fn create_then_open_gives_the_configuration_back() {
        let at = NaiveDate::from_ymd_opt(2017, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let mut store = ConfigStore::new();
        let obj = json!({"id": 1, "name": "VMR_1"})
            .as_object()
            .unwrap()
            .clone();
        store.put("conference", crate::store::ObjectId::Int(1), obj);
        let fast = KdfParams {
            m_cost: 64,
            t_cost: 1,
            p_cost: 1,
        };
        let mut backups = Backups::default();
        let a = create(&mut backups, &store, "pw", ("14", "1.0"), at, fast).unwrap();
        let b = create(&mut backups, &store, "pw", ("14", "1.0"), at, fast).unwrap();
        assert_ne!(a, b, "names stay unique");
        let file = &backups.get(&a).unwrap().bytes;
        assert_eq!(open(file, "pw", "14").unwrap(), store);
        assert!(matches!(
            open(file, "nope", "14"),
            Err(RestoreError::Backup(BackupError::Decrypt))
        ));
        assert!(matches!(
            open(file, "pw", "40"),
            Err(RestoreError::Version(..))
        ));
        assert!(backups.remove(&a));
        assert!(!backups.remove(&a));
    }
}
