//! `platform/certificates_import`: a file (`bundle`, multipart, or its text) of PEM
//! certificates and private keys, with `private_key_passphrase` for an encrypted key.
//!
//! As a Management Node sorts a bundle [I]: each certificate whose private key is in the file
//! becomes a TLS certificate (`tls_certificate`, its chain of issuers from the file appended
//! to `certificate`); every other certificate becomes a trusted CA certificate
//! (`ca_certificate`), unless one with the same issuer and serial number is already there. The
//! read-only details (subject, issuer, serial number, validity, subject alternative names) are
//! read from the certificates. Refused with a 400 on `bundle`: a file without certificates, a
//! block that is not a certificate, a private key no certificate matches; on
//! `private_key_passphrase`: an encrypted key without it.
//!
//! Keys are matched by their public key (PKCS#8 `PRIVATE KEY` blocks). The simulator cannot
//! decrypt keys: with a passphrase, an encrypted key is kept as it is and paired with the first
//! certificate of the file that is not a CA and has no key; the passphrase is not checked.

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use super::form::Form;
use super::{form_error, required, success};
use crate::list::datetime::format_micros;
use crate::live::handle::Live;
use crate::store::{ConfigStore, ObjectId};

const COMMAND: &str = "certificates_import";

/// One PEM block: its label, its whole text (armour included) and its decoded contents.
struct Block {
    label: String,
    text: String,
    der: Vec<u8>,
    encrypted: bool,
}

/// A parsed certificate of the bundle.
struct Cert {
    text: String,
    spki: Vec<u8>,
    subject: String,
    issuer: String,
    serial: String,
    start: String,
    end: String,
    sans: String,
    is_ca: bool,
}

pub fn run(live: &Live, form: &Form) -> Response {
    let bundle: Vec<u8> = match (form.files.get("bundle"), form.text("bundle")) {
        (Some(file), _) => file.clone(),
        (None, Some(text)) => text.as_bytes().to_vec(),
        (None, None) => return required(COMMAND, "bundle"),
    };
    let passphrase = form.text("private_key_passphrase");
    let text = String::from_utf8_lossy(&bundle);
    let blocks = pem_blocks(&text);
    let mut certs = Vec::new();
    let mut keys = Vec::new();
    for block in blocks {
        if block.label == "CERTIFICATE" || block.label == "TRUSTED CERTIFICATE" {
            match parse(&block) {
                Some(cert) => certs.push(cert),
                None => return refuse("A certificate in the file could not be read."),
            }
        } else if block.label.ends_with("PRIVATE KEY") {
            keys.push(block);
        } else {
            return refuse(&format!(
                "The file holds a PEM block that is neither a certificate nor a private key ({}).",
                block.label
            ));
        }
    }
    if certs.is_empty() {
        return refuse("The file holds no PEM certificate.");
    }
    // For each certificate, the index of its key.
    let mut key_of: Vec<Option<usize>> = vec![None; certs.len()];
    for (k, key) in keys.iter().enumerate() {
        let matched = if key.encrypted {
            if passphrase.is_none() {
                return form_error(
                    COMMAND,
                    "private_key_passphrase",
                    "The private key is encrypted: enter its passphrase.",
                );
            }
            (0..certs.len()).find(|&c| !certs[c].is_ca && key_of[c].is_none())
        } else {
            let Some(spki) = public_key(key) else {
                return refuse("A private key in the file could not be read.");
            };
            (0..certs.len()).find(|&c| certs[c].spki == spki)
        };
        match matched {
            Some(c) => key_of[c] = Some(k),
            None => return refuse("A private key in the file matches none of its certificates."),
        }
    }
    live.change_store(|store| {
        for (c, cert) in certs.iter().enumerate() {
            match key_of[c] {
                Some(k) => add_tls(store, cert, &chain(&certs, c), &keys[k].text),
                None => add_ca(store, cert),
            }
        }
    });
    success(StatusCode::ACCEPTED, None)
}

fn refuse(message: &str) -> Response {
    form_error(COMMAND, "bundle", message)
}

