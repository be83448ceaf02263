//! Files sent to the Management Node (admins only, audited): a file onto a configuration
//! object's file field (an IVR theme's `package`: a multipart PATCH, as the node takes files
//! only once the object exists) and a certificate bundle to `platform/certificates_import`.
//! The file was received on disk by the server; it is streamed from there, never held whole.

use super::BffError;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::FieldType;
use pexip::client::{Api, ObjectId, UploadForm};
use pexip::query::Query;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

/// The certificate resources an import fills.
const TLS: &str = "tls_certificate";
const CA: &str = "ca_certificate";

/// A certificate the node holds after an import that it did not hold before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedCertificate {
    /// `tls_certificate` (a certificate with its private key) or `ca_certificate` (trusted).
    pub kind: String,
    pub resource_uri: String,
    pub subject_name: String,
    pub issuer_name: String,
    pub end_date: String,
}

impl Portal {
    /// Sends the file at `path` (named `filename`) as field `field` of object `id` of
    /// `resource`. The field must be a writable file field of the resource's schema.
    pub async fn config_file_upload(
        &self,
        actor: &Actor,
        resource: &str,
        id: &str,
        field: &str,
        filename: &str,
        path: &Path,
    ) -> Result<(), BffError> {
        let schema = self.platform_schema(actor, resource).await?;
        self.scope(actor, Operation::PlatformWrite)?;
        let is_file = schema
            .fields
            .get(field)
            .is_some_and(|f| f.field_type == FieldType::File && !f.readonly);
        if !is_file {
            return Err(BffError::field(
                "field",
                format!("`{field}` is not a file field of this resource"),
            ));
        }
        let key = ObjectId::key(id)?;
        // A missing object is a 404 before anything is sent.
        self.pexip.get(Api::Configuration, resource, &key).await?;
        let (file, length) = open_saved(path).await?;
        if length == 0 {
            return Err(BffError::field(field, "the file is empty"));
        }
        let changes =
            json!({ field: { "before": null, "after": format!("{filename} ({length} bytes)") } });
        let form = UploadForm::new().file_on_disk(field, filename, file, length);
        let outcome = self
            .pexip
            .patch_multipart(Api::Configuration, resource, &key, form)
            .await
            .map_err(BffError::from);
        let uri = super::config_uri(resource, key);
        self.audit(
            actor,
            "config.file_upload",
            Some(uri),
            changes,
            None,
            outcome,
        )
        .await
    }

    /// Imports the PEM certificates and keys of the file at `path` (`platform/certificates_import`
    /// with `bundle` and, for an encrypted key, `private_key_passphrase`); answers the
    /// certificates the node holds afterwards that it did not hold before.
    pub async fn certificates_import(
        &self,
        actor: &Actor,
        filename: &str,
        path: &Path,
        passphrase: &str,
    ) -> Result<Vec<ImportedCertificate>, BffError> {
        self.scope(actor, Operation::PlatformWrite)?;
        let (file, length) = open_saved(path).await?;
        if length == 0 {
            return Err(BffError::field("bundle", "the file is empty"));
        }
        let before = self.certificate_uris().await?;
        let mut form = UploadForm::new().file_on_disk("bundle", filename, file, length);
        let mut changes = json!({ "bundle": { "before": null, "after": format!("{filename} ({length} bytes)") } });
        if !passphrase.is_empty() {
            form = form.text("private_key_passphrase", passphrase);
            changes["private_key_passphrase"] =
                json!({ "before": null, "after": crate::audit::MASK });
        }
        let outcome = self
            .pexip
            .command_multipart("platform", "certificates_import", form)
            .await
            .map_err(BffError::from);
        self.audit(actor, "certificates.import", None, changes, None, outcome)
            .await?;
        let mut imported = Vec::new();
        for kind in [TLS, CA] {
            for object in self.all_objects(kind).await? {
                let uri = text(&object, "resource_uri");
                if before.contains(&uri) {
                    continue;
                }
                imported.push(ImportedCertificate {
                    kind: kind.to_string(),
                    resource_uri: uri,
                    subject_name: text(&object, "subject_name"),
                    issuer_name: text(&object, "issuer_name"),
                    end_date: text(&object, "end_date"),
                });
            }
        }
        Ok(imported)
    }

    /// The URIs of every TLS and CA certificate the node holds.
    async fn certificate_uris(&self) -> Result<BTreeSet<String>, BffError> {
        let mut uris = BTreeSet::new();
        for kind in [TLS, CA] {
            uris.extend(
                self.all_objects(kind)
                    .await?
                    .iter()
                    .map(|o| text(o, "resource_uri")),
            );
        }
        Ok(uris)
    }

    async fn all_objects(&self, resource: &str) -> Result<Vec<Value>, BffError> {
        let query = Query::new().limit(super::MAX_PAGE);
        let mut objects = Vec::new();
        let mut offset = 0;
        loop {
            let page = self
                .pexip
                .list(Api::Configuration, resource, &query.clone().offset(offset))
                .await?;
            let count = page.objects.len() as u64;
            objects.extend(page.objects);
            offset += count;
            if count == 0 || offset >= page.meta.total_count {
                return Ok(objects);
            }
        }
    }
}

fn text(object: &Value, field: &str) -> String {
    object
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The saved upload at `path`, open, and its length.
async fn open_saved(path: &Path) -> Result<(tokio::fs::File, u64), BffError> {
    let opened = async {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        Ok::<_, std::io::Error>((file, length))
    }
    .await;
    opened.map_err(|error| {
        tracing::error!(%error, path = %path.display(), "cannot read a saved upload");
        BffError::Internal("the uploaded file could not be read back".into())
    })
}
