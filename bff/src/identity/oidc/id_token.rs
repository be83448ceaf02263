//! ID token validation (OpenID Connect Core §3.1.3.7) and the identity it vouches for.

use super::config::OidcProviderConfig;
use super::error::IdTokenError;
use super::jwks::{Algorithm, KeyCache, KeySet, LookupError};
use crate::identity::ExternalIdentity;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// Clock difference tolerated between the portal and the provider, in seconds.
pub(crate) const LEEWAY_SECS: i64 = 60;

/// The claims of a validated ID token.
pub(crate) type Claims = Map<String, Value>;

/// What the token must say.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// Now, in Unix seconds.
    pub now: i64,
}

/// A token split into its parts, the signature not yet checked.
struct Parsed<'a> {
    algorithm: Algorithm,
    kid: Option<String>,
    signing_input: &'a str,
    signature: Vec<u8>,
    claims: Claims,
}

fn parse(token: &str) -> Result<Parsed<'_>, IdTokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(IdTokenError::Malformed("not three dot-separated parts"));
    };
    let header: Map<String, Value> = decode_json(header, "header")?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(IdTokenError::Malformed("the header has no alg"))?;
    let algorithm = Algorithm::from_name(alg)
        .ok_or_else(|| IdTokenError::AlgorithmRefused(super::http::printable(alg, 20)))?;
    if header.contains_key("crit") {
        return Err(IdTokenError::Malformed(
            "the header has critical extensions",
        ));
    }
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(IdTokenError::Malformed("the kid is not a string")),
    };
    let claims = decode_json(payload, "payload")?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| IdTokenError::Malformed("the signature is not base64url"))?;
    let signing_input = &token[..header_len(token)];
    Ok(Parsed {
        algorithm,
        kid,
        signing_input,
        signature,
        claims,
    })
}

/// The length of `header.payload` in a three-part token.
fn header_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(token.len())
}

fn decode_json(part: &str, what: &'static str) -> Result<Map<String, Value>, IdTokenError> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| {
        IdTokenError::Malformed(if what == "header" {
            "the header is not base64url"
        } else {
            "the payload is not base64url"
        })
    })?;
    serde_json::from_slice(&bytes).map_err(|_| {
        IdTokenError::Malformed(if what == "header" {
            "the header is not a JSON object"
        } else {
            "the payload is not a JSON object"
        })
    })
}

/// Validates `token`: an accepted algorithm, a signature by the provider's key for its `kid`
/// (`keys`, refreshed through `fetch` when the key is unknown), then the claims
/// ([`check_claims`]). Returns the claims.
pub(crate) async fn validate<F, Fut>(
    token: &str,
    keys: &KeyCache,
    fetch: F,
    expected: &Expected<'_>,
) -> Result<Claims, IdTokenError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Option<KeySet>>,
{
    let parsed = parse(token)?;
    let key = keys
        .key(parsed.kid.as_deref(), parsed.algorithm, fetch)
        .await
        .map_err(|error| match error {
            LookupError::Unknown => IdTokenError::UnknownKey {
                kid: parsed
                    .kid
                    .as_deref()
                    .map(|kid| super::http::printable(kid, 80)),
            },
            LookupError::Unavailable => IdTokenError::KeysUnavailable,
        })?;
    if !key.verify(
        parsed.algorithm,
        parsed.signing_input.as_bytes(),
        &parsed.signature,
    ) {
        return Err(IdTokenError::BadSignature);
    }
    check_claims(&parsed.claims, expected)?;
    Ok(parsed.claims)
}