/// Every PEM block of `text`, in order.
fn pem_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = after[..label_end].to_owned();
        let footer = format!("-----END {label}-----");
        let Some(end) = after.find(&footer) else {
            break;
        };
        let inner = &after[label_end + 5..end];
        let encrypted = label.starts_with("ENCRYPTED") || inner.contains("ENCRYPTED");
        // Header lines (`Proc-Type: 4,ENCRYPTED`) are not part of the contents.
        let body: String = inner
            .lines()
            .filter(|line| !line.contains(':'))
            .flat_map(|line| line.trim().chars())
            .collect();
        blocks.push(Block {
            text: format!("-----BEGIN {label}-----{inner}{footer}\n"),
            der: STANDARD.decode(body).unwrap_or_default(),
            label,
            encrypted,
        });
        rest = &after[end + footer.len()..];
    }
    blocks
}

fn parse(block: &Block) -> Option<Cert> {
    let (_, cert) = X509Certificate::from_der(&block.der).ok()?;
    let when = |t: i64| format_micros(t * 1_000_000);
    let sans = match cert.subject_alternative_name() {
        Ok(Some(ext)) => ext
            .value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                GeneralName::IPAddress(ip) => match ip.len() {
                    4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*ip).ok()?).to_string()),
                    16 => {
                        Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*ip).ok()?).to_string())
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    Some(Cert {
        text: block.text.clone(),
        spki: cert.public_key().subject_public_key.data.to_vec(),
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        start: when(cert.validity().not_before.timestamp()),
        end: when(cert.validity().not_after.timestamp()),
        sans,
        is_ca: cert.is_ca(),
    })
}

/// The public key (the bits of a SubjectPublicKeyInfo) of an unencrypted PKCS#8 private key.
fn public_key(key: &Block) -> Option<Vec<u8>> {
    let pair = rcgen::KeyPair::from_pem(&key.text).ok()?;
    Some(rcgen::PublicKeyData::der_bytes(&pair).to_vec())
}

/// The PEM of certificate `c` followed by its issuers found in the file (up to a self-signed
/// one or one the file lacks).
fn chain(certs: &[Cert], c: usize) -> String {
    let mut text = certs[c].text.clone();
    let mut current = c;
    for _ in 0..certs.len() {
        let cert = &certs[current];
        if cert.issuer == cert.subject {
            break;
        }
        let Some(next) =
            (0..certs.len()).find(|&i| i != current && certs[i].subject == cert.issuer)
        else {
            break;
        };
        text.push_str(&certs[next].text);
        current = next;
    }
    text
}

fn details(cert: &Cert) -> serde_json::Map<String, Value> {
    let Value::Object(o) = json!({
        "end_date": cert.end,
        "issuer_name": cert.issuer,
        "serial_no": cert.serial,
        "start_date": cert.start,
        "subject_name": cert.subject,
    }) else {
        unreachable!("a JSON object")
    };
    o
}

fn put(store: &mut ConfigStore, resource: &str, mut object: serde_json::Map<String, Value>) {
    let id: ObjectId = store.allocate_id(resource);
    object.insert("id".into(), id.to_json());
    object.insert(
        "resource_uri".into(),
        Value::String(crate::store::config_uri(resource, &id)),
    );
    store.put(resource, id, object);
}

fn add_tls(store: &mut ConfigStore, cert: &Cert, chain: &str, key: &str) {
    let mut o = details(cert);
    o.insert("certificate".into(), chain.into());
    o.insert("nodes".into(), json!([]));
    o.insert("parameters".into(), "".into());
    o.insert("private_key".into(), key.into());
    o.insert("subject_alt_names".into(), cert.sans.clone().into());
    put(store, "tls_certificate", o);
}

fn add_ca(store: &mut ConfigStore, cert: &Cert) {
    let known = store.objects("ca_certificate").any(|o| {
        o.get("issuer_name").and_then(Value::as_str) == Some(cert.issuer.as_str())
            && o.get("serial_no").and_then(Value::as_str) == Some(cert.serial.as_str())
    });
    if known {
        return;
    }
    let mut o = details(cert);
    o.insert("certificate".into(), cert.text.clone().into());
    o.insert(
        "text".into(),
        format!(
            "Subject: {}\nIssuer: {}\nSerial number: {}\nNot before: {}\nNot after: {}",
            cert.subject, cert.issuer, cert.serial, cert.start, cert.end
        )
        .into(),
    );
    put(store, "ca_certificate", o);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_labels_and_headers_mark_encryption() {
        let text = "junk\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n\
            -----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        let blocks = pem_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].der, vec![0, 1, 2]);
        assert!(!blocks[0].encrypted);
        assert_eq!(blocks[1].label, "RSA PRIVATE KEY");
        assert!(blocks[1].encrypted);
        assert_eq!(blocks[1].der, vec![0, 1, 2]);
    }
}
