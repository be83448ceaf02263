//! `pexip.pin_sha256`: SHA-256 digests of a node's certificate or of its public key.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The SHA-256 of a Management Node's certificate (its DER bytes) or of its public key (the
/// DER `SubjectPublicKeyInfo`).
///
/// Parsed from 64 hex digits (case-insensitive, `:` separators allowed, as
/// `openssl x509 -noout -fingerprint -sha256` prints them) or from 44 base64 characters
/// (standard or URL-safe alphabet, `=` optional, as `curl --pinnedpubkey` takes them); an
/// optional `sha256//`, `sha256:` or `sha256 Fingerprint=` prefix is ignored. Displayed and
/// serialized as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Pin([u8; 32]);

impl Sha256Pin {
    /// A pin of these digest bytes.
    pub const fn new(digest: [u8; 32]) -> Self {
        Sha256Pin(digest)
    }

    /// The pin of `der`, the SHA-256 of those bytes.
    pub fn of(der: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, der);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(digest.as_ref());
        Sha256Pin(bytes)
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Why a text is not a SHA-256 pin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a SHA-256 digest: expected 64 hex digits (`:` separators allowed) or 44 base64 \
     characters"
)]
pub struct InvalidPin(String);

impl FromStr for Sha256Pin {
    type Err = InvalidPin;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidPin(shorten(text));
        let trimmed = text.trim();
        let body = ["sha256//", "sha256:", "sha256 fingerprint="]
            .iter()
            .find_map(|prefix| {
                trimmed
                    .get(..prefix.len())
                    .filter(|head| head.eq_ignore_ascii_case(prefix))
                    .map(|_| &trimmed[prefix.len()..])
            })
            .unwrap_or(trimmed);
        let hex: String = body.chars().filter(|c| *c != ':').collect();
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut bytes = [0u8; 32];
            for (i, byte) in bytes.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| invalid())?;
            }
            return Ok(Sha256Pin(bytes));
        }
        let unpadded = body.trim_end_matches('=');
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(unpadded)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(unpadded))
            .map_err(|_| invalid())?;
        let bytes: [u8; 32] = decoded.try_into().map_err(|_| invalid())?;
        Ok(Sha256Pin(bytes))
    }
}

/// At most 80 characters of `text`, for an error message.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

impl fmt::Display for Sha256Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Sha256Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Pin({self})")
    }
}

impl Serialize for Sha256Pin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sha256Pin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `pexip.pin_sha256`: one pin (a string) or several (a list of strings).
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Sha256Pin>, D::Error> {
    struct Pins;

    impl<'de> serde::de::Visitor<'de> for Pins {
        type Value = Vec<Sha256Pin>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a SHA-256 pin (hex or base64) or a list of them")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(vec![text.parse().map_err(E::custom)?])
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut pins = Vec::new();
            while let Some(pin) = seq.next_element()? {
                pins.push(pin);
            }
            Ok(pins)
        }
    }

    deserializer.deserialize_any(Pins)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

    #[test]
    fn hex_with_or_without_separators_and_base64_give_the_same_pin() {
        let pin: Sha256Pin = HEX.parse().unwrap();
        assert_eq!(pin.to_string(), HEX);
        let colons = HEX
            .as_bytes()
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).unwrap().to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(colons.parse::<Sha256Pin>().unwrap(), pin);
        assert_eq!(
            format!("sha256:{colons}").parse::<Sha256Pin>().unwrap(),
            pin
        );
        assert_eq!(
            format!("sha256 Fingerprint={colons}")
                .parse::<Sha256Pin>()
                .unwrap(),
            pin
        );
        let b64 = base64::engine::general_purpose::STANDARD.encode(pin.as_bytes());
        assert_eq!(b64.len(), 44);
        assert_eq!(b64.parse::<Sha256Pin>().unwrap(), pin);
        assert_eq!(b64.trim_end_matches('=').parse::<Sha256Pin>().unwrap(), pin);
        assert_eq!(format!("sha256//{b64}").parse::<Sha256Pin>().unwrap(), pin);
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode(pin.as_bytes());
        assert_eq!(url_safe.parse::<Sha256Pin>().unwrap(), pin);
        assert_eq!(format!(" {HEX}\n").parse::<Sha256Pin>().unwrap(), pin);
    }

    #[test]
    fn wrong_lengths_and_encodings_are_refused() {
        for bad in [
            "",
            &HEX[..62],
            &format!("{HEX}00"),
            &HEX.replace('a', "g"),
            "not a pin at all",
            "AAAA",
            // SHA-1 fingerprints are not SHA-256 ones.
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
        ] {
            let error = bad.parse::<Sha256Pin>().unwrap_err().to_string();
            assert!(error.contains("not a SHA-256 digest"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_digest_of_bytes() {
        // SHA-256 of "abc" (FIPS 180-2).
        assert_eq!(
            Sha256Pin::of(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
