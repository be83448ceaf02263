//! The licences in force (from the configuration's `licence` objects) and the `licensing`
//! status record that reports how many are in use.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::time::Instant;

/// What a licence grants, read from its `features`/`product_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceKind {
    Port,
    Vmr,
    Audio,
}

impl LicenceKind {
    pub fn of(licence: &Map<String, Value>) -> LicenceKind {
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

/// A configured licence, as far as capacity goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Licence {
    pub kind: LicenceKind,
    pub count: u64,
    pub expires: Option<NaiveDate>,
    pub entitlement_id: String,
}

impl Licence {
    /// Reads a `licence` object as the API renders it.
    pub fn parse(licence: &Map<String, Value>) -> Licence {
        let expires = licence
            .get("expiration_date")
            .and_then(Value::as_str)
            .and_then(|t| NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok());
        Licence {
            kind: LicenceKind::of(licence),
            count: licence
                .get("concurrent")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            expires,
            entitlement_id: licence
                .get("entitlement_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

impl LicencePool {
    /// The pool of the licences that have not expired at `now`.
    pub fn of(licences: &[Licence], now: Instant) -> LicencePool {
        let today = now.date();
        let mut pool = LicencePool::default();
        for l in licences {
            if l.expires.is_some_and(|d| d < today) {
                continue;
            }
            match l.kind {
                LicenceKind::Port => pool.port_total += l.count,
                LicenceKind::Vmr => pool.vmr_total += l.count,
                LicenceKind::Audio => pool.audio_total += l.count,
            }
            if let Some(d) = l.expires
                && (d - today).num_days() <= 30
            {
                pool.expiring.push((l.entitlement_id.clone(), d));
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
        let licences: Vec<Licence> = licences
            .iter()
            .map(|l| Licence::parse(l.as_object().unwrap()))
            .collect();
        let pool = LicencePool::of(&licences, now);
        assert_eq!(
            (pool.port_total, pool.vmr_total, pool.audio_total),
            (50, 10, 20)
        );
        assert_eq!(pool.expiring.len(), 1);
        assert!(pool.limits_calls());
        assert!(!LicencePool::default().limits_calls());
    }
}
