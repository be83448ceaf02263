//! Bulk import and export of meeting rooms as CSV, in the column format of Pexip Infinity v14's
//! own bulk import/export of services (see [`columns`]).
//!
//! Import is two steps: the server reads and checks the whole file and answers an
//! [`ImportPreview`] (nothing is created), then the page creates the valid rooms one at a time
//! through the ordinary, policy-scoped and audited room creation. The preview types are shared
//! with the wasm UI; reading, checking and writing CSV happen on the server only.

pub mod columns;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod table;
#[cfg(feature = "ssr")]
pub mod validate;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The largest CSV text an import accepts (bytes of UTF-8): about 2,000 rooms of typical size.
pub const MAX_IMPORT_BYTES: usize = 384 * 1024;

/// The most rooms one import may hold.
pub const MAX_IMPORT_ROOMS: usize = 2000;

/// What an import would do: every room of the file with its checked fields or its errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The rooms in file order (lines of one room are merged, see [`ImportRoom::lines`]).
    pub rooms: Vec<ImportRoom>,
    /// Header columns that are neither import columns nor fields of the service schema; their
    /// cells are not imported.
    pub ignored_columns: Vec<String>,
    /// Whether the first line was a header row (otherwise the v14 column order applies).
    pub has_header: bool,
}

impl ImportPreview {
    /// The rooms that can be created.
    pub fn valid(&self) -> impl Iterator<Item = &ImportRoom> {
        self.rooms.iter().filter(|room| room.is_valid())
    }

    /// Every error of the file, in line order.
    pub fn errors(&self) -> Vec<&ImportError> {
        let mut errors: Vec<&ImportError> =
            self.rooms.iter().flat_map(|room| &room.errors).collect();
        errors.sort_by_key(|error| error.line);
        errors
    }
}

/// One room of an import: the CSV lines it comes from (several lines with the same name are one
/// room with several aliases, as in Pexip's own format), and either the fields to create it
/// with or why it cannot be created.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportRoom {
    /// 1-based line numbers in the file (a header row is line 1).
    pub lines: Vec<u64>,
    pub name: String,
    pub aliases: Vec<String>,
    /// The body for the room creation (service fields and nested `aliases`).
    pub fields: Map<String, Value>,
    pub errors: Vec<ImportError>,
}

impl ImportRoom {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The room's first line, which names it in messages.
    pub fn line(&self) -> u64 {
        self.lines.first().copied().unwrap_or_default()
    }
}

/// Why one line cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// 1-based line number in the file.
    pub line: u64,
    /// The column at fault, when it is one column.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}