/// The claim checks of OpenID Connect Core §3.1.3.7: `iss` is the issuer, `aud` holds the
/// client id (and `azp`, when present or when there are several audiences, is the client
/// id), `exp` is in the future and `iat` not, with [`LEEWAY_SECS`]; `nonce` is this sign-in's;
/// `sub` is a non-empty string.
pub(crate) fn check_claims(claims: &Claims, expected: &Expected<'_>) -> Result<(), IdTokenError> {
    let issuer = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(IdTokenError::MissingClaim("iss"))?;
    if issuer != expected.issuer {
        return Err(IdTokenError::WrongIssuer {
            found: super::http::printable(issuer, 200),
        });
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(auds)) => auds.iter().filter_map(Value::as_str).collect(),
        _ => return Err(IdTokenError::MissingClaim("aud")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(IdTokenError::WrongAudience);
    }
    match claims.get("azp") {
        Some(Value::String(azp)) if azp == expected.client_id => {}
        Some(_) => return Err(IdTokenError::WrongAuthorizedParty),
        None if audiences.len() > 1 => return Err(IdTokenError::WrongAuthorizedParty),
        None => {}
    }
    let exp = seconds(claims, "exp")?;
    if exp <= expected.now - LEEWAY_SECS {
        return Err(IdTokenError::Expired);
    }
    let iat = seconds(claims, "iat")?;
    if iat > expected.now + LEEWAY_SECS {
        return Err(IdTokenError::IssuedInFuture);
    }
    match claims.get("nonce").and_then(Value::as_str) {
        Some(nonce) if crate::constant_time::eq(nonce.as_bytes(), expected.nonce.as_bytes()) => {}
        _ => return Err(IdTokenError::WrongNonce),
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(sub) if !sub.is_empty() => Ok(()),
        _ => Err(IdTokenError::MissingClaim("sub")),
    }
}

/// A NumericDate claim, in whole seconds.
fn seconds(claims: &Claims, name: &'static str) -> Result<i64, IdTokenError> {
    let value = claims.get(name).ok_or(IdTokenError::MissingClaim(name))?;
    value
        .as_i64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|f| f.is_finite())
                .map(|f| f.floor() as i64)
        })
        .ok_or(IdTokenError::MissingClaim(name))
}

/// A claim by name, or else by a dotted path into objects (`realm_access.roles`).
fn claim<'a>(claims: &'a Claims, name: &str) -> Option<&'a Value> {
    if let Some(value) = claims.get(name) {
        return Some(value);
    }
    let mut parts = name.split('.');
    let mut value = claims.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

