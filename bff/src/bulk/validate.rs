//! Checking the lines of an import against the service schema the Management Node serves, the
//! rooms that already exist and the importing person's policy scope, and turning them into the
//! bodies of the rooms to create. Pure: the caller fetches what is needed and passes it in.

use super::columns::{self, ALIAS, ALIAS_DESCRIPTION, IVR_THEME_NAME};
use super::table::{Line, Table};
use super::{ImportAction, ImportError, ImportItem, ImportPreview, MAX_IMPORT_ITEMS};
use crate::policy::{Denied, Scope};
use pexip::{Field, FieldType, Schema};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

/// Everything the checks compare the file with.
#[derive(Debug, Clone, Copy)]
pub struct Checks<'a> {
    /// The `conference` schema.
    pub schema: &'a Schema,
    /// The `conference_alias` schema (limits of `alias` and `description`), when served.
    pub alias_schema: Option<&'a Schema>,
    /// IVR themes: name → resource URI.
    pub themes: &'a HashMap<String, String>,
    /// Names of existing services (among those the file names).
    pub existing_names: &'a HashSet<String>,
    /// Existing aliases (among those the file names), lower case.
    pub existing_aliases: &'a HashSet<String>,
    /// The scope of the importing person for room creation.
    pub scope: &'a Scope,
}

/// How a column of the file is imported.
#[derive(Debug, Clone, PartialEq)]
enum Column<'a> {
    /// A service field of the same name.
    Field(&'a Field),
    Alias,
    AliasDescription,
    IvrThemeName,
    Ignored,
}

/// The names and aliases the file mentions, to look up among the existing services.
pub fn mentioned(table: &Table) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut aliases: Vec<String> = Vec::new();
    for line in &table.lines {
        if let Some(name) = table.cell(line, columns::NAME).filter(|n| !n.is_empty())
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_string());
        }
        if let Some(alias) = table.cell(line, ALIAS).filter(|a| !a.is_empty())
            && !aliases.iter().any(|a| a == alias)
        {
            aliases.push(alias.to_string());
        }
    }
    (names, aliases)
}

/// The preview of importing `table`: one [`ImportItem`] per service name, in file order.
pub fn preview(table: &Table, checks: &Checks) -> Result<ImportPreview, String> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .map(|name| classify(name, checks.schema))
        .collect();
    let ignored_columns = table
        .columns
        .iter()
        .zip(&columns)
        .filter(|(_, column)| **column == Column::Ignored)
        .map(|(name, _)| name.clone())
        .collect();

    let mut rooms: Vec<ImportItem> = Vec::new();
    // Service name → index in `rooms`; alias (lower case) → line that has it.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut alias_lines: HashMap<String, u64> = HashMap::new();
    for line in &table.lines {
        let parsed = parse_line(table, &columns, line, checks);
        let mut errors = parsed.errors;
        if let Some((alias, _)) = &parsed.alias {
            let key = alias.to_lowercase();
            if let Some(first) = alias_lines.get(&key) {
                errors.push(error(
                    line.number,
                    Some(ALIAS),
                    format!("the alias `{alias}` is already on line {first}"),
                ));
            } else {
                alias_lines.insert(key.clone(), line.number);
                if checks.existing_aliases.contains(&key) {
                    errors.push(error(
                        line.number,
                        Some(ALIAS),
                        format!("the alias `{alias}` already exists"),
                    ));
                }
            }
        }
        let existing_room = (!parsed.name.is_empty() && line.error.is_none())
            .then(|| by_name.get(&parsed.name).copied())
            .flatten();
        match existing_room {
            Some(index) => {
                let room = &mut rooms[index];
                if without_aliases(&room.fields) != parsed.fields {
                    errors.push(error(
                        line.number,
                        None,
                        format!(
                            "`{}` is already on line {} with other settings: the lines of one room may differ only in {ALIAS} and {ALIAS_DESCRIPTION}",
                            parsed.name,
                            room.line()
                        ),
                    ));
                }
                room.lines.push(line.number);
                add_alias(room, parsed.alias);
                room.errors.extend(errors);
            }
            None => {
                if !parsed.name.is_empty() && checks.existing_names.contains(&parsed.name) {
                    errors.push(error(
                        line.number,
                        Some(columns::NAME),
                        format!("a room named `{}` already exists", parsed.name),
                    ));
                }
                let mut room = ImportItem {
                    lines: vec![line.number],
                    name: parsed.name.clone(),
                    aliases: Vec::new(),
                    action: ImportAction::Create,
                    fields: parsed.fields,
                    errors,
                };
                add_alias(&mut room, parsed.alias);
                if !room.name.is_empty() && line.error.is_none() {
                    by_name.insert(room.name.clone(), rooms.len());
                }
                rooms.push(room);
            }
        }
    }
    if rooms.len() > MAX_IMPORT_ITEMS {
        return Err(format!(
            "the file holds {} rooms; an import takes at most {MAX_IMPORT_ITEMS} (split it into several files)",
            rooms.len()
        ));
    }
    Ok(ImportPreview {
        items: rooms,
        ignored_columns,
        has_header: table.has_header,
    })
}

