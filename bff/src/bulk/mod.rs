//! Bulk import and export as CSV of meeting rooms and of device aliases, in the column formats of
//! Pexip Infinity v14's own bulk import/export of services and of device aliases (see
//! [`columns`]).
//!
//! Import is two steps: the server reads and checks the whole file and answers an
//! [`ImportPreview`] (nothing is written), then the page sends the valid items one at a time
//! through the ordinary, policy-scoped and audited creation (or, for a device alias that already
//! exists, change). The preview types are shared with the wasm UI; reading, checking and writing
//! CSV happen on the server only.

pub mod columns;
#[cfg(feature = "ssr")]
pub mod devices;
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

/// The most items (rooms, device aliases) one import may hold.
pub const MAX_IMPORT_ITEMS: usize = 2000;

/// What an import would do: every item of the file with its checked fields or its errors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The items in file order (lines of one room are merged, see [`ImportItem::lines`]).
    pub items: Vec<ImportItem>,
    /// Header columns that are neither import columns nor fields of the resource's schema;
    /// their cells are not imported.
    pub ignored_columns: Vec<String>,
    /// Whether the first line was a header row (otherwise the v14 column order applies).
    pub has_header: bool,
}

impl ImportPreview {
    /// The items without errors (including those that would change nothing).
    pub fn valid(&self) -> impl Iterator<Item = &ImportItem> {
        self.items.iter().filter(|item| item.is_valid())
    }

    /// The items that the import sends: valid, and creating or changing something.
    pub fn to_send(&self) -> impl Iterator<Item = &ImportItem> {
        self.items.iter().filter(|item| item.is_to_send())
    }

    /// How many valid items take `action` (compared without the ids).
    pub fn count(&self, action: fn(&ImportAction) -> bool) -> usize {
        self.valid().filter(|item| action(&item.action)).count()
    }

    /// Every error of the file, in line order.
    pub fn errors(&self) -> Vec<&ImportError> {
        let mut errors: Vec<&ImportError> =
            self.items.iter().flat_map(|item| &item.errors).collect();
        errors.sort_by_key(|error| error.line);
        errors
    }
}

/// What an import does with one item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportAction {
    /// Creates it from [`ImportItem::fields`].
    #[default]
    Create,
    /// Changes the existing object `id`: [`ImportItem::fields`] holds the changed fields only.
    Update { id: u64 },
    /// The existing object `id` already holds what the file says: nothing is sent.
    Unchanged { id: u64 },
}

impl ImportAction {
    pub fn is_create(&self) -> bool {
        matches!(self, ImportAction::Create)
    }

    pub fn is_update(&self) -> bool {
        matches!(self, ImportAction::Update { .. })
    }

    pub fn is_unchanged(&self) -> bool {
        matches!(self, ImportAction::Unchanged { .. })
    }
}

/// One item of an import (a room, a device alias): the CSV lines it comes from (several lines
/// with the same name are one room with several aliases, as in Pexip's own format; a device
/// alias is one line), what the import does with it, and either the fields to send or why it
/// cannot be imported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportItem {
    /// 1-based line numbers in the file (a header row is line 1).
    pub lines: Vec<u64>,
    /// What names the item: a room's name, a device's alias.
    pub name: String,
    /// A room's aliases (empty for a device alias, whose alias is its name).
    pub aliases: Vec<String>,
    pub action: ImportAction,
    /// The body to send: for a room creation the service fields and nested `aliases`; for a
    /// device its fields, or for an update only the fields that change.
    pub fields: Map<String, Value>,
    pub errors: Vec<ImportError>,
}

impl ImportItem {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether the import sends this item (valid, and not already as the file says).
    pub fn is_to_send(&self) -> bool {
        self.is_valid() && !self.action.is_unchanged()
    }

    /// The item's first line, which names it in messages.
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
