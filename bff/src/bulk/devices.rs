//! Checking the lines of a device aliases import against the `device` schema the Management Node
//! serves, the device aliases that already exist and the importing person's policy scope. One
//! line is one device alias, keyed by its alias: a new alias is created, an existing one (in the
//! importer's scope) gets the fields that differ, and one that already holds what the line says
//! is left alone. Empty cells set nothing (the node's default on creation, the current value on
//! a change). Pure: the caller fetches what is needed and passes it in.

use super::columns::DEVICE_ALIAS;
use super::table::{Line, Table};
use super::validate::{convert, error, is_importable};
use super::{ImportAction, ImportError, ImportItem, ImportPreview, MAX_IMPORT_ITEMS};
use crate::policy::{Denied, Scope};
use pexip::{Field, Schema};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The start of a secret in the encrypted form in which the node reads it back.
pub const ENCRYPTED_SECRET: &str = "$~!1";

/// Everything the checks compare the file with.
#[derive(Debug, Clone, Copy)]
pub struct DeviceChecks<'a> {
    /// The `device` schema.
    pub schema: &'a Schema,
    /// Existing device aliases among those the file names: lower-case alias → the device.
    pub existing: &'a HashMap<String, Value>,
    /// The importer's scope for creating device aliases.
    pub create: &'a Scope,
    /// The importer's scope for changing them (`None`: their role may not).
    pub update: Option<&'a Scope>,
}

/// The aliases the file names, to look up among the existing device aliases.
pub fn mentioned(table: &Table) -> Vec<String> {
    let mut aliases: Vec<String> = Vec::new();
    for line in &table.lines {
        if let Some(alias) = table.cell(line, DEVICE_ALIAS).filter(|a| !a.is_empty())
            && !aliases.iter().any(|a| a == alias)
        {
            aliases.push(alias.to_string());
        }
    }
    aliases
}

/// The preview of importing `table`: one [`ImportItem`] per line, in file order.
pub fn preview(table: &Table, checks: &DeviceChecks) -> Result<ImportPreview, String> {
    let fields: Vec<Option<&Field>> = table
        .columns
        .iter()
        .map(|name| {
            checks
                .schema
                .field(name)
                .filter(|field| is_importable(name, field))
        })
        .collect();
    let ignored_columns = table
        .columns
        .iter()
        .zip(&fields)
        .filter(|(_, field)| field.is_none())
        .map(|(name, _)| name.clone())
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut items = Vec::with_capacity(table.lines.len());
    for line in &table.lines {
        let mut item = parse_line(table, &fields, line, checks);
        let key = item.name.to_lowercase();
        if !key.is_empty() && line.error.is_none() {
            if let Some(first) = seen.get(&key) {
                item.errors.push(error(
                    line.number,
                    Some(DEVICE_ALIAS),
                    format!("the alias `{}` is already on line {first}", item.name),
                ));
            } else {
                seen.insert(key, line.number);
            }
        }
        items.push(item);
    }
    if items.len() > MAX_IMPORT_ITEMS {
        return Err(format!(
            "the file holds {} device aliases; an import takes at most {MAX_IMPORT_ITEMS} (split it into several files)",
            items.len()
        ));
    }
    Ok(ImportPreview {
        items,
        ignored_columns,
        has_header: table.has_header,
    })
}

fn parse_line(
    table: &Table,
    fields: &[Option<&Field>],
    line: &Line,
    checks: &DeviceChecks,
) -> ImportItem {
    let number = line.number;
    let alias = table
        .cell(line, DEVICE_ALIAS)
        .unwrap_or_default()
        .to_string();
    let mut item = ImportItem {
        lines: vec![number],
        name: alias.clone(),
        ..ImportItem::default()
    };
    if let Some(message) = &line.error {
        item.errors.push(error(number, None, message.clone()));
        return item;
    }
    let mut values = Map::new();
    for ((field, header), cell) in fields.iter().zip(&table.columns).zip(&line.cells) {
        let Some(field) = field else { continue };
        match convert(field, cell) {
            Ok(Some(value)) => {
                values.insert(header.clone(), value);
            }
            Ok(None) => {}
            Err(message) => item.errors.push(error(number, Some(header), message)),
        }
    }
    match checks.existing.get(&alias.to_lowercase()) {
        None => {
            for required in checks.schema.required_fields() {
                if !values.contains_key(required) {
                    item.errors
                        .push(error(number, Some(required), "required".into()));
                }
            }
            if let Some(password) = values.get("password").and_then(Value::as_str)
                && password.starts_with(ENCRYPTED_SECRET)
            {
                item.errors.push(error(
                    number,
                    Some("password"),
                    "an encrypted password (from an export) can only be kept for an alias that exists; enter the password itself or leave the cell empty".into(),
                ));
            }
            // The policy: a tenant's tag is forced (another tag is refused), the alias stays in
            // its domains. The same check runs again when the device is created.
            if let Err(denied) = checks.create.prepare_device_create(&mut values) {
                item.errors.push(refusal(number, denied));
            }
            item.action = ImportAction::Create;
            item.fields = values;
        }
        // Another tenant's device alias exists for this importer only as a taken alias.
        Some(device) if !checks.create.contains_device(device) => {
            item.errors.push(error(
                number,
                Some(DEVICE_ALIAS),
                format!("the alias `{alias}` already exists"),
            ));
        }
        Some(device) => {
            let id = device.get("id").and_then(Value::as_u64).unwrap_or_default();
            let changes: Map<String, Value> = values
                .into_iter()
                .filter(|(name, value)| !unchanged(device.get(name), value))
                .collect();
            if changes.is_empty() {
                item.action = ImportAction::Unchanged { id };
                return item;
            }
            match checks.update {
                None => item.errors.push(error(
                    number,
                    Some(DEVICE_ALIAS),
                    format!(
                        "the alias `{alias}` already exists and your role does not allow changing device aliases"
                    ),
                )),
                // The same check runs again when the device is changed.
                Some(scope) => {
                    if let Err(denied) = scope.check_device_update(&changes) {
                        item.errors.push(refusal(number, denied));
                    }
                }
            }
            item.action = ImportAction::Update { id };
            item.fields = changes;
        }
    }
    item
}

