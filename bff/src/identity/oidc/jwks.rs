//! The provider's signing keys (its JWK set, `jwks_uri`): parsed into keys `ring` verifies
//! with, cached, and fetched again when a token names a key the cache does not hold (the
//! provider rotated its keys), at most once per refetch interval.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A JWS algorithm the portal accepts for ID tokens. `none` and the HMAC algorithms (`HS*`,
/// which would use the client secret as the key) are never accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Rs256,
    Ps256,
    Es256,
}

impl Algorithm {
    /// The algorithm of a JWS header's `alg`, when accepted.
    pub(crate) fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "RS256" => Some(Algorithm::Rs256),
            "PS256" => Some(Algorithm::Ps256),
            "ES256" => Some(Algorithm::Es256),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
            Algorithm::Es256 => "ES256",
        }
    }
}

/// A public key, ready for `ring`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// RSA modulus and exponent (big-endian bytes).
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// An uncompressed P-256 point (`04 || x || y`).
    EcP256 { point: Vec<u8> },
}

impl PublicKey {
    /// Whether `signature` over `message` verifies with this key and `algorithm` (false too
    /// when the key does not suit the algorithm).
    pub(crate) fn verify(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        match (self, algorithm) {
            (PublicKey::Rsa { n, e }, Algorithm::Rs256 | Algorithm::Ps256) => {
                let parameters = if algorithm == Algorithm::Rs256 {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                } else {
                    &signature::RSA_PSS_2048_8192_SHA256
                };
                RsaPublicKeyComponents { n, e }
                    .verify(parameters, message, signature)
                    .is_ok()
            }
            (PublicKey::EcP256 { point }, Algorithm::Es256) => {
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, signature)
                    .is_ok()
            }
            _ => false,
        }
    }

    fn suits(&self, algorithm: Algorithm) -> bool {
        matches!(
            (self, algorithm),
            (PublicKey::Rsa { .. }, Algorithm::Rs256 | Algorithm::Ps256)
                | (PublicKey::EcP256 { .. }, Algorithm::Es256)
        )
    }
}

/// One usable key of a JWK set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    pub kid: Option<String>,
    /// The key's own `alg`, when it names one: the key is then used for that algorithm only.
    pub alg: Option<String>,
    pub key: PublicKey,
}

/// The usable signing keys of a provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeySet {
    pub keys: Vec<Key>,
}

#[derive(Deserialize)]
struct RawSet {
    keys: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawKey {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    crv: Option<String>,
    #[serde(default)]
    x: Option<String>,
    #[serde(default)]
    y: Option<String>,
}

impl KeySet {
    /// The signing keys of a JWK set document. Keys for encryption, of other types or curves,
    /// or unreadable are skipped (providers publish such keys too).
    pub(crate) fn parse(json: serde_json::Value) -> Result<KeySet, String> {
        let raw: RawSet =
            serde_json::from_value(json).map_err(|error| format!("not a JWK set: {error}"))?;
        let keys = raw
            .keys
            .into_iter()
            .filter_map(|value| serde_json::from_value::<RawKey>(value).ok())
            .filter(|raw| raw.use_.as_deref().is_none_or(|u| u == "sig"))
            .filter_map(|raw| {
                let key = public_key(&raw)?;
                Some(Key {
                    kid: raw.kid,
                    alg: raw.alg,
                    key,
                })
            })
            .collect();
        Ok(KeySet { keys })
    }

    /// The key for a token signed with `algorithm` naming `kid`: the key with that id (whose
    /// type and `alg` suit the algorithm); without a `kid`, the only key that suits it.
    pub(crate) fn find(&self, kid: Option<&str>, algorithm: Algorithm) -> Option<&PublicKey> {
        let mut suitable = self.keys.iter().filter(|key| {
            key.key.suits(algorithm) && key.alg.as_deref().is_none_or(|a| a == algorithm.name())
        });
        match kid {
            Some(kid) => suitable
                .find(|key| key.kid.as_deref() == Some(kid))
                .map(|key| &key.key),
            None => {
                let first = suitable.next()?;
                suitable.next().is_none().then_some(&first.key)
            }
        }
    }
}

fn public_key(raw: &RawKey) -> Option<PublicKey> {
    let decode = |value: &Option<String>| URL_SAFE_NO_PAD.decode(value.as_deref()?).ok();
    match raw.kty.as_str() {
        "RSA" => Some(PublicKey::Rsa {
            n: decode(&raw.n)?,
            e: decode(&raw.e)?,
        }),
        "EC" if raw.crv.as_deref() == Some("P-256") => {
            let (x, y) = (decode(&raw.x)?, decode(&raw.y)?);
            if x.len() != 32 || y.len() != 32 {
                return None;
            }
            let mut point = Vec::with_capacity(65);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            Some(PublicKey::EcP256 { point })
        }
        _ => None,
    }
}

/// Why no key could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LookupError {
    /// The set was fetched (or a refetch was not allowed yet) and has no such key.
    Unknown,
    /// The set could not be fetched (the reason was logged by the fetcher).
    Unavailable,
}

#[derive(Debug, Default)]
struct CacheState {
    keys: Option<Arc<KeySet>>,
    /// When the set was last fetched, successfully or not.
    last_fetch: Option<Instant>,
}

/// A provider's cached key set.
#[derive(Debug)]
pub(crate) struct KeyCache {
    state: Mutex<CacheState>,
    /// The shortest time between two fetches caused by unknown keys.
    refetch_interval: Duration,
}

