//! Licence activation and return, online and offline: `licence` objects in the configuration
//! store, and the `licence_request` documents an offline activation or return leaves behind.

use serde_json::{Map, Value, json};

use super::rng::Rng;
use super::time::Instant;
use crate::catalogue::rules::is_entitlement_key;
use crate::store::{ConfigStore, ObjectId};

pub const LICENCE: &str = "/api/admin/configuration/v1/licence/";
pub const LICENCE_REQUEST: &str = "/api/admin/configuration/v1/licence_request/";

/// Why a licence could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenceError {
    Missing,
    Malformed,
    AlreadyActive,
}

impl LicenceError {
    pub fn message(&self) -> &'static str {
        match self {
            LicenceError::Missing => "This field is required.",
            LicenceError::Malformed => {
                "Enter a valid entitlement key of the form XXXX-XXXX-XXXX-XXXX, where X is a hexadecimal digit."
            }
            LicenceError::AlreadyActive => "A licence with this entitlement key already exists.",
        }
    }
}

/// Checks an entitlement key before activation.
pub fn check_entitlement(store: &ConfigStore, key: Option<&str>) -> Result<String, LicenceError> {
    let key = key
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(LicenceError::Missing)?;
    if !is_entitlement_key(key) {
        return Err(LicenceError::Malformed);
    }
    let key = key.to_ascii_uppercase();
    if store.objects("licence").any(|l| {
        l.get("entitlement_id")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case(&key))
    }) {
        return Err(LicenceError::AlreadyActive);
    }
    Ok(key)
}

/// What the licence server grants for an entitlement key: `(product, feature, count)`.
fn grant(key: &str) -> (&'static str, &'static str, u64) {
    let sum: u64 = key
        .chars()
        .filter_map(|c| c.to_digit(16))
        .map(u64::from)
        .sum();
    match sum % 4 {
        0 | 1 => ("pexip_port", "port", 10 * (1 + sum % 10)),
        2 => ("pexip_vmr", "vmr", 50 * (1 + sum % 8)),
        _ => ("pexip_audio", "audio", 20 * (1 + sum % 5)),
    }
}

fn fresh_fulfillment_id(store: &ConfigStore, rng: &mut Rng) -> String {
    loop {
        let id = rng.range(1_000_000_000, 9_999_999_999).to_string();
        if store.get("licence", &ObjectId::parse(&id)).is_none() {
            return id;
        }
    }
}

/// A licence object as stored (its `id` is the fulfillment id).
pub fn licence_object(
    key: &str,
    fulfillment_id: &str,
    offline: bool,
    today: Instant,
) -> Map<String, Value> {
    let (product, feature, count) = grant(key);
    let start = today.date();
    let end = start + chrono::Duration::days(365);
    let v = json!({
        "activatable": 0,
        "activatable_overdraft": 0,
        "concurrent": count,
        "concurrent_overdraft": 0,
        "entitlement_id": key,
        "expiration_date": end.format("%Y-%m-%d").to_string(),
        "features": feature,
        "fulfillment_id": fulfillment_id,
        "fulfillment_type": "Trusted Storage",
        "hybrid": 0,
        "hybrid_overdraft": 0,
        "id": fulfillment_id,
        "license_type": "concurrent",
        "offline_mode": offline,
        "product_id": product,
        "repair": 0,
        "server_chain": "",
        "start_date": start.format("%Y-%m-%d").to_string(),
        "status": "Activated",
        "trust_flags": 3,
        "vendor_dictionary": {"product": product},
    });
    v.as_object().cloned().unwrap_or_default()
}

/// Activates `key` online; returns the fulfillment id.
pub fn activate(
    store: &mut ConfigStore,
    rng: &mut Rng,
    key: &str,
    offline: bool,
    now: Instant,
) -> String {
    let fid = fresh_fulfillment_id(store, rng);
    store.put(
        "licence",
        ObjectId::parse(&fid),
        licence_object(key, &fid, offline, now),
    );
    fid
}

