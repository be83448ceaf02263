//! The licences in force (from the configuration's `licence` objects) and the `licensing`
//! status record that reports how many are in use.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::time::Instant;

/// What a licence grants, read from its `features`/`product_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceKind {
    Port,
    Vmr,
    Audio,
}

impl LicenceKind {
    pub fn of(licence: &Value) -> LicenceKind {
        let text = |k: &str| {
            licence
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        let what = format!("{} {}", text("features"), text("product_id"));
        if what.contains("vmr") {
            LicenceKind::Vmr
        } else if what.contains("audio") {
            LicenceKind::Audio
        } else {
            LicenceKind::Port
        }
    }
}

/// Totals of the licences in force.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LicencePool {
    pub port_total: u64,
    pub vmr_total: u64,
    pub audio_total: u64,
    /// `(entitlement id, expiration date)` of licences expiring within 30 days of `now`.
    pub expiring: Vec<(String, NaiveDate)>,
}

fn expiry(licence: &Value) -> Option<NaiveDate> {
    let text = licence.get("expiration_date")?.as_str()?;
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

impl LicencePool {
    /// The pool of the configured licences that have not expired at `now`.
    pub fn from_objects(licences: &[Value], now: Instant) -> LicencePool {
        let today = now.date();
        let mut pool = LicencePool::default();
        for l in licences {
            let expires = expiry(l);
            if expires.is_some_and(|d| d < today) {
                continue;
            }
            let n = l.get("concurrent").and_then(Value::as_u64).unwrap_or(0);
            match LicenceKind::of(l) {
                LicenceKind::Port => pool.port_total += n,
                LicenceKind::Vmr => pool.vmr_total += n,
                LicenceKind::Audio => pool.audio_total += n,
            }
            if let Some(d) = expires
                && (d - today).num_days() <= 30
            {
                let id = l
                    .get("entitlement_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                pool.expiring.push((id.to_owned(), d));
            }
        }
        pool
    }

    /// Whether any licence is configured at all (a node without licences is not limited by
    /// the simulator, so an empty configuration can still place calls).
    pub fn limits_calls(&self) -> bool {
        self.port_total + self.audio_total > 0
    }
}

/// Licences in use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LicenceUse {
    pub ports: u64,
    pub audio: u64,
    pub vmrs: u64,
}

/// The single record of `status/v1/licensing/`.
pub fn status_json(pool: &LicencePool, used: LicenceUse) -> Value {
    json!({
        "audio_count": used.audio,
        "audio_total": pool.audio_total,
        "id": 1,
        "port_count": used.ports,
        "port_total": pool.port_total,
        "resource_uri": "/api/admin/status/v1/licensing/1/",
        "vmr_count": used.vmrs,
        "vmr_total": pool.vmr_total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_sums_by_kind_and_skips_expired() {
        let now = NaiveDate::from_ymd_opt(2017, 1, 10)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let licences = [
            json!({"concurrent": 50, "features": "port", "expiration_date": "2018-01-01"}),
            json!({"concurrent": 10, "product_id": "pexip_vmr", "expiration_date": "2017-01-20", "entitlement_id": "A"}),
            json!({"concurrent": 20, "features": "audio"}),
            json!({"concurrent": 99, "features": "port", "expiration_date": "2017-01-01"}),
        ];
        let pool = LicencePool::from_objects(&licences, now);
        assert_eq!(
            (pool.port_total, pool.vmr_total, pool.audio_total),
            (50, 10, 20)
        );
        assert_eq!(pool.expiring.len(), 1);
        assert!(pool.limits_calls());
        assert!(!LicencePool::default().limits_calls());
    }
}