impl KeyCache {
    pub(crate) fn new(refetch_interval: Duration) -> Self {
        Self {
            state: Mutex::new(CacheState::default()),
            refetch_interval,
        }
    }

    /// The key for (`kid`, `algorithm`): from the cached set, else from a freshly fetched one
    /// (`fetch`), unless the last fetch was less than the refetch interval ago. Fetches are
    /// one at a time.
    pub(crate) async fn key<F, Fut>(
        &self,
        kid: Option<&str>,
        algorithm: Algorithm,
        fetch: F,
    ) -> Result<PublicKey, LookupError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Option<KeySet>>,
    {
        let mut state = self.state.lock().await;
        if let Some(key) = state
            .keys
            .as_ref()
            .and_then(|keys| keys.find(kid, algorithm))
        {
            return Ok(key.clone());
        }
        let may_fetch = state.keys.is_none()
            || state
                .last_fetch
                .is_none_or(|at| at.elapsed() >= self.refetch_interval);
        if !may_fetch {
            tracing::info!(
                kid,
                "a token names an unknown signing key; the provider's keys were fetched less \
                 than {:?} ago, so they are not fetched again yet",
                self.refetch_interval
            );
            return Err(LookupError::Unknown);
        }
        state.last_fetch = Some(Instant::now());
        let Some(fetched) = fetch().await else {
            return Err(if state.keys.is_some() {
                LookupError::Unknown
            } else {
                LookupError::Unavailable
            });
        };
        let fetched = Arc::new(fetched);
        state.keys = Some(fetched.clone());
        fetched
            .find(kid, algorithm)
            .cloned()
            .ok_or(LookupError::Unknown)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::atomic::{AtomicU32, Ordering};

    pub(crate) fn ec_jwk(kid: &str, point: &[u8]) -> serde_json::Value {
        json!({
            "kty": "EC", "crv": "P-256", "kid": kid, "use": "sig", "alg": "ES256",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        })
    }

    fn point(byte: u8) -> Vec<u8> {
        let mut point = vec![4];
        point.extend([byte; 64]);
        point
    }

    #[test]
    fn parsing_skips_what_cannot_sign() {
        let set = KeySet::parse(json!({"keys": [
            ec_jwk("ec1", &point(1)),
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"},
            {"kty": "RSA", "kid": "rsa1", "n": "AQAB", "e": "AQAB"},
            {"kty": "EC", "crv": "P-384", "kid": "p384", "x": "AA", "y": "AA"},
            {"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": "AA"},
            {"kty": "RSA", "kid": "broken", "n": "***", "e": "AQAB"},
            {"no": "kty"},
        ]}))
        .unwrap();
        let kids: Vec<_> = set.keys.iter().map(|k| k.kid.as_deref().unwrap()).collect();
        assert_eq!(kids, ["ec1", "rsa1"]);
        assert!(KeySet::parse(json!({"nokeys": []})).is_err());
    }

    #[test]
    fn finding_keys() {
        let set = KeySet::parse(json!({"keys": [
            ec_jwk("ec1", &point(1)),
            {"kty": "RSA", "kid": "rsa1", "n": "AQAB", "e": "AQAB", "alg": "RS256"},
            {"kty": "RSA", "kid": "rsa2", "n": "AQAB", "e": "AQAB"},
        ]}))
        .unwrap();
        assert!(set.find(Some("ec1"), Algorithm::Es256).is_some());
        assert!(set.find(Some("ec1"), Algorithm::Rs256).is_none());
        assert!(set.find(Some("rsa1"), Algorithm::Rs256).is_some());
        // rsa1 is for RS256 only.
        assert!(set.find(Some("rsa1"), Algorithm::Ps256).is_none());
        assert!(set.find(Some("rsa2"), Algorithm::Ps256).is_some());
        assert!(set.find(Some("nope"), Algorithm::Rs256).is_none());
        // Without a kid: only when one key suits.
        assert!(set.find(None, Algorithm::Es256).is_some());
        assert!(set.find(None, Algorithm::Rs256).is_none());
    }

    #[tokio::test]
    async fn unknown_keys_are_fetched_at_most_once_per_interval() {
        let cache = KeyCache::new(Duration::from_millis(300));
        let fetches = AtomicU32::new(0);
        let set = |kids: &[&str]| KeySet {
            keys: kids
                .iter()
                .map(|kid| Key {
                    kid: Some(kid.to_string()),
                    alg: None,
                    key: PublicKey::EcP256 { point: point(1) },
                })
                .collect(),
        };
        let fetch = |kids: &'static [&'static str]| {
            let fetches = &fetches;
            let keys = set(kids);
            move || async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                Some(keys)
            }
        };
        // First use: fetched.
        assert!(
            cache
                .key(Some("a"), Algorithm::Es256, fetch(&["a"]))
                .await
                .is_ok()
        );
        // Known: not fetched.
        assert!(
            cache
                .key(Some("a"), Algorithm::Es256, fetch(&["a"]))
                .await
                .is_ok()
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        // Unknown right after a fetch: refused without fetching.
        assert_eq!(
            cache
                .key(Some("b"), Algorithm::Es256, fetch(&["a", "b"]))
                .await,
            Err(LookupError::Unknown)
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        // After the interval: fetched again, and found.
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert!(
            cache
                .key(Some("b"), Algorithm::Es256, fetch(&["a", "b"]))
                .await
                .is_ok()
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        // A failed first fetch says "unavailable".
        let empty = KeyCache::new(Duration::from_secs(30));
        assert_eq!(
            empty
                .key(Some("a"), Algorithm::Es256, || async { None })
                .await,
            Err(LookupError::Unavailable)
        );
    }
}
