//! Licences: the installed entitlements and their usage (admins only).

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One installed licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub fulfillment_id: String,
    pub entitlement_id: String,
    /// What it licenses (`port`, `vmr`, `audio`...).
    pub features: String,
    pub concurrent: u64,
    pub status: String,
    pub start_date: String,
    pub expiration_date: String,
}

/// How much of one licensed kind is in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub label: String,
    pub used: u64,
    pub total: u64,
}

/// Licences and current usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceOverview {
    pub usage: Vec<Usage>,
    pub licences: Vec<Licence>,
}

/// The usage pairs of a licensing status record: every `<kind>_count` with its `<kind>_total`,
/// whatever kinds the node's version reports.
#[cfg(feature = "ssr")]
fn usage(record: &serde_json::Value) -> Vec<Usage> {
    use super::fields::count;
    let Some(fields) = record.as_object() else {
        return Vec::new();
    };
    let mut usage: Vec<Usage> = fields
        .keys()
        .filter_map(|key| key.strip_suffix("_count"))
        .filter(|kind| fields.contains_key(&format!("{kind}_total")))
        .map(|kind| Usage {
            label: label(kind),
            used: count(record, &format!("{kind}_count")),
            total: count(record, &format!("{kind}_total")),
        })
        .collect();
    usage.sort_by(|a, b| a.label.cmp(&b.label));
    usage
}

#[cfg(feature = "ssr")]
fn label(kind: &str) -> String {
    match kind {
        "port" => "Call ports".into(),
        "audio" => "Audio ports".into(),
        "vmr" => "Virtual Meeting Rooms".into(),
        other => {
            let mut words = other.replace('_', " ");
            if let Some(first) = words.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            words
        }
    }
}

#[server(endpoint = "licences/list", output = crate::api::JsonText)]
pub async fn load_licences() -> Result<LicenceOverview, AppError> {
    use super::fields::{count, text};
    let (portal, actor) = super::context::signed_in().await?;
    let status = portal.licensing_status(&actor).await?;
    let list = portal.licences_list(&actor).await?;
    let licences = list
        .objects
        .iter()
        .map(|record| Licence {
            fulfillment_id: text(record, "fulfillment_id"),
            entitlement_id: text(record, "entitlement_id"),
            features: text(record, "features"),
            concurrent: count(record, "concurrent"),
            status: text(record, "status"),
            start_date: text(record, "start_date"),
            expiration_date: text(record, "expiration_date"),
        })
        .collect();
    Ok(LicenceOverview {
        usage: usage(&status),
        licences,
    })
}

/// Activates an entitlement key (`XXXX-XXXX-XXXX-XXXX`).
#[server(endpoint = "licences/add", output = crate::api::JsonText)]
pub async fn add_licence(entitlement_id: String) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.licence_add(&actor, &entitlement_id).await?)
}

/// Returns a licence (by its fulfillment id).
#[server(endpoint = "licences/remove", output = crate::api::JsonText)]
pub async fn remove_licence(fulfillment_id: String) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.licence_remove(&actor, &fulfillment_id).await?)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn usage_pairs_counts_with_totals() {
        let record = json!({"port_count": 12, "port_total": 100, "vmr_count": 3, "vmr_total": 50,
            "audio_count": 0, "audio_total": 20, "teams_count": 1, "id": 1, "ghm_total": 4});
        let usage = usage(&record);
        let labels: Vec<&str> = usage.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Audio ports", "Call ports", "Virtual Meeting Rooms"]
        );
        assert_eq!(usage[1].used, 12);
        assert_eq!(usage[1].total, 100);
        assert_eq!(label("scheduling_licence"), "Scheduling licence");
    }
}
