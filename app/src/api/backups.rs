//! System backups held by the Management Node (admins only). Creating and deleting are server
//! functions; downloading and restoring move files, so they are plain HTTP routes of the server
//! (`GET /api/backups/download/{filename}`, `POST /api/backups/restore`).

use super::{AppError, Deferred};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    pub filename: String,
    /// When it was made (the API's naive UTC timestamp).
    pub date: String,
    /// Bytes.
    pub size: u64,
    /// The software version it was made with (restores need the same one).
    pub version: String,
}

/// The backups, newest first.
#[server(endpoint = "backups/list", output = crate::api::JsonText)]
pub async fn list_backups() -> Result<Deferred<Vec<Backup>>, AppError> {
    use super::fields::{count, text};
    let (portal, actor) = super::context::signed_in().await?;
    let list = portal.backups_list(&actor).await?;
    let mut backups: Vec<Backup> = list
        .objects
        .iter()
        .map(|record| Backup {
            filename: text(record, "filename"),
            date: text(record, "date"),
            size: count(record, "size"),
            version: text(record, "version"),
        })
        .collect();
    backups.sort_by(|a, b| b.date.cmp(&a.date).then(b.filename.cmp(&a.filename)));
    Deferred::new(&backups)
}

/// Makes a new backup encrypted with `passphrase` (needed again to restore it).
#[server(endpoint = "backups/create", output = crate::api::JsonText)]
pub async fn create_backup(passphrase: String) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    portal.backup_create(&actor, &passphrase).await?;
    Ok(())
}

#[server(endpoint = "backups/delete", output = crate::api::JsonText)]
pub async fn delete_backup(filename: String) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.backup_delete(&actor, &filename).await?)
}
