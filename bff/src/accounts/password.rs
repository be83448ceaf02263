//! Argon2id password hashes (PHC strings), verified off the async runtime, at most one per core
//! at a time ([`super::hashing_limit`]).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

use super::hashing_limit;

/// Characters of generated passwords: letters and digits without look-alikes (0/O, 1/l/I).
const GENERATED_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of generated passwords (about 140 bits).
const GENERATED_LENGTH: usize = 24;

/// Hashing or randomness failed (the operating system's random source, or a broken worker).
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// Argon2id with the library's defaults (m = 19 MiB, t = 2, p = 1, as OWASP recommends).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes a password with a fresh random salt.
pub async fn hash_password(password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    hashing_limit::run(move || hash_blocking(&password))
        .await
        .map_err(|error| HashError(error.to_string()))?
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| HashError(error.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|error| HashError(error.to_string()))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| HashError(error.to_string()))
}

/// Whether `password` matches the stored hash. With no stored hash (unknown account) the
/// password is checked against a dummy hash, so the answer takes as long either way.
pub async fn verify_password(password: &str, stored: Option<&str>) -> Result<bool, HashError> {
    let password = password.to_owned();
    let stored = stored.map(str::to_owned);
    hashing_limit::run(move || -> Result<bool, HashError> {
        match stored {
            Some(stored) => Ok(verify_blocking(&password, &stored)),
            None => {
                let _ = verify_blocking(&password, dummy_hash()?);
                Ok(false)
            }
        }
    })
    .await
    .map_err(|error| HashError(error.to_string()))?
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => hasher().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(error) => {
            tracing::error!(%error, "a stored password hash is malformed; the sign-in fails");
            false
        }
    }
}

/// A hash of a random password, made once, that unknown accounts are verified against.
fn dummy_hash() -> Result<&'static str, HashError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_blocking(&generate_password()?)?;
    Ok(DUMMY.get_or_init(|| hash))
}

/// A random password of [`GENERATED_LENGTH`] letters and digits.
pub fn generate_password() -> Result<String, HashError> {
    let mut password = String::with_capacity(GENERATED_LENGTH);
    let mut bytes = [0u8; 64];
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - 256 % GENERATED_ALPHABET.len();
    while password.len() < GENERATED_LENGTH {
        getrandom::fill(&mut bytes).map_err(|error| HashError(error.to_string()))?;
        for &byte in &bytes {
            if usize::from(byte) < limit && password.len() < GENERATED_LENGTH {
                password.push(char::from(
                    GENERATED_ALPHABET[usize::from(byte) % GENERATED_ALPHABET.len()],
                ));
            }
        }
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let first = hash_password("correct horse battery").await.unwrap();
        let second = hash_password("correct horse battery").await.unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(
            verify_password("correct horse battery", Some(&first))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("correct horse batterY", Some(&first))
                .await
                .unwrap()
        );
        assert!(!verify_password("anything", None).await.unwrap());
        assert!(
            !verify_password("anything", Some("not a hash"))
                .await
                .unwrap()
        );
    }

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.len(), GENERATED_LENGTH);
        assert!(a.bytes().all(|c| GENERATED_ALPHABET.contains(&c)));
        assert_ne!(a, b);
    }
}
