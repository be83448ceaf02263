//! The columns of the CSV files: rooms and device aliases.
//!
//! Pexip Infinity v14 imports Virtual Meeting Rooms from CSV lines of
//! `name,description,pin,allow_guests,guest_pin,alias_alias,alias_description,tag,
//! max_callrate_in,max_callrate_out,call_type,host_view,enable_overlay_text,ivr_theme_name,
//! participant_limit,primary_owner_email_address` — in that order, or in any order when the
//! file starts with a header row naming them. A service with several aliases takes one line per
//! alias, the other cells repeated. Every column except the alias and theme columns is the
//! `conference` field of the same name; a header may also name other writable fields of the
//! service schema (`service_type`, `guest_view`...), which the export adds so that Virtual
//! Auditoriums and Receptions come back as what they were.
//!
//! Device aliases are imported from lines of `alias,tag,description,username,password,
//! primary_owner_email_address` (v14's device alias import), or in any order under a header row;
//! every column is the `device` field of the same name and a header may name other writable
//! device fields (`enable_sip`...), which the export adds. A password reads back from the node
//! in its encrypted form (`$~!1...`); the export writes that form, and importing it again
//! leaves the stored password as it is.

/// What tells the files of one resource apart: their columns and the words for their items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The items, for messages ("rooms", "device aliases").
    pub noun: &'static str,
    /// The column every line must fill, which also marks a header row.
    pub key: &'static str,
    /// The columns in their order when the file has no header row.
    pub v14: &'static [&'static str],
    /// The columns an export writes.
    pub export: &'static [&'static str],
}

/// Meeting rooms (services).
pub const ROOMS: Format = Format {
    noun: "rooms",
    key: NAME,
    v14: &V14_COLUMNS,
    export: &EXPORT_COLUMNS,
};

/// Device aliases.
pub const DEVICES: Format = Format {
    noun: "device aliases",
    key: DEVICE_ALIAS,
    v14: &DEVICE_V14_COLUMNS,
    export: &DEVICE_EXPORT_COLUMNS,
};

/// The column of a device's alias.
pub const DEVICE_ALIAS: &str = "alias";

/// The columns of Pexip v14's device alias import, in their order.
pub const DEVICE_V14_COLUMNS: [&str; 6] = [
    DEVICE_ALIAS,
    "tag",
    "description",
    "username",
    "password",
    "primary_owner_email_address",
];

/// The columns a device export writes: the v14 columns, then the protocols it may register with.
pub const DEVICE_EXPORT_COLUMNS: [&str; 9] = [
    DEVICE_ALIAS,
    "tag",
    "description",
    "username",
    "password",
    "primary_owner_email_address",
    "enable_sip",
    "enable_h323",
    "enable_infinity_connect",
];

/// The columns of Pexip v14's Virtual Meeting Room import, in their order.
pub const V14_COLUMNS: [&str; 16] = [
    "name",
    "description",
    "pin",
    "allow_guests",
    "guest_pin",
    ALIAS,
    ALIAS_DESCRIPTION,
    "tag",
    "max_callrate_in",
    "max_callrate_out",
    "call_type",
    "host_view",
    "enable_overlay_text",
    IVR_THEME_NAME,
    "participant_limit",
    "primary_owner_email_address",
];

/// The columns an export writes: the v14 columns, then what tells the service types apart.
pub const EXPORT_COLUMNS: [&str; 18] = [
    "name",
    "description",
    "pin",
    "allow_guests",
    "guest_pin",
    ALIAS,
    ALIAS_DESCRIPTION,
    "tag",
    "max_callrate_in",
    "max_callrate_out",
    "call_type",
    "host_view",
    "enable_overlay_text",
    IVR_THEME_NAME,
    "participant_limit",
    "primary_owner_email_address",
    "service_type",
    "guest_view",
];

/// One alias of the service (one per line).
pub const ALIAS: &str = "alias_alias";
/// The description of that alias.
pub const ALIAS_DESCRIPTION: &str = "alias_description";
/// The IVR theme, by name (the `ivr_theme` field holds its URI).
pub const IVR_THEME_NAME: &str = "ivr_theme_name";
/// The column every file must have.
pub const NAME: &str = "name";

/// The first characters that make a spreadsheet read a cell as a formula. Exported cells that
/// start with one get a leading `'`, which the import removes again.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell would lose its first character on import: it starts with a formula character,
/// or it is a `'` followed by one (or by another `'`), which [`restore`] would strip.
fn needs_quote(value: &str) -> bool {
    value.starts_with(FORMULA_STARTS)
        || value
            .strip_prefix('\'')
            .is_some_and(|rest| rest.starts_with(FORMULA_STARTS) || rest.starts_with('\''))
}

/// `value` made safe to open in a spreadsheet (a leading `'` before a formula character), such
/// that [`restore`] gives `value` back whatever it holds.
pub fn defuse(value: &str) -> String {
    if needs_quote(value) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// The original of a [`defuse`]d cell (other cells are returned unchanged).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_columns_start_with_the_v14_columns() {
        assert_eq!(&EXPORT_COLUMNS[..V14_COLUMNS.len()], &V14_COLUMNS);
        assert_eq!(V14_COLUMNS[0], NAME);
        for format in [ROOMS, DEVICES] {
            assert_eq!(&format.export[..format.v14.len()], format.v14);
            assert!(format.v14.contains(&format.key));
        }
    }

    #[test]
    fn formula_cells_are_defused_and_restored() {
        for value in ["=1+2", "+31 20 123", "-x", "@SUM(A1)", "\tx", "\rx"] {
            let safe = defuse(value);
            assert!(safe.starts_with('\''), "{value:?}");
            assert_eq!(restore(&safe), value);
        }
        for value in ["plain", "", "'quoted", "1234", "a=b"] {
            assert_eq!(defuse(value), value);
            assert_eq!(restore(value), value);
        }
        // Found by fuzzing: values that themselves start with `'` and a formula character.
        for value in ["'=1", "'-+='xw", "''x", "'''"] {
            assert_eq!(restore(&defuse(value)), value, "{value:?}");
        }
    }
}
