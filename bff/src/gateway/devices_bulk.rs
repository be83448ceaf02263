//! Bulk work on device aliases: the import preview (read and check a CSV file, write nothing)
//! and the CSV export of a searched list. The items of a preview are sent one by one through
//! [`Portal::device_create`] and [`Portal::device_update`], so each is policy-checked and
//! audited on its own.

use super::error::NON_FIELD;
use super::{BffError, DEVICE_RESOURCE, MAX_PAGE};
use crate::bulk::devices::{self, DeviceChecks};
use crate::bulk::{ImportPreview, columns, export, table};
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use crate::requests::DeviceQuery;
use pexip::client::Api;
use serde_json::Value;
use std::collections::HashMap;

impl Portal {
    /// Reads and checks a device aliases CSV file for `actor` to import: every line with what
    /// it would do (create, change, nothing) and its fields, or its errors. Nothing is written.
    pub async fn devices_import_preview(
        &self,
        actor: &Actor,
        csv: &str,
    ) -> Result<ImportPreview, BffError> {
        let create = self.scope(actor, Operation::DeviceCreate)?;
        let update = self.scope(actor, Operation::DeviceUpdate).ok();
        let table = table::read_as(csv, &columns::DEVICES)
            .map_err(|message| BffError::field(NON_FIELD, message))?;
        let schema = self
            .pexip
            .schema(Api::Configuration, DEVICE_RESOURCE)
            .await?;
        let aliases = devices::mentioned(&table);
        let existing: HashMap<String, Value> = self
            .existing_objects(DEVICE_RESOURCE, columns::DEVICE_ALIAS, &aliases)
            .await?
            .into_iter()
            .filter_map(|device| {
                let alias = device.get(columns::DEVICE_ALIAS)?.as_str()?.to_lowercase();
                Some((alias, device))
            })
            .collect();
        let checks = DeviceChecks {
            schema: &schema,
            existing: &existing,
            create: &create,
            update: update.as_ref(),
        };
        let preview = devices::preview(&table, &checks)
            .map_err(|message| BffError::field(NON_FIELD, message))?;
        tracing::info!(
            user = %actor.principal.username,
            devices = preview.items.len(),
            create = preview.count(|a| a.is_create()),
            update = preview.count(|a| a.is_update()),
            unchanged = preview.count(|a| a.is_unchanged()),
            invalid = preview.items.len() - preview.valid().count(),
            "devices import checked"
        );
        Ok(preview)
    }

    /// Every device alias matching `request` (all pages; `limit` and `offset` are ignored) that
    /// the actor may see, as CSV in the import format. Passwords are in the encrypted form the
    /// node reads them back in.
    pub async fn devices_export_csv(
        &self,
        actor: &Actor,
        request: &DeviceQuery,
    ) -> Result<String, BffError> {
        let mut devices: Vec<Value> = Vec::new();
        loop {
            let page = self
                .devices_list(
                    actor,
                    &DeviceQuery {
                        limit: MAX_PAGE,
                        offset: devices.len() as u64,
                        ..request.clone()
                    },
                )
                .await?;
            let done = page.objects.is_empty() || !page.has_next();
            devices.extend(page.objects);
            if done {
                break;
            }
        }
        tracing::info!(user = %actor.principal.username, devices = devices.len(), "devices exported");
        Ok(export::write_devices(&devices))
    }
}