fn non_empty_string<'a>(claims: &'a Claims, name: &str) -> Option<&'a str> {
    claim(claims, name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether `email_verified` is true (a boolean, or the string `"true"` as some providers send).
fn email_verified(claims: &Claims) -> bool {
    match claims.get("email_verified") {
        Some(Value::Bool(verified)) => *verified,
        Some(Value::String(verified)) => verified.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The identity a validated token vouches for. The email is kept only when verified or the
/// provider is authoritative for emails (see the module docs).
pub(crate) fn identity(claims: &Claims, config: &OidcProviderConfig) -> ExternalIdentity {
    let sub = non_empty_string(claims, "sub")
        .unwrap_or_default()
        .to_owned();
    let username = non_empty_string(claims, &config.username_claim)
        .map(str::to_owned)
        .unwrap_or_else(|| sub.clone());
    let display_name = non_empty_string(claims, "name")
        .map(str::to_owned)
        .or_else(|| {
            let parts: Vec<&str> = ["given_name", "family_name"]
                .iter()
                .filter_map(|name| non_empty_string(claims, name))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
    let email = non_empty_string(claims, &config.email_claim).and_then(|email| {
        if config.email_authoritative || email_verified(claims) {
            Some(email.to_owned())
        } else {
            tracing::info!(
                provider = %config.id,
                sub = %sub,
                "the provider's email address is not verified: it is not used"
            );
            None
        }
    });
    let groups = match claim(claims, &config.groups_claim) {
        Some(Value::Array(groups)) => groups
            .iter()
            .filter_map(Value::as_str)
            .filter(|group| !group.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::String(group)) if !group.is_empty() => vec![group.clone()],
        _ => Vec::new(),
    };
    ExternalIdentity {
        source: config.id.clone(),
        external_id: sub,
        username,
        display_name,
        email,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::super::jwks::{Key, PublicKey};
    use super::*;
    use pexip::client::Secret;
    use ring::rand::SystemRandom;
    use ring::signature::{
        ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair, RSA_PKCS1_SHA256, RSA_PSS_SHA256,
        RsaKeyPair,
    };
    use serde_json::json;
    use std::time::Duration;

    const ISSUER: &str = "https://id.example/realms/staff";
    const CLIENT: &str = "portal";
    const NONCE: &str = "n-0S6_WzA2Mj";
    const NOW: i64 = 1_800_000_000;
    const RSA_PKCS8: &[u8] = include_bytes!("../../../tests/fixtures/oidc_rsa_test_key.pk8");
    const RSA_PUBLIC: &str = include_str!("../../../tests/fixtures/oidc_rsa_test_key.pub.json");

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A signer for tests: an ECDSA P-256 key made now, or the fixed RSA test key.
    enum Signer {
        Ec(EcdsaKeyPair),
        Rsa(RsaKeyPair),
    }

    impl Signer {
        fn ec() -> Signer {
            let rng = SystemRandom::new();
            let pkcs8 =
                EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
            Signer::Ec(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
                    .unwrap(),
            )
        }

        fn rsa() -> Signer {
            Signer::Rsa(RsaKeyPair::from_pkcs8(RSA_PKCS8).unwrap())
        }

        fn public(&self) -> PublicKey {
            match self {
                Signer::Ec(pair) => PublicKey::EcP256 {
                    point: pair.public_key().as_ref().to_vec(),
                },
                Signer::Rsa(_) => {
                    let jwk: Value = serde_json::from_str(RSA_PUBLIC).unwrap();
                    let field =
                        |name: &str| URL_SAFE_NO_PAD.decode(jwk[name].as_str().unwrap()).unwrap();
                    PublicKey::Rsa {
                        n: field("n"),
                        e: field("e"),
                    }
                }
            }
        }

        fn key(&self, kid: &str) -> Key {
            Key {
                kid: Some(kid.into()),
                alg: None,
                key: self.public(),
            }
        }

        /// A JWS over `claims` with the header `alg`/`kid`, signed for `alg`.
        fn sign(&self, alg: &str, kid: Option<&str>, claims: &Value) -> String {
            let mut header = json!({"alg": alg, "typ": "JWT"});
            if let Some(kid) = kid {
                header["kid"] = json!(kid);
            }
            let input = format!(
                "{}.{}",
                b64(header.to_string().as_bytes()),
                b64(claims.to_string().as_bytes())
            );
            let rng = SystemRandom::new();
            let signature = match self {
                Signer::Ec(pair) => pair.sign(&rng, input.as_bytes()).unwrap().as_ref().to_vec(),
                Signer::Rsa(pair) => {
                    let padding: &dyn ring::signature::RsaEncoding = if alg == "PS256" {
                        &RSA_PSS_SHA256
                    } else {
                        &RSA_PKCS1_SHA256
                    };
                    let mut signature = vec![0; pair.public().modulus_len()];
                    pair.sign(padding, &rng, input.as_bytes(), &mut signature)
                        .unwrap();
                    signature
                }
            };
            format!("{input}.{}", b64(&signature))
        }
    }

    fn claims() -> Value {
        json!({
            "iss": ISSUER,
            "aud": CLIENT,
            "sub": "248289761001",
            "exp": NOW + 300,
            "iat": NOW - 5,
            "nonce": NONCE,
            "preferred_username": "olivia",
            "name": "Olivia Hansen",
            "email": "olivia@example.com",
            "email_verified": true,
            "groups": ["video-helpdesk"],
        })
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISSUER,
            client_id: CLIENT,
            nonce: NONCE,
            now: NOW,
        }
    }

    /// A cache already holding `keys` (fetched once, no refetch for a minute).
    async fn cache_with(keys: Vec<Key>) -> KeyCache {
        let cache = KeyCache::new(Duration::from_secs(60));
        let set = KeySet { keys };
        let _ = cache
            .key(Some("-"), Algorithm::Es256, || async { Some(set) })
            .await;
        cache
    }

    async fn check(cache: &KeyCache, token: &str) -> Result<Claims, IdTokenError> {
        validate(token, cache, || async { None }, &expected()).await
    }

    #[tokio::test]
    async fn valid_tokens_of_each_algorithm() {
        let ec = Signer::ec();
        let rsa = Signer::rsa();
        let cache = cache_with(vec![ec.key("ec"), rsa.key("rsa")]).await;
        for (signer, alg, kid) in [
            (&ec, "ES256", "ec"),
            (&rsa, "RS256", "rsa"),
            (&rsa, "PS256", "rsa"),
        ] {
            let claims = check(&cache, &signer.sign(alg, Some(kid), &claims()))
                .await
                .unwrap_or_else(|e| panic!("{alg}: {e}"));
            assert_eq!(claims["sub"], "248289761001");
        }
    }

    #[tokio::test]
    async fn a_wrong_signature_is_refused() {
        let signer = Signer::ec();
        let other = Signer::ec();
        let cache = cache_with(vec![signer.key("k1")]).await;
        // Signed by another key under the known kid.
        let forged = other.sign("ES256", Some("k1"), &claims());
        assert_eq!(
            check(&cache, &forged).await,
            Err(IdTokenError::BadSignature)
        );
        // A payload changed after signing.
        let token = signer.sign("ES256", Some("k1"), &claims());
        let mut parts: Vec<&str> = token.split('.').collect();
        let mut changed = claims();
        changed["sub"] = json!("someone-else");
        let payload = b64(changed.to_string().as_bytes());
        parts[1] = &payload;
        assert_eq!(
            check(&cache, &parts.join(".")).await,
            Err(IdTokenError::BadSignature)
        );
    }

    #[tokio::test]
    async fn an_unknown_kid_is_found_after_refreshing_the_keys() {
        let old = Signer::ec();
        let new = Signer::ec();
        let cache = KeyCache::new(Duration::ZERO);
        let first = KeySet {
            keys: vec![old.key("old")],
        };
        validate(
            &old.sign("ES256", Some("old"), &claims()),
            &cache,
            || async { Some(first) },
            &expected(),
        )
        .await
        .unwrap();
        // The provider rotated its keys: the new kid is not cached, the set is fetched again.
        let rotated = KeySet {
            keys: vec![new.key("new"), old.key("old")],
        };
        validate(
            &new.sign("ES256", Some("new"), &claims()),
            &cache,
            || async { Some(rotated) },
            &expected(),
        )
        .await
        .unwrap();
        // A kid no set has stays unknown.
        assert_eq!(
            validate(
                &new.sign("ES256", Some("other"), &claims()),
                &cache,
                || async { Some(KeySet::default()) },
                &expected(),
            )
            .await,
            Err(IdTokenError::UnknownKey {
                kid: Some("other".into())
            })
        );
    }

    #[tokio::test]
    async fn claim_checks() {
        let signer = Signer::ec();
        let cache = cache_with(vec![signer.key("k")]).await;
        let with = |edit: &dyn Fn(&mut Value)| {
            let mut claims = claims();
            edit(&mut claims);
            signer.sign("ES256", Some("k"), &claims)
        };
        let cases: Vec<(&str, String, IdTokenError)> = vec![
            (
                "expired",
                with(&|c| c["exp"] = json!(NOW - LEEWAY_SECS - 1)),
                IdTokenError::Expired,
            ),
            (
                "issued in the future",
                with(&|c| c["iat"] = json!(NOW + LEEWAY_SECS + 30)),
                IdTokenError::IssuedInFuture,
            ),
            (
                "wrong issuer",
                with(&|c| c["iss"] = json!("https://evil.example")),
                IdTokenError::WrongIssuer {
                    found: "https://evil.example".into(),
                },
            ),
            (
                "issuer with a trailing slash",
                with(&|c| c["iss"] = json!(format!("{ISSUER}/"))),
                IdTokenError::WrongIssuer {
                    found: format!("{ISSUER}/"),
                },
            ),
            (
                "another client's token",
                with(&|c| c["aud"] = json!("portal-two")),
                IdTokenError::WrongAudience,
            ),
            (
                "several audiences without azp",
                with(&|c| c["aud"] = json!([CLIENT, "api"])),
                IdTokenError::WrongAuthorizedParty,
            ),
            (
                "azp of another client",
                with(&|c| {
                    c["aud"] = json!([CLIENT, "portal-two"]);
                    c["azp"] = json!("portal-two");
                }),
                IdTokenError::WrongAuthorizedParty,
            ),
            (
                "wrong nonce",
                with(&|c| c["nonce"] = json!("another-sign-in")),
                IdTokenError::WrongNonce,
            ),
            (
                "no nonce",
                with(&|c| {
                    c.as_object_mut().unwrap().remove("nonce");
                }),
                IdTokenError::WrongNonce,
            ),
            (
                "no sub",
                with(&|c| c["sub"] = json!("")),
                IdTokenError::MissingClaim("sub"),
            ),
            (
                "no exp",
                with(&|c| {
                    c.as_object_mut().unwrap().remove("exp");
                }),
                IdTokenError::MissingClaim("exp"),
            ),
        ];
        for (case, token, error) in cases {
            assert_eq!(check(&cache, &token).await, Err(error), "{case}");
        }
        // Within the leeway, and several audiences with azp: accepted.
        for token in [
            with(&|c| c["exp"] = json!(NOW - LEEWAY_SECS + 5)),
            with(&|c| c["iat"] = json!(NOW + LEEWAY_SECS - 5)),
            with(&|c| {
                c["aud"] = json!(["api", CLIENT]);
                c["azp"] = json!(CLIENT);
            }),
        ] {
            check(&cache, &token).await.unwrap();
        }
    }

    #[tokio::test]
    async fn none_and_hmac_are_refused() {
        let signer = Signer::ec();
        let cache = cache_with(vec![signer.key("k")]).await;
        let payload = b64(claims().to_string().as_bytes());
        let unsigned = format!("{}.{payload}.", b64(br#"{"alg":"none"}"#));
        assert_eq!(
            check(&cache, &unsigned).await,
            Err(IdTokenError::AlgorithmRefused("none".into()))
        );
        // HS256 keyed with something public (the classic RSA/HMAC confusion) or the secret.
        let header = b64(br#"{"alg":"HS256","kid":"k"}"#);
        let input = format!("{header}.{payload}");
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"client-secret");
        let tag = ring::hmac::sign(&key, input.as_bytes());
        let hs256 = format!("{input}.{}", b64(tag.as_ref()));
        assert_eq!(
            check(&cache, &hs256).await,
            Err(IdTokenError::AlgorithmRefused("HS256".into()))
        );
        // An RSA-signed token claiming ES256 does not verify with the EC key.
        let rsa = Signer::rsa();
        let token = rsa.sign("RS256", Some("k"), &claims());
        let mut parts: Vec<&str> = token.split('.').collect();
        let es_header = b64(br#"{"alg":"ES256","kid":"k"}"#);
        parts[0] = &es_header;
        assert_eq!(
            check(&cache, &parts.join(".")).await,
            Err(IdTokenError::BadSignature)
        );
    }

    #[tokio::test]
    async fn malformed_tokens() {
        let cache = cache_with(vec![Signer::ec().key("k")]).await;
        for token in ["", "a.b", "a.b.c.d", "!!.e30.", "e30.e30.sig"] {
            assert!(
                matches!(check(&cache, token).await, Err(IdTokenError::Malformed(_))),
                "{token}"
            );
        }
    }

    fn provider(edit: impl FnOnce(&mut OidcProviderConfig)) -> OidcProviderConfig {
        let mut config =
            OidcProviderConfig::new("acme", "Acme", ISSUER, CLIENT, Secret::new("secret"));
        edit(&mut config);
        config
    }

    fn claims_map(value: Value) -> Claims {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_identity() {
        let identity = identity(&claims_map(claims()), &provider(|_| {}));
        assert_eq!(
            identity,
            ExternalIdentity {
                source: "acme".into(),
                external_id: "248289761001".into(),
                username: "olivia".into(),
                display_name: Some("Olivia Hansen".into()),
                email: Some("olivia@example.com".into()),
                groups: vec!["video-helpdesk".into()],
            }
        );
    }

    #[test]
    fn unverified_emails_are_dropped_unless_authoritative() {
        let mut claims = claims();
        claims["email_verified"] = json!(false);
        let claims = claims_map(claims);
        assert_eq!(identity(&claims, &provider(|_| {})).email, None);
        assert_eq!(
            identity(&claims, &provider(|c| c.email_authoritative = true)).email,
            Some("olivia@example.com".into())
        );
        let mut missing = claims.clone();
        missing.remove("email_verified");
        assert_eq!(identity(&missing, &provider(|_| {})).email, None);
        missing.insert("email_verified".into(), json!("true"));
        assert!(identity(&missing, &provider(|_| {})).email.is_some());
    }

    #[test]
    fn claims_by_name_and_path() {
        let claims = claims_map(json!({
            "sub": "u1",
            "upn": "u1@corp.example",
            "realm_access": {"roles": ["admins", "users"]},
            "https://corp.example/groups": "solo",
            "given_name": "Ida",
            "family_name": "Berg",
        }));
        let identity = identity(
            &claims,
            &provider(|c| {
                c.username_claim = "upn".into();
                c.groups_claim = "realm_access.roles".into();
            }),
        );
        assert_eq!(identity.username, "u1@corp.example");
        assert_eq!(identity.groups, ["admins", "users"]);
        assert_eq!(identity.display_name.as_deref(), Some("Ida Berg"));
        assert_eq!(identity.email, None);
        let single = super::identity(
            &claims,
            &provider(|c| c.groups_claim = "https://corp.example/groups".into()),
        );
        assert_eq!(single.groups, ["solo"]);
        // Without the username claim, `sub`.
        assert_eq!(super::identity(&claims, &provider(|_| {})).username, "u1");
    }
}