/// What one line says: the service fields (without aliases), its alias and what is wrong.
struct Parsed {
    name: String,
    fields: Map<String, Value>,
    alias: Option<(String, String)>,
    errors: Vec<ImportError>,
}

fn parse_line(table: &Table, columns: &[Column], line: &Line, checks: &Checks) -> Parsed {
    let number = line.number;
    let name = table
        .cell(line, columns::NAME)
        .unwrap_or_default()
        .to_string();
    let mut parsed = Parsed {
        name,
        fields: Map::new(),
        alias: None,
        errors: Vec::new(),
    };
    if let Some(message) = &line.error {
        parsed.errors.push(error(number, None, message.clone()));
        return parsed;
    }
    let mut alias = String::new();
    let mut alias_description = String::new();
    for ((column, header), cell) in columns.iter().zip(&table.columns).zip(&line.cells) {
        match column {
            Column::Field(field) => match convert(field, cell) {
                Ok(Some(value)) => {
                    parsed.fields.insert(header.clone(), value);
                }
                Ok(None) => {}
                Err(message) => parsed
                    .errors
                    .push(error(number, Some(header.as_str()), message)),
            },
            Column::Alias => alias = cell.clone(),
            Column::AliasDescription => alias_description = cell.clone(),
            Column::IvrThemeName if !cell.is_empty() => match theme(checks.themes, cell) {
                Some(uri) => {
                    parsed.fields.insert("ivr_theme".into(), json!(uri));
                }
                None => parsed.errors.push(error(
                    number,
                    Some(IVR_THEME_NAME),
                    format!("there is no IVR theme named `{cell}`"),
                )),
            },
            Column::IvrThemeName | Column::Ignored => {}
        }
    }
    for required in checks.schema.required_fields() {
        if !parsed.fields.contains_key(required) {
            parsed
                .errors
                .push(error(number, Some(required), "required".into()));
        }
    }
    if alias.is_empty() {
        if !alias_description.is_empty() {
            parsed.errors.push(error(
                number,
                Some(ALIAS_DESCRIPTION),
                format!("a description without an alias (fill in {ALIAS})"),
            ));
        }
    } else {
        for (value, field, column) in [
            (&alias, "alias", ALIAS),
            (&alias_description, "description", ALIAS_DESCRIPTION),
        ] {
            if let Some(field) = checks.alias_schema.and_then(|s| s.field(field))
                && let Err(message) = field.limits().check_str(value)
            {
                parsed.errors.push(error(number, Some(column), message));
            }
        }
        parsed.alias = Some((alias, alias_description));
    }
    // The policy: a tenant's tag is forced (another tag is refused), aliases stay in its
    // domains. The same check runs again when the room is created.
    let mut body = parsed.fields.clone();
    if let Some((alias, _)) = &parsed.alias {
        body.insert("aliases".into(), json!([{ "alias": alias }]));
    }
    match checks.scope.prepare_room_create(&mut body) {
        Ok(()) => {
            body.remove("aliases");
            parsed.fields = body;
        }
        Err(Denied::Field { field, message }) => {
            let column = if field == "aliases" {
                ALIAS
            } else {
                field.as_str()
            };
            parsed.errors.push(error(number, Some(column), message));
        }
        Err(denied) => parsed.errors.push(error(number, None, denied.to_string())),
    }
    parsed
}

