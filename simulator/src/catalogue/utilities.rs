//! Utilities: software upgrades and system backups.

use super::builder::ResourceBuilder;
use super::field::*;
use super::{IdKind, Resource, Section};

pub(super) fn resources() -> Vec<Resource> {
    vec![upgrade(), system_backup()]
}

fn upgrade() -> Resource {
    ResourceBuilder::new("upgrade", "Upgrade", Section::Utilities)
        .methods(&["get", "post"], &["get"])
        .field("package", file("The upgrade package (.tar) to install."))
        .field(
            "timestamp",
            datetime("The time at which the upgrade was started.").readonly(),
        )
        .order(&["timestamp"])
        .build()
}

/// Backups are created by the `backup_create` command, downloaded by GET of their URI and
/// removed with DELETE; they are named by their file name.
fn system_backup() -> Resource {
    ResourceBuilder::new("system_backup", "System backup", Section::Utilities)
        .id_kind(IdKind::Key("filename"))
        .methods(&["get"], &["get", "delete"])
        .field(
            "build",
            text("The software build that made the backup.").readonly(),
        )
        .field(
            "date",
            datetime("The time at which the backup was made.").readonly(),
        )
        .field(
            "filename",
            text("The file name of the backup.").readonly().unique(),
        )
        .field(
            "size",
            integer("The size of the backup file, in bytes.", 0).readonly(),
        )
        .field(
            "version",
            text("The software version that made the backup.").readonly(),
        )
        .filter(&["filename", "date", "version", "build"])
        .order(&["date", "filename", "size"])
        .build()
}
