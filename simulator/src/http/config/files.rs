//! File fields of the configuration API (an IVR theme's `package`), as a Management Node takes
//! them: only from a `multipart/form-data` PATCH (or PUT) of the object, whose file part names
//! the field. A POST ignores files (create first, then PATCH the file, as the guide's example
//! does); a JSON value cannot carry a file and is ignored too, except `null`, which clears the
//! field. The object reads back the file's name; the bytes are kept beside the store and listed
//! by `GET /_sim/files` (name, size, SHA-256) so tests can check what arrived.
//!
//! Contents are checked per field where the node is known to check them: a theme package must
//! be a ZIP archive [I].

use std::collections::BTreeMap;
use std::sync::Mutex;

use bytes::Bytes;
use pexip::FieldType;
use serde::Serialize;
use serde_json::Value;

use crate::catalogue::Resource;
use crate::http::body::{RequestBody, UploadedFile};
use crate::store::{Object, ObjectId};

/// A request's fields with the file parts naming file fields taken out.
pub struct Split {
    pub fields: Object,
    pub files: Vec<UploadedFile>,
}

/// Splits `body` for `resource`: file parts of file fields apart; file parts naming anything
/// else stay in the fields as their file names (so validation reports them); non-null JSON
/// values of file fields are dropped.
pub fn split(resource: &Resource, body: RequestBody) -> Result<Split, String> {
    let is_file = |name: &str| {
        resource
            .schema
            .field(name)
            .is_some_and(|f| f.field_type == FieldType::File && !f.readonly)
    };
    match body {
        RequestBody::Form { mut fields, files } => {
            let mut kept = Vec::new();
            for file in files {
                if is_file(&file.field) {
                    kept.push(file);
                } else {
                    fields.insert(file.field, Value::String(file.file_name));
                }
            }
            fields.retain(|name, value| !is_file(name) || value.is_null());
            Ok(Split {
                fields,
                files: kept,
            })
        }
        other => {
            let mut fields = other.into_object()?;
            fields.retain(|name, value| !is_file(name) || value.is_null());
            Ok(Split {
                fields,
                files: Vec::new(),
            })
        }
    }
}

/// Why the contents of `file` are not acceptable for its field of `resource`, if they are not.
pub fn check(resource: &str, file: &UploadedFile) -> Result<(), String> {
    if file.bytes.is_empty() {
        return Err("The submitted file is empty.".to_owned());
    }
    if (resource, file.field.as_str()) == ("ivr_theme", "package") && !is_zip(&file.bytes) {
        return Err("The theme package must be a ZIP file.".to_owned());
    }
    Ok(())
}

/// A ZIP archive starts with a local file header (or, empty, with the end of its directory).
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The name an uploaded file is stored under: its base name, without path separators.
pub fn stored_name(file: &UploadedFile) -> String {
    let base = file
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    if base.is_empty() {
        format!("{}.bin", file.field)
    } else {
        base.to_owned()
    }
}

/// One stored file, as `GET /_sim/files` lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileInfo {
    pub resource: String,
    pub id: String,
    pub field: String,
    pub file_name: String,
    pub size: usize,
    pub sha256: String,
}

/// Where a file belongs: (resource, object id, field).
type FileKey = (String, String, String);

/// The files of the configuration's file fields, by (resource, id, field): file name and bytes.
#[derive(Default)]
pub struct FileStore {
    files: Mutex<BTreeMap<FileKey, (String, Bytes)>>,
}

fn key(resource: &str, id: &ObjectId, field: &str) -> FileKey {
    (resource.to_owned(), id_text(id), field.to_owned())
}

fn id_text(id: &ObjectId) -> String {
    match id.to_json() {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

impl FileStore {
    /// Keeps `file` as the value of its field on object `id` of `resource`.
    pub fn put(&self, resource: &str, id: &ObjectId, file: &UploadedFile) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(
            key(resource, id, &file.field),
            (stored_name(file), file.bytes.clone()),
        );
    }

    /// Forgets the files of the fields `request` cleared (`null`) on object `id`.
    pub fn clear_nulls(&self, resource: &Resource, id: &ObjectId, request: &Object) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        for (name, value) in request {
            if value.is_null()
                && resource
                    .schema
                    .field(name)
                    .is_some_and(|f| f.field_type == FieldType::File)
            {
                files.remove(&key(resource.name, id, name));
            }
        }
    }

    /// Forgets every file of objects that no longer exist in `exists`.
    pub fn retain(&self, exists: impl Fn(&str, &ObjectId) -> bool) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.retain(|(resource, id, _), _| exists(resource, &ObjectId::parse(id)));
    }

    /// Every stored file.
    pub fn list(&self) -> Vec<FileInfo> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .iter()
            .map(|((resource, id, field), (file_name, bytes))| FileInfo {
                resource: resource.clone(),
                id: id.clone(),
                field: field.clone(),
                file_name: file_name.clone(),
                size: bytes.len(),
                sha256: hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref()),
            })
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::state::Profile;

    fn file(field: &str, name: &str, bytes: &'static [u8]) -> UploadedFile {
        UploadedFile {
            field: field.into(),
            file_name: name.into(),
            bytes: Bytes::from_static(bytes),
        }
    }

    #[test]
    fn file_parts_of_file_fields_are_split_off_and_json_values_dropped() {
        let catalogue = Catalogue::for_profile(Profile::V14);
        let theme = catalogue.get("ivr_theme").unwrap();
        let mut fields = serde_json::Map::new();
        fields.insert("name".into(), "Blue".into());
        let body = RequestBody::Form {
            fields,
            files: vec![
                file("package", "C:\\themes\\blue.zip", b"PK\x03\x04"),
                file("logo", "x.png", b"png"),
            ],
        };
        let split = split(theme, body).unwrap();
        assert_eq!(split.files.len(), 1);
        assert_eq!(stored_name(&split.files[0]), "blue.zip");
        assert_eq!(split.fields["name"], "Blue");
        assert_eq!(split.fields["logo"], "x.png");
        let json = RequestBody::Json(serde_json::json!({"name": "B", "package": "a.zip"}));
        let split_json = super::split(theme, json).unwrap();
        assert!(!split_json.fields.contains_key("package"));
        let cleared = RequestBody::Json(serde_json::json!({"package": null}));
        assert!(super::split(theme, cleared).unwrap().fields["package"].is_null());
    }

    #[test]
    fn a_theme_package_must_be_a_zip_file() {
        assert!(check("ivr_theme", &file("package", "t.zip", b"PK\x03\x04rest")).is_ok());
        assert_eq!(
            check("ivr_theme", &file("package", "t.zip", b"<html>")).unwrap_err(),
            "The theme package must be a ZIP file."
        );
        assert!(check("ivr_theme", &file("package", "t.zip", b"")).is_err());
    }
}
