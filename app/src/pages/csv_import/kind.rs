//! What differs between the imports: the resource's words, file format, permission, where its
//! list and objects live, and the server functions that check the file and send one item.

use super::run::Outcome;
use crate::api::AppError;
use crate::api::devices::{create_device, update_device};
use crate::api::devices_bulk::preview_devices_import;
use crate::api::rooms::create_room;
use crate::api::rooms_bulk::preview_rooms_import;
use bff::bulk::columns::{self, Format};
use bff::bulk::{ImportAction, ImportItem, ImportPreview};

/// The resource an import page imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Rooms,
    Devices,
}

impl ImportKind {
    pub fn format(self) -> &'static Format {
        match self {
            ImportKind::Rooms => &columns::ROOMS,
            ImportKind::Devices => &columns::DEVICES,
        }
    }

    /// The page's title.
    pub fn title(self) -> &'static str {
        match self {
            ImportKind::Rooms => "Import meeting rooms",
            ImportKind::Devices => "Import device aliases",
        }
    }

    /// The list page and its name, for the breadcrumb.
    pub fn list(self) -> (&'static str, &'static str) {
        match self {
            ImportKind::Rooms => ("/rooms", "Meeting rooms"),
            ImportKind::Devices => ("/devices", "Device aliases"),
        }
    }

    /// The page of one imported object.
    pub fn object_href(self, id: u64) -> String {
        format!("{}/{id}", self.list().0)
    }

    /// The permission (as the signed-in user's `can` names it) the import needs.
    pub fn permission(self) -> &'static str {
        match self {
            ImportKind::Rooms => "room_create",
            ImportKind::Devices => "device_create",
        }
    }

    /// What people whose role lacks [`Self::permission`] are told.
    pub fn not_allowed(self) -> &'static str {
        match self {
            ImportKind::Rooms => "Your role does not allow creating rooms.",
            ImportKind::Devices => "Your role does not allow creating device aliases.",
        }
    }

    /// Whether items that already exist are changed (else they are errors).
    pub fn updates(self) -> bool {
        matches!(self, ImportKind::Devices)
    }

    /// `n` and the item word in singular or plural.
    pub fn count(self, n: usize) -> String {
        let (one, many) = match self {
            ImportKind::Rooms => ("room", "rooms"),
            ImportKind::Devices => ("device alias", "device aliases"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    /// The heading of the column that names an item.
    pub fn name_heading(self) -> &'static str {
        match self {
            ImportKind::Rooms => "Name",
            ImportKind::Devices => "Alias",
        }
    }

    /// The page's introduction.
    pub fn intro(self) -> &'static str {
        match self {
            ImportKind::Rooms => {
                "Create many rooms at once from a CSV file in Pexip Infinity's import format. Nothing is created until you have seen the check of every line."
            }
            ImportKind::Devices => {
                "Create or change many device aliases at once from a CSV file in Pexip Infinity's import format. Nothing is written until you have seen the check of every line."
            }
        }
    }

    /// How the file is laid out, after the list of columns.
    pub fn format_notes(self) -> &'static str {
        match self {
            ImportKind::Rooms => {
                "A room with several aliases takes one line per alias, its other cells repeated. Yes/no cells take true or false. Empty cells get the Management Node's defaults. A header may also name other room settings such as service_type or guest_view. An export from the rooms list can be imported again."
            }
            ImportKind::Devices => {
                "One device alias per line. An alias that already exists is changed to what the line says (empty cells leave its settings as they are); a new one is created (empty cells get the Management Node's defaults). Yes/no cells take true or false. A header may also name other device settings such as enable_sip. An export from the device aliases list can be imported again: its passwords are in the Management Node's encrypted form, which keeps the stored password."
            }
        }
    }

    /// The result of an item with errors.
    pub fn not_sent(self) -> &'static str {
        match self {
            ImportKind::Rooms => "not created",
            ImportKind::Devices => "not imported",
        }
    }

    /// The label of the button that starts sending `n` items.
    pub fn start_label(self, n: usize) -> String {
        match self {
            ImportKind::Rooms => format!("Create {}", self.count(n)),
            ImportKind::Devices => format!("Import {}", self.count(n)),
        }
    }

    /// The server's check of the file.
    pub async fn preview(self, csv: String) -> Result<ImportPreview, AppError> {
        match self {
            ImportKind::Rooms => preview_rooms_import(csv).await,
            ImportKind::Devices => preview_devices_import(csv).await,
        }
    }

    /// Sends one item of the preview: its creation or its change.
    pub async fn send(self, item: ImportItem) -> Outcome {
        let sent = match (self, item.action) {
            (ImportKind::Rooms, _) => create_room(item.fields).await.map(Outcome::Created),
            (ImportKind::Devices, ImportAction::Create) => {
                create_device(item.fields).await.map(Outcome::Created)
            }
            (ImportKind::Devices, ImportAction::Update { id }) => update_device(id, item.fields)
                .await
                .map(|()| Outcome::Updated(id)),
            (ImportKind::Devices, ImportAction::Unchanged { id }) => Ok(Outcome::Unchanged(id)),
        };
        sent.unwrap_or_else(|error| Outcome::Failed(error.to_string()))
    }
}
