//! System backups: list, create, download, restore, delete (admins only).

use super::{BffError, MAX_PAGE};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::ListResponse;
use pexip::client::{Api, ObjectId, UploadForm};
use pexip::query::Query;
use serde_json::{Value, json};

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

    /// The bytes of one backup file. Downloads are audited too: a backup holds the whole
    /// configuration.
    pub async fn backup_download(
        &self,
        actor: &Actor,
        filename: &str,
    ) -> Result<Vec<u8>, BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        let id = ObjectId::key(filename)?;
        let outcome = self
            .pexip
            .download(Api::Configuration, RESOURCE, &id)
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

    /// Restores a backup file (uploaded by the admin) encrypted with `passphrase`.
    pub async fn backup_restore(
        &self,
        actor: &Actor,
        filename: &str,
        package: Vec<u8>,
        passphrase: &str,
    ) -> Result<Value, BffError> {
        self.scope(actor, Operation::BackupsManage)?;
        if package.is_empty() {
            return Err(BffError::field("package", "the backup file is empty"));
        }
        let changes = json!({ "package": { "before": null, "after": filename }, "passphrase": { "before": null, "after": crate::audit::MASK } });
        let form = UploadForm::new()
            .file("package", filename, package)
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

fn backup_uri(filename: &str) -> String {
    format!("/api/admin/configuration/v1/{RESOURCE}/{filename}/")
}