/// How the column `name` is imported, given the service schema.
fn classify<'a>(name: &str, schema: &'a Schema) -> Column<'a> {
    match name {
        ALIAS => Column::Alias,
        ALIAS_DESCRIPTION => Column::AliasDescription,
        IVR_THEME_NAME if schema.field("ivr_theme").is_some() => Column::IvrThemeName,
        _ => match schema.field(name) {
            Some(field) if is_importable(name, field) => Column::Field(field),
            _ => Column::Ignored,
        },
    }
}

/// Whether a field takes a plain value a client may set.
pub(super) fn is_importable(name: &str, field: &Field) -> bool {
    let server_owned = matches!(name, "id" | "resource_uri" | "creation_time");
    let plain = matches!(
        field.field_type,
        FieldType::String | FieldType::Integer | FieldType::Boolean | FieldType::Float
    );
    plain && !field.readonly && !server_owned
}

/// The value of a cell for `field`: `None` for an empty cell (the node's default applies).
pub(super) fn convert(field: &Field, cell: &str) -> Result<Option<Value>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let value = match field.field_type {
        FieldType::Boolean => match cell.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => json!(true),
            "false" | "no" | "0" => json!(false),
            _ => return Err(format!("`{cell}` is not a yes/no value (true or false)")),
        },
        FieldType::Integer => cell
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{cell}` is not a whole number"))?,
        FieldType::Float => cell
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .ok_or_else(|| format!("`{cell}` is not a number"))?,
        _ => json!(cell),
    };
    if let Some(choices) = field.valid_choices.as_ref().filter(|c| !c.is_empty())
        && !choices.contains(&value)
    {
        let allowed: Vec<String> = choices
            .iter()
            .map(|c| c.as_str().map_or_else(|| c.to_string(), String::from))
            .collect();
        return Err(format!("`{cell}` is not one of: {}", allowed.join(", ")));
    }
    field.limits().check(&value)?;
    Ok(Some(value))
}

/// The URI of the IVR theme named `name` (exactly, else ignoring case).
fn theme<'a>(themes: &'a HashMap<String, String>, name: &str) -> Option<&'a String> {
    themes.get(name).or_else(|| {
        themes
            .iter()
            .find(|(theme, _)| theme.eq_ignore_ascii_case(name))
            .map(|(_, uri)| uri)
    })
}

fn without_aliases(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut fields = fields.clone();
    fields.remove("aliases");
    fields
}

fn add_alias(room: &mut ImportItem, alias: Option<(String, String)>) {
    let Some((alias, description)) = alias else {
        return;
    };
    let mut entry = Map::new();
    entry.insert("alias".into(), json!(alias));
    if !description.is_empty() {
        entry.insert("description".into(), json!(description));
    }
    let list = room
        .fields
        .entry("aliases")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = list {
        list.push(Value::Object(entry));
    }
    room.aliases.push(alias);
}

pub(super) fn error(line: u64, column: Option<&str>, message: String) -> ImportError {
    ImportError {
        line,
        column: column.map(String::from),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::table::read;
    use simulator::Profile;
    use simulator::catalogue::Catalogue;

    struct World {
        catalogue: Catalogue,
        themes: HashMap<String, String>,
        names: HashSet<String>,
        aliases: HashSet<String>,
    }

    impl World {
        fn new(profile: Profile) -> World {
            World {
                catalogue: Catalogue::for_profile(profile),
                themes: HashMap::from([(
                    "Acme theme".to_string(),
                    "/api/admin/configuration/v1/ivr_theme/3/".to_string(),
                )]),
                names: HashSet::from(["Existing".to_string()]),
                aliases: HashSet::from(["taken@acme.example".to_string()]),
            }
        }

        fn preview(&self, text: &str, scope: &Scope) -> ImportPreview {
            let checks = Checks {
                schema: &self.catalogue.get("conference").unwrap().schema,
                alias_schema: Some(&self.catalogue.get("conference_alias").unwrap().schema),
                themes: &self.themes,
                existing_names: &self.names,
                existing_aliases: &self.aliases,
                scope,
            };
            preview(&read(text).unwrap(), &checks).unwrap()
        }
    }

    fn messages(preview: &ImportPreview) -> Vec<String> {
        preview.errors().iter().map(|e| e.to_string()).collect()
    }

    const HEADER: &str = "name,description,pin,allow_guests,guest_pin,alias_alias,alias_description,tag,max_callrate_in,max_callrate_out,call_type,host_view,enable_overlay_text,ivr_theme_name,participant_limit,primary_owner_email_address";

    #[test]
    fn a_v14_line_becomes_a_room_body() {
        let world = World::new(Profile::V14);
        let text = format!(
            "{HEADER}\nBoard,Main room,1234,yes,5678#,board@acme.example,Dial me,acme,1024,2048,video,one_main_zero_pips,True,Acme theme,25,alice@acme.example\n"
        );
        let preview = world.preview(&text, &Scope::All);
        assert_eq!(messages(&preview), Vec::<String>::new());
        assert!(preview.has_header);
        let room = &preview.items[0];
        assert_eq!(room.lines, [2]);
        assert_eq!(room.aliases, ["board@acme.example"]);
        assert_eq!(
            Value::Object(room.fields.clone()),
            json!({
                "name": "Board", "description": "Main room", "pin": "1234", "allow_guests": true,
                "guest_pin": "5678#", "tag": "acme", "max_callrate_in": 1024,
                "max_callrate_out": 2048, "call_type": "video", "host_view": "one_main_zero_pips",
                "enable_overlay_text": true,
                "ivr_theme": "/api/admin/configuration/v1/ivr_theme/3/",
                "participant_limit": 25, "primary_owner_email_address": "alice@acme.example",
                "aliases": [{"alias": "board@acme.example", "description": "Dial me"}]
            })
        );
    }

    #[test]
    fn bad_cells_are_reported_at_their_line_and_column() {
        let world = World::new(Profile::V14);
        let text = "name,pin,allow_guests,max_callrate_in,call_type,host_view,ivr_theme_name,description\n\
            Good,1234,false,,audio,,,\n\
            Pin,12ab,,,,,,\n\
            Flag,,maybe,,,,,\n\
            Rate,,,64,,,,\n\
            Type,,,,fax,,,\n\
            Theme,,,,,,Nope,\n\
            ,,,,,,,no name\n\
            Long,,,,,,,";
        let long = "x".repeat(251);
        let preview = world.preview(&format!("{text}{long}\n"), &Scope::All);
        assert_eq!(preview.items.len(), 8);
        assert_eq!(preview.valid().count(), 1);
        assert_eq!(
            messages(&preview),
            [
                "line 3, pin: Enter digits only, optionally followed by #.",
                "line 4, allow_guests: `maybe` is not a yes/no value (true or false)",
                "line 5, max_callrate_in: Ensure this value is greater than or equal to 128.",
                "line 6, call_type: `fax` is not one of: video, video-only, audio",
                "line 7, ivr_theme_name: there is no IVR theme named `Nope`",
                "line 8, name: required",
                "line 9, description: Ensure this value has at most 250 characters (it has 251).",
            ]
        );
    }

    #[test]
    fn lines_of_one_name_are_one_room_with_several_aliases() {
        let world = World::new(Profile::V14);
        let text = "name,pin,alias_alias,alias_description\n\
            Board,1234,board@acme.example,first\n\
            Board,1234,sip:board@acme.example,\n\
            Board,9999,third@acme.example,\n";
        let preview = world.preview(text, &Scope::All);
        assert_eq!(preview.items.len(), 1);
        let room = &preview.items[0];
        assert_eq!(room.lines, [2, 3, 4]);
        assert_eq!(
            room.aliases,
            [
                "board@acme.example",
                "sip:board@acme.example",
                "third@acme.example"
            ]
        );
        assert_eq!(
            messages(&preview),
            [
                "line 4: `Board` is already on line 2 with other settings: the lines of one room may differ only in alias_alias and alias_description"
            ]
        );
    }

    #[test]
    fn duplicates_in_the_file_and_on_the_node() {
        let world = World::new(Profile::V14);
        let text = "name,alias_alias\n\
            One,one@acme.example\n\
            Two,ONE@acme.example\n\
            Existing,new@acme.example\n\
            Three,taken@ACME.example\n";
        let preview = world.preview(text, &Scope::All);
        assert_eq!(
            messages(&preview),
            [
                "line 3, alias_alias: the alias `ONE@acme.example` is already on line 2",
                "line 4, name: a room named `Existing` already exists",
                "line 5, alias_alias: the alias `taken@ACME.example` already exists",
            ]
        );
        assert_eq!(
            preview.valid().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["One"]
        );
    }

    #[test]
    fn a_tenant_admin_gets_the_tenant_tag_and_domains_checked() {
        let world = World::new(Profile::V14);
        let scope = Scope::Tenant {
            tag: "acme".into(),
            alias_domains: vec!["acme.example".into()],
        };
        let text = "name,tag,alias_alias\n\
            Untagged,,a@acme.example\n\
            Own,acme,b@video.acme.example\n\
            Foreign,globex,c@acme.example\n\
            Outside,,d@globex.example\n";
        let preview = world.preview(text, &scope);
        assert_eq!(
            messages(&preview),
            [
                "line 4, tag: services of your tenant must keep the tag `acme`",
                "line 5, alias_alias: `d@globex.example`: aliases must end in @acme.example",
            ]
        );
        for room in preview.valid() {
            assert_eq!(room.fields["tag"], "acme", "{}", room.name);
        }
        assert_eq!(preview.valid().count(), 2);
    }

    #[test]
    fn unknown_columns_are_ignored_and_listed() {
        let world = World::new(Profile::V14);
        let text = "name,colour,id,service_type,aliases\nAud,blue,7,lecture,x\n";
        let preview = world.preview(text, &Scope::All);
        assert_eq!(preview.ignored_columns, ["colour", "id", "aliases"]);
        assert_eq!(
            Value::Object(preview.items[0].fields.clone()),
            json!({"name": "Aud", "service_type": "lecture"})
        );
    }

    #[test]
    fn the_v40_schema_accepts_its_new_fields_and_choices() {
        let world = World::new(Profile::V40);
        let text = "name,direct_media,service_type\nNew,best_effort,media_playback\n";
        let preview = world.preview(text, &Scope::All);
        assert_eq!(messages(&preview), Vec::<String>::new());
        assert_eq!(preview.items[0].fields["direct_media"], "best_effort");
        let v14 = World::new(Profile::V14).preview(text, &Scope::All);
        assert_eq!(v14.ignored_columns, ["direct_media"]);
        assert_eq!(
            messages(&v14),
            [
                "line 2, service_type: `media_playback` is not one of: conference, lecture, two_stage_dialing, test_call"
            ]
        );
    }

    #[test]
    fn a_line_with_the_wrong_cell_count_is_its_own_error() {
        let world = World::new(Profile::V14);
        let preview = world.preview("name,pin\nA,1234\nB,1234,extra\n", &Scope::All);
        assert_eq!(
            messages(&preview),
            ["line 3: the line has 3 cells, expected 2 (as many as the header)"]
        );
        assert_eq!(preview.items.len(), 2);
    }
}