/// Whether the file's `value` is what the device already holds. A secret in its encrypted
/// form is the stored one (the node keeps it when it is sent back).
fn unchanged(current: Option<&Value>, value: &Value) -> bool {
    if value
        .as_str()
        .is_some_and(|v| v.starts_with(ENCRYPTED_SECRET))
    {
        return true;
    }
    current == Some(value)
}

/// A policy refusal as the error of its column.
fn refusal(line: u64, denied: Denied) -> ImportError {
    match denied {
        Denied::Field { field, message } => error(line, Some(&field), message),
        denied => error(line, None, denied.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::columns::DEVICES;
    use crate::bulk::table::read_as;
    use serde_json::json;
    use simulator::Profile;
    use simulator::catalogue::Catalogue;

    fn tenant() -> Scope {
        Scope::Tenant {
            tag: "acme".into(),
            alias_domains: vec!["acme.example".into()],
        }
    }

    fn preview_of(text: &str, scope: &Scope, update: bool) -> ImportPreview {
        let catalogue = Catalogue::for_profile(Profile::V14);
        let existing = HashMap::from([
            (
                "desk@acme.example".to_string(),
                json!({"id": 7, "alias": "desk@acme.example", "tag": "acme",
                       "description": "Desk", "username": "desk", "password": "$~!1xyz",
                       "enable_sip": true}),
            ),
            (
                "lobby@globex.example".to_string(),
                json!({"id": 8, "alias": "lobby@globex.example", "tag": "globex"}),
            ),
        ]);
        let checks = DeviceChecks {
            schema: &catalogue.get("device").unwrap().schema,
            existing: &existing,
            create: scope,
            update: update.then_some(scope),
        };
        preview(&read_as(text, &DEVICES).unwrap(), &checks).unwrap()
    }

    fn messages(preview: &ImportPreview) -> Vec<String> {
        preview.errors().iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn v14_lines_create_update_or_leave_alone() {
        let text = "new@acme.example,acme,New desk,new,secret,it@acme.example\n\
            desk@acme.example,acme,Front desk,desk,$~!1xyz,\n\
            DESK@acme.example,,,,,\n";
        let preview = preview_of(text, &Scope::All, true);
        assert_eq!(
            messages(&preview),
            ["line 3, alias: the alias `DESK@acme.example` is already on line 2"]
        );
        let [new, desk, _] = &preview.items[..] else {
            panic!("three items")
        };
        assert_eq!(new.action, ImportAction::Create);
        assert_eq!(
            Value::Object(new.fields.clone()),
            json!({"alias": "new@acme.example", "tag": "acme", "description": "New desk",
                   "username": "new", "password": "secret",
                   "primary_owner_email_address": "it@acme.example"})
        );
        // Only the description changed; the encrypted password is the stored one.
        assert_eq!(desk.action, ImportAction::Update { id: 7 });
        assert_eq!(
            Value::Object(desk.fields.clone()),
            json!({"description": "Front desk"})
        );
        let same = preview_of(
            "alias,description,enable_sip\ndesk@acme.example,Desk,yes\n",
            &Scope::All,
            true,
        );
        assert_eq!(same.items[0].action, ImportAction::Unchanged { id: 7 });
        assert!(same.items[0].is_valid() && !same.items[0].is_to_send());
    }

    #[test]
    fn bad_cells_and_missing_aliases_are_errors_of_their_line() {
        let text = "alias,enable_h323,description,colour\n\
            ,true,,red\n\
            a@acme.example,perhaps,,\n\
            b@acme.example,,$~!1abc,\n";
        let long = format!("c@acme.example,,{},\n", "x".repeat(251));
        let preview = preview_of(&format!("{text}{long}"), &Scope::All, true);
        assert_eq!(preview.ignored_columns, ["colour"]);
        assert_eq!(
            messages(&preview),
            [
                "line 2, alias: required",
                "line 3, enable_h323: `perhaps` is not a yes/no value (true or false)",
                "line 5, description: Ensure this value has at most 250 characters (it has 251).",
            ]
        );
        let secret = preview_of(
            "alias,password\nfresh@acme.example,$~!1abc\n",
            &Scope::All,
            true,
        );
        assert_eq!(secret.errors()[0].column.as_deref(), Some("password"));
    }

    #[test]
    fn a_tenant_admin_stays_in_the_tenant() {
        let text = "alias,tag,description\n\
            mine@acme.example,,Mine\n\
            theirs@globex.example,,Outside the domains\n\
            tagged@acme.example,globex,Another tag\n\
            lobby@globex.example,,Their existing device\n\
            desk@acme.example,globex,Move it out\n";
        let preview = preview_of(text, &tenant(), true);
        assert_eq!(
            messages(&preview),
            [
                "line 3, alias: `theirs@globex.example`: aliases must end in @acme.example",
                "line 4, tag: services of your tenant must keep the tag `acme`",
                "line 5, alias: the alias `lobby@globex.example` already exists",
                "line 6, tag: services of your tenant must keep the tag `acme`",
            ]
        );
        assert_eq!(preview.items[0].fields["tag"], "acme");
        let no_update = preview_of(
            "alias,description\ndesk@acme.example,Changed\n",
            &tenant(),
            false,
        );
        assert!(messages(&no_update)[0].contains("does not allow changing"));
    }
}
