//! A multipart form for uploads (a backup restore's `package` and `passphrase`). A file is given
//! as bytes or as an open file on disk; a file on disk is streamed to the node in chunks, never
//! read whole into memory.

use std::fmt;

use tokio_util::io::ReaderStream;

/// How much of a file on disk is read at a time while it is sent.
const CHUNK_BYTES: usize = 64 * 1024;

/// Text fields and files sent as `multipart/form-data`. `Debug` shows field names only: the
/// values may be secrets (a backup passphrase).
#[derive(Default)]
pub struct UploadForm {
    pub(crate) texts: Vec<(String, String)>,
    pub(crate) files: Vec<FilePart>,
}

/// One file field.
pub(crate) struct FilePart {
    name: String,
    file_name: String,
    contents: Contents,
}

enum Contents {
    Bytes(Vec<u8>),
    /// An open file and its length in bytes.
    OnDisk(tokio::fs::File, u64),
}

impl Contents {
    fn len(&self) -> u64 {
        match self {
            Contents::Bytes(bytes) => bytes.len() as u64,
            Contents::OnDisk(_, length) => *length,
        }
    }
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
        self.files.push(FilePart {
            name: name.into(),
            file_name: file_name.into(),
            contents: Contents::Bytes(bytes),
        });
        self
    }

    /// Adds the file field `name`, sent as `file_name`: the whole of `file`, `length` bytes
    /// long, read while the request is sent.
    pub fn file_on_disk(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        file: tokio::fs::File,
        length: u64,
    ) -> Self {
        self.files.push(FilePart {
            name: name.into(),
            file_name: file_name.into(),
            contents: Contents::OnDisk(file, length),
        });
        self
    }

    /// The size of the form's files together, in bytes.
    pub(crate) fn file_bytes(&self) -> u64 {
        self.files.iter().map(|part| part.contents.len()).sum()
    }

    pub(crate) fn into_reqwest(self) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in self.texts {
            form = form.text(name, value);
        }
        for part in self.files {
            let body = match part.contents {
                Contents::Bytes(bytes) => reqwest::multipart::Part::bytes(bytes),
                // With the length known, the whole form has a Content-Length (no chunked
                // encoding) and the node can refuse an oversized file before reading it.
                Contents::OnDisk(file, length) => reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::wrap_stream(ReaderStream::with_capacity(file, CHUNK_BYTES)),
                    length,
                ),
            };
            form = form.part(part.name, body.file_name(part.file_name));
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
                    .map(|part| {
                        format!(
                            "{}: {} ({} bytes)",
                            part.name,
                            part.file_name,
                            part.contents.len()
                        )
                    })
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}
