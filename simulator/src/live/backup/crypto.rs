//! The backup file format: a header naming the key derivation (Argon2id, its parameters and
//! salt) and the AES-256-GCM nonce, then the ciphertext of the payload. The header is
//! authenticated as associated data, so changing any byte of the file is detected.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};

const MAGIC: &[u8; 8] = b"PEXSIMBK";
const FORMAT: u8 = 1;
const KDF_ARGON2ID: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const HEADER_LEN: usize = MAGIC.len() + 2 + 12 + SALT_LEN + NONCE_LEN;

/// Argon2id cost parameters (memory in KiB, iterations, lanes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl KdfParams {
    /// OWASP's recommended Argon2id settings (19 MiB, 2 passes, 1 lane).
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost: 19_456,
        t_cost: 2,
        p_cost: 1,
    };

    /// Bounds a file may ask for, so a crafted header cannot exhaust the node.
    fn acceptable(&self) -> bool {
        (8..=262_144).contains(&self.m_cost)
            && (1..=10).contains(&self.t_cost)
            && (1..=8).contains(&self.p_cost)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error("The file is not a system backup.")]
    NotABackup,
    #[error("The passphrase is incorrect or the backup file is corrupt.")]
    Decrypt,
    #[error("The backup could not be encrypted: {0}")]
    Encrypt(String),
}

fn derive(passphrase: &str, salt: &[u8], p: KdfParams) -> Result<[u8; 32], BackupError> {
    let params =
        Params::new(p.m_cost, p.t_cost, p.p_cost, Some(32)).map_err(|_| BackupError::NotABackup)?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|_| BackupError::NotABackup)?;
    Ok(key)
}

fn header(p: KdfParams, salt: &[u8; SALT_LEN], nonce: &[u8; NONCE_LEN]) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(MAGIC);
    h.push(FORMAT);
    h.push(KDF_ARGON2ID);
    for v in [p.m_cost, p.t_cost, p.p_cost] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(salt);
    h.extend_from_slice(nonce);
    h
}

/// Encrypts `plaintext` under a key derived from `passphrase` with a fresh random salt and nonce.
pub fn seal(passphrase: &str, plaintext: &[u8], p: KdfParams) -> Result<Vec<u8>, BackupError> {
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|e| BackupError::Encrypt(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| BackupError::Encrypt(e.to_string()))?;
    let key = derive(passphrase, &salt, p).map_err(|e| BackupError::Encrypt(e.to_string()))?;
    let cipher =
        Aes256Gcm::new_from_slice(&key).map_err(|e| BackupError::Encrypt(e.to_string()))?;
    let mut out = header(p, &salt, &nonce);
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &out,
            },
        )
        .map_err(|e| BackupError::Encrypt(e.to_string()))?;
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Whether a file whose first bytes are `prefix` may be a backup: they are (the start of) a
/// backup's magic number. A file this says no to is refused by [`open`] whatever follows.
pub fn may_be_backup(prefix: &[u8]) -> bool {
    let n = prefix.len().min(MAGIC.len());
    prefix[..n] == MAGIC[..n]
}

/// Decrypts a file made by [`seal`]; a wrong passphrase or any changed byte is an error.
pub fn open(passphrase: &str, file: &[u8]) -> Result<Vec<u8>, BackupError> {
    if file.len() < HEADER_LEN + 16 || &file[..MAGIC.len()] != MAGIC {
        return Err(BackupError::NotABackup);
    }
    let (head, ciphertext) = file.split_at(HEADER_LEN);
    if head[8] != FORMAT || head[9] != KDF_ARGON2ID {
        return Err(BackupError::NotABackup);
    }
    let word = |i: usize| {
        u32::from_le_bytes([
            head[10 + 4 * i],
            head[11 + 4 * i],
            head[12 + 4 * i],
            head[13 + 4 * i],
        ])
    };
    let p = KdfParams {
        m_cost: word(0),
        t_cost: word(1),
        p_cost: word(2),
    };
    if !p.acceptable() {
        return Err(BackupError::NotABackup);
    }
    let salt = &head[22..22 + SALT_LEN];
    let nonce = &head[22 + SALT_LEN..];
    let key = derive(passphrase, salt, p)?;
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| BackupError::Decrypt)?;
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: head,
            },
        )
        .map_err(|_| BackupError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams {
        m_cost: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn round_trip_and_fresh_salt_each_time() {
        let a = seal("pass phrase", b"configuration", FAST).unwrap();
        let b = seal("pass phrase", b"configuration", FAST).unwrap();
        assert_ne!(a, b);
        assert_eq!(open("pass phrase", &a).unwrap(), b"configuration");
        assert!(
            !a.windows(13).any(|w| w == b"configuration"),
            "the payload must not be readable"
        );
    }

    #[test]
    fn wrong_passphrase_tampering_and_garbage_are_refused() {
        let file = seal("right", b"secret config", FAST).unwrap();
        assert_eq!(open("wrong", &file), Err(BackupError::Decrypt));
        for i in [0usize, 9, 12, 30, HEADER_LEN + 2, file.len() - 1] {
            let mut bad = file.clone();
            bad[i] ^= 0x40;
            assert!(open("right", &bad).is_err(), "byte {i} changed");
        }
        assert_eq!(
            open("right", b"not a backup at all, just some text"),
            Err(BackupError::NotABackup)
        );
        assert_eq!(open("right", &file[..20]), Err(BackupError::NotABackup));
    }

    #[test]
    fn absurd_kdf_parameters_are_refused() {
        let mut file = seal("p", b"x", FAST).unwrap();
        file[10..14].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(open("p", &file), Err(BackupError::NotABackup));
    }
}
