//! Writing services ([`EXPORT_COLUMNS`], one line per alias) and device aliases
//! ([`DEVICE_EXPORT_COLUMNS`], one line each) as CSV in their import formats, so an export can be
//! imported again. Cells that a spreadsheet would run as a formula are defused.

use super::columns::{
    ALIAS, ALIAS_DESCRIPTION, DEVICE_EXPORT_COLUMNS, EXPORT_COLUMNS, IVR_THEME_NAME, defuse,
};
use serde_json::Value;
use std::collections::HashMap;

/// CSV text (header row, CRLF line ends) of `devices`, one line each.
pub fn write_devices(devices: &[Value]) -> String {
    let lines = devices.iter().map(|device| {
        DEVICE_EXPORT_COLUMNS
            .iter()
            .map(|column| text(device.get(*column)))
            .collect()
    });
    write_lines(&DEVICE_EXPORT_COLUMNS, lines)
}

/// CSV text (header row, CRLF line ends) of `rooms`; `theme_names` maps IVR theme URIs to names.
pub fn write(rooms: &[Value], theme_names: &HashMap<String, String>) -> String {
    let mut lines: Vec<Vec<String>> = Vec::new();
    for room in rooms {
        let aliases: Vec<(String, String)> = room
            .get("aliases")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|alias| (text(alias.get("alias")), text(alias.get("description"))))
                    .collect()
            })
            .unwrap_or_default();
        let aliases = if aliases.is_empty() {
            vec![(String::new(), String::new())]
        } else {
            aliases
        };
        for (alias, description) in aliases {
            let cells = EXPORT_COLUMNS.iter().map(|column| match *column {
                ALIAS => alias.clone(),
                ALIAS_DESCRIPTION => description.clone(),
                IVR_THEME_NAME => room
                    .get("ivr_theme")
                    .and_then(Value::as_str)
                    .and_then(|uri| theme_names.get(uri))
                    .cloned()
                    .unwrap_or_default(),
                field => text(room.get(field)),
            });
            lines.push(cells.collect());
        }
    }
    write_lines(&EXPORT_COLUMNS, lines)
}

/// CSV text of a header row of `columns` and `lines` of cells, every cell [`defuse`]d.
fn write_lines(columns: &[&str], lines: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    writer
        .write_record(columns)
        .expect("writing CSV into memory");
    for line in lines {
        let cells: Vec<String> = line.iter().map(|cell| defuse(cell)).collect();
        writer
            .write_record(&cells)
            .expect("writing CSV into memory");
    }
    let bytes = writer.into_inner().expect("flushing CSV into memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
}

/// A JSON value as a cell: `null` and absent are empty.
fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::columns::DEVICES;
    use crate::bulk::table::{read, read_as};
    use serde_json::json;

    #[test]
    fn one_line_per_device_in_the_device_columns() {
        let devices = [
            json!({"id": 4, "alias": "desk@acme.example", "tag": "acme", "description": "=1+1",
                   "username": "desk", "password": "$~!1AbC=", "primary_owner_email_address": null,
                   "enable_sip": true, "enable_h323": false, "enable_infinity_connect": true,
                   "sync_tag": "", "resource_uri": "/api/admin/configuration/v1/device/4/"}),
        ];
        let csv = write_devices(&devices);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], DEVICE_EXPORT_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "desk@acme.example,acme,'=1+1,desk,$~!1AbC=,,true,false,true"
        );
        assert_eq!(lines[2], "");
        let table = read_as(&csv, &DEVICES).unwrap();
        assert!(table.has_header);
        assert_eq!(table.cell(&table.lines[0], "description"), Some("=1+1"));
    }

    #[test]
    fn one_line_per_alias_and_defused_cells() {
        let rooms = [
            json!({
                "name": "Board", "description": "=HYPERLINK(\"x\")", "pin": "1234",
                "allow_guests": true, "guest_pin": "", "tag": "acme", "max_callrate_in": null,
                "max_callrate_out": 2048, "call_type": "video", "host_view": "one_main_seven_pips",
                "enable_overlay_text": false,
                "ivr_theme": "/api/admin/configuration/v1/ivr_theme/3/",
                "participant_limit": null, "primary_owner_email_address": "a@acme.example",
                "service_type": "conference", "guest_view": null,
                "aliases": [
                    {"alias": "board@acme.example", "description": "main"},
                    {"alias": "+4720000000", "description": ""}
                ]
            }),
            json!({"name": "Bare, no aliases", "service_type": "lecture", "aliases": []}),
        ];
        let themes = HashMap::from([(
            "/api/admin/configuration/v1/ivr_theme/3/".to_string(),
            "Acme theme".to_string(),
        )]);
        let csv = write(&rooms, &themes);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], EXPORT_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "Board,\"'=HYPERLINK(\"\"x\"\")\",1234,true,,board@acme.example,main,acme,,2048,video,one_main_seven_pips,false,Acme theme,,a@acme.example,conference,"
        );
        assert!(lines[2].contains(",'+4720000000,"), "{}", lines[2]);
        assert_eq!(lines[3], "\"Bare, no aliases\",,,,,,,,,,,,,,,,lecture,");
        assert_eq!(lines[4], "");

        // What was exported reads back as the same cells.
        let table = read(&csv).unwrap();
        assert!(table.has_header);
        assert_eq!(table.lines.len(), 3);
        assert_eq!(
            table.cell(&table.lines[0], "description"),
            Some("=HYPERLINK(\"x\")")
        );
        assert_eq!(
            table.cell(&table.lines[1], "alias_alias"),
            Some("+4720000000")
        );
        assert_eq!(table.cell(&table.lines[1], "name"), Some("Board"));
    }
}
