//! A multipart form for uploads (a backup restore's `package` and `passphrase`).

use std::fmt;

/// Text fields and files sent as `multipart/form-data`. `Debug` shows field names only: the
/// values may be secrets (a backup passphrase).
#[derive(Clone, Default)]
pub struct UploadForm {
    pub(crate) texts: Vec<(String, String)>,
    pub(crate) files: Vec<(String, String, Vec<u8>)>,
}

impl UploadForm {
    /// An empty form.
    pub fn new() -> Self {
        UploadForm::default()
    }

    /// Adds the text field `name`.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.texts.push((name.into(), value.into()));
        self
    }

    /// Adds the file field `name`, sent as `file_name`.
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Self {
        self.files.push((name.into(), file_name.into(), bytes));
        self
    }

    pub(crate) fn into_reqwest(self) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in self.texts {
            form = form.text(name, value);
        }
        for (name, file_name, bytes) in self.files {
            form = form.part(
                name,
                reqwest::multipart::Part::bytes(bytes).file_name(file_name),
            );
        }
        form
    }
}

impl fmt::Debug for UploadForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadForm")
            .field(
                "texts",
                &self.texts.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "files",
                &self
                    .files
                    .iter()
                    .map(|(n, file, bytes)| format!("{n}: {file} ({} bytes)", bytes.len()))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}
