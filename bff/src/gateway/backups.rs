//! System backups: list, create, download, restore, delete (admins only).

use super::{BffError, MAX_PAGE};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::{Api, Download, ObjectId, UploadForm};
use pexip::query::Query;
use serde_json::{Value, json};
use std::path::Path;

const RESOURCE: &str = "system_backup";

impl Portal {
    pub async fn backups_list(&self, actor: &Actor) -> Result<ListResponse<Value>, BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        let query = Query::new().limit(MAX_PAGE);
        Ok(self
            .pexip
            .list(Api::Configuration, RESOURCE, &query)
            .await?)
    }

    /// Asks the node to create a backup encrypted with `passphrase`.
    pub async fn backup_create(&self, actor: &Actor, passphrase: &str) -> Result<Value, BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        if passphrase.is_empty() {
            return Err(BffError::field("passphrase", "a passphrase is required"));
        }
        let changes = json!({ "passphrase": { "before": null, "after": crate::audit::MASK } });
        let outcome = self
            .pexip
            .command(
                "platform",
                "backup_create",
                &json!({ "passphrase": passphrase }),
            )
            .await
            .map_err(BffError::from);
        self.audit(actor, "backup.create", None, changes, None, outcome)
            .await
    }

    /// One backup file, streamed from the node as it is read (never held whole). Downloads are
    /// audited too, once the node has answered: a backup holds the whole configuration.
    pub async fn backup_download(
        &self,
        actor: &Actor,
        filename: &str,
    ) -> Result<Download, BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        let id = ObjectId::key(filename)?;
        let outcome = self
            .pexip
            .download_stream(Api::Configuration, RESOURCE, &id)
            .await
            .map_err(BffError::from);
        let uri = backup_uri(filename);
        self.audit(
            actor,
            "backup.download",
            Some(uri),
            json!({}),
            None,
            outcome,
        )
        .await
    }

    /// Restores a backup file encrypted with `passphrase`: the file at `package` (the admin's
    /// upload, saved on disk), sent to the node as `filename` and streamed from the disk.
    pub async fn backup_restore(
        &self,
        actor: &Actor,
        filename: &str,
        package: &Path,
        passphrase: &str,
    ) -> Result<Value, BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        let (file, length) = match open_package(package).await {
            Ok(opened) => opened,
            Err(error) => {
                tracing::error!(%error, path = %package.display(), "cannot read a saved backup upload");
                return Err(BffError::Internal(
                    "the uploaded file could not be read back".into(),
                ));
            }
        };
        if length == 0 {
            return Err(BffError::field("package", "the backup file is empty"));
        }
        let changes = json!({ "package": { "before": null, "after": filename }, "passphrase": { "before": null, "after": crate::audit::MASK } });
        let form = UploadForm::new()
            .file_on_disk("package", filename, file, length)
            .text("passphrase", passphrase);
        let outcome = self
            .pexip
            .command_multipart("platform", "backup_restore", form)
            .await
            .map_err(BffError::from);
        self.audit(actor, "backup.restore", None, changes, None, outcome)
            .await
    }

    pub async fn backup_delete(&self, actor: &Actor, filename: &str) -> Result<(), BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        let id = ObjectId::key(filename)?;
        let outcome = self
            .pexip
            .delete(Api::Configuration, RESOURCE, &id)
            .await
            .map_err(BffError::from);
        self.audit(
            actor,
            "backup.delete",
            Some(backup_uri(filename)),
            json!({}),
            None,
            outcome,
        )
        .await
    }
}

/// The file at `path`, open, and its length.
async fn open_package(path: &Path) -> std::io::Result<(tokio::fs::File, u64)> {
    let file = tokio::fs::File::open(path).await?;
    let length = file.metadata().await?.len();
    Ok((file, length))
}

fn backup_uri(filename: &str) -> String {
    format!("/api/admin/configuration/v1/{RESOURCE}/{filename}/")
}
