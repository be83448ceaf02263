//! Fuzz targets for what the BFF reads from people: rooms CSV imports (the file, then the checks
//! against the node's schema and the importer's scope) and spreadsheet-safe cells.

use bff::bulk::columns::{defuse, restore};
use bff::bulk::table::read;
use bff::bulk::validate::{Checks, preview};
use bff::policy::Scope;
use fuzz::{run, text};
use proptest::prelude::*;
use simulator::Profile;
use simulator::catalogue::Catalogue;
use std::collections::{HashMap, HashSet};

const FILES: &[&str] = &[
    "name,description,pin,allow_guests,guest_pin,alias_alias,alias_description,tag,max_callrate_in,max_callrate_out,call_type,host_view,enable_overlay_text,ivr_theme_name,participant_limit,primary_owner_email_address\nBoard,Main room,1234,yes,5678#,board@acme.example,Dial me,acme,1024,2048,video,one_main_zero_pips,True,Acme theme,25,alice@acme.example\n",
    "\u{feff}name,alias_alias\r\n\"Quoted, name\",\"a\"\"b@acme.example\"\r\nBoard,board@acme.example\r\nBoard,second@acme.example\r\n",
    "Board,Main room,1234,yes,,board@acme.example,,acme,,,video,,,,,\n",
    "name,pin\n'=cmd,12\n\"unterminated\n",
    "name\n\n\n",
];

#[test]
fn fuzz_csv_imports() {
    let catalogues = [
        Catalogue::for_profile(Profile::V14),
        Catalogue::for_profile(Profile::V40),
    ];
    let themes = HashMap::from([(
        "Acme theme".to_string(),
        "/api/admin/configuration/v1/ivr_theme/3/".to_string(),
    )]);
    let names = HashSet::from(["Board".to_string()]);
    let aliases = HashSet::from(["taken@acme.example".to_string()]);
    let scopes = [
        Scope::All,
        Scope::Tenant {
            tag: "acme".into(),
            alias_domains: vec!["acme.example".into()],
        },
        Scope::Owner {
            email: "alice@acme.example".into(),
            editable_fields: vec!["pin".into()],
        },
    ];
    let inputs = (text::around(FILES), 0usize..2, 0usize..3);
    run("CSV import", inputs, |(file, catalogue, scope)| {
        let Ok(table) = read(file) else {
            return;
        };
        let catalogue = &catalogues[*catalogue];
        let checks = Checks {
            schema: &catalogue.get("conference").unwrap().schema,
            alias_schema: catalogue.get("conference_alias").map(|r| &r.schema),
            themes: &themes,
            existing_names: &names,
            existing_aliases: &aliases,
            scope: &scopes[*scope],
        };
        if let Ok(preview) = preview(&table, &checks) {
            let _ = preview.errors();
            // Whatever the file says, a tenant's rooms stay in the tenant.
            if let Scope::Tenant { tag, .. } = &scopes[*scope] {
                for room in preview.valid() {
                    assert_eq!(
                        room.fields.get("tag").and_then(|t| t.as_str()),
                        Some(tag.as_str()),
                        "{file:?}"
                    );
                }
            }
        }
    });
}

#[test]
fn fuzz_spreadsheet_cells_round_trip() {
    let cells = prop_oneof![
        any::<String>(),
        "['=+@\t\r-]{0,3}[a-z=']{0,4}".prop_map(String::from),
    ];
    run("spreadsheet cells", cells, |cell| {
        let exported = defuse(cell);
        assert!(
            !exported.starts_with(bff::bulk::columns::FORMULA_STARTS),
            "{exported:?}"
        );
        assert_eq!(restore(&exported), cell.as_str());
    });
}