/// Leaves an offline request document for `action` (`activate` or `return`) on `reference`
/// (an entitlement key or a fulfillment id); returns its sequence number.
pub fn request(
    store: &mut ConfigStore,
    rng: &mut Rng,
    action: &str,
    reference: &str,
    now: Instant,
) -> String {
    let seq = store
        .objects("licence_request")
        .filter_map(|o| {
            o.get("sequence_number")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<u64>().ok())
        })
        .max()
        .unwrap_or(0)
        + 1;
    let seq = seq.to_string();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LicenseRequest action=\"{action}\" sequence=\"{seq}\" created=\"{}\">\n  <Reference>{reference}</Reference>\n  <Nonce>{}</Nonce>\n</LicenseRequest>\n",
        now.format("%Y-%m-%dT%H:%M:%S"),
        rng.hex(32)
    );
    let v = json!({
        "actions": action,
        "id": seq,
        "reference": reference,
        "request": document,
        "response": "",
        "sequence_number": seq,
    });
    store.put(
        "licence_request",
        ObjectId::parse(&seq),
        v.as_object().cloned().unwrap_or_default(),
    );
    seq
}

/// Applies the licence server's `response` to request `seq`: the activation or return takes
/// effect and the request is consumed. `Err` names what is wrong.
pub fn complete(
    store: &mut ConfigStore,
    rng: &mut Rng,
    seq: &str,
    response: &str,
    now: Instant,
) -> Result<(), &'static str> {
    if response.trim().is_empty() {
        return Err("This field is required.");
    }
    let id = ObjectId::parse(seq);
    let req = store
        .get("licence_request", &id)
        .ok_or("Failed to find the licence request.")?
        .clone();
    let text = |k: &str| {
        req.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    match text("actions").as_str() {
        "activate" => {
            if check_entitlement(store, Some(&text("reference"))).is_ok() {
                activate(store, rng, &text("reference"), true, now);
            }
        }
        _ => {
            store.remove("licence", &ObjectId::parse(&text("reference")));
        }
    }
    store.remove("licence_request", &id);
    Ok(())
}

/// A stored licence or licence request as the API shows it.
pub fn render(object: &Map<String, Value>, base: &str) -> Value {
    let mut o = object.clone();
    let key = o.remove("id").map(|v| match v {
        Value::String(s) => s,
        other => other.to_string(),
    });
    o.insert(
        "resource_uri".into(),
        json!(format!("{base}{}/", key.unwrap_or_default())),
    );
    let mut fields: Vec<(String, Value)> = o.into_iter().collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(fields.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> Instant {
        NaiveDate::from_ymd_opt(2017, 1, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn keys_are_checked_and_activated_once() {
        let mut store = ConfigStore::new();
        let mut rng = Rng::new(1);
        assert_eq!(check_entitlement(&store, None), Err(LicenceError::Missing));
        assert_eq!(
            check_entitlement(&store, Some("ABCD-1234")),
            Err(LicenceError::Malformed)
        );
        assert_eq!(
            check_entitlement(&store, Some("ABCG-1234-5678-9ABC")),
            Err(LicenceError::Malformed)
        );
        let key = check_entitlement(&store, Some("abcd-1234-5678-9abc")).unwrap();
        let fid = activate(&mut store, &mut rng, &key, false, now());
        assert_eq!(fid.len(), 10);
        assert!(fid.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(
            check_entitlement(&store, Some("ABCD-1234-5678-9ABC")),
            Err(LicenceError::AlreadyActive)
        );
        let shown = render(
            store.get("licence", &ObjectId::parse(&fid)).unwrap(),
            LICENCE,
        );
        assert_eq!(shown["resource_uri"], format!("{LICENCE}{fid}/"));
        assert!(shown.get("id").is_none());
        assert_eq!(shown["fulfillment_id"], fid);
    }

    #[test]
    fn offline_requests_complete_into_licences_and_returns() {
        let mut store = ConfigStore::new();
        let mut rng = Rng::new(2);
        let seq = request(
            &mut store,
            &mut rng,
            "activate",
            "ABCD-1234-5678-9ABC",
            now(),
        );
        assert_eq!(seq, "1");
        let doc = store.get("licence_request", &ObjectId::parse("1")).unwrap()["request"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(doc.contains("ABCD-1234-5678-9ABC"));
        assert_eq!(
            complete(&mut store, &mut rng, "1", "", now()),
            Err("This field is required.")
        );
        complete(&mut store, &mut rng, "1", "<LicenseResponse/>", now()).unwrap();
        assert_eq!(store.count("licence_request"), 0);
        let fid = store.objects("licence").next().unwrap()["fulfillment_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let seq = request(&mut store, &mut rng, "return", &fid, now());
        assert_eq!(store.count("licence"), 1);
        complete(&mut store, &mut rng, &seq, "<LicenseResponse/>", now()).unwrap();
        assert_eq!(store.count("licence"), 0);
    }
}
