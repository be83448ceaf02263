//! Files over HTTPS: an IVR theme's package (the POST ignores it, a multipart PATCH stores it,
//! checked as a ZIP file) and `platform/certificates_import` (TLS certificates with their keys
//! and chains, trusted CA certificates, refusals).

mod server_support;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use server_support::{PASSWORD, Sim, USER};

const THEMES: &str = "/api/admin/configuration/v1/ivr_theme/";
const IMPORT: &str = "/api/admin/command/v1/platform/certificates_import/";

async fn multipart(
    sim: &Sim,
    method: reqwest::Method,
    path: &str,
    form: Form,
) -> (StatusCode, String) {
    let r = sim
        .client
        .request(method, sim.url(path))
        .basic_auth(USER, Some(PASSWORD))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

fn zip_bytes() -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0..5000u32).map(|i| (i % 251) as u8));
    bytes
}

fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_theme_is_created_then_its_package_patched_as_multipart() {
    let sim = Sim::start().await;
    // The POST ignores the file, as a node does.
    let form = Form::new()
        .text("name", "Blue")
        .part("package", Part::bytes(zip_bytes()).file_name("blue.zip"));
    let (status, _) = multipart(&sim, reqwest::Method::POST, THEMES, form).await;
    assert_eq!(status, StatusCode::CREATED);
    let list = sim.get(THEMES).await.json();
    let theme = &list["objects"][0];
    assert_eq!(theme["package"], Value::Null);
    let uri = theme["resource_uri"].as_str().unwrap().to_owned();
    let files = sim.get("/_sim/files").await.json();
    assert_eq!(files, json!([]));

    let package = zip_bytes();
    let form = Form::new().part(
        "package",
        Part::bytes(package.clone()).file_name("C:\\themes\\blue.zip"),
    );
    let (status, body) = multipart(&sim, reqwest::Method::PATCH, &uri, form).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(sim.get(&uri).await.json()["package"], "blue.zip");
    let files = sim.get("/_sim/files").await.json();
    assert_eq!(files[0]["resource"], "ivr_theme");
    assert_eq!(files[0]["field"], "package");
    assert_eq!(files[0]["size"], package.len());
    assert_eq!(files[0]["sha256"], sha256(&package));

    // Not a ZIP file: the node's 400 on the field, nothing changes.
    let form = Form::new().part(
        "package",
        Part::bytes(b"<html>".to_vec()).file_name("x.zip"),
    );
    let (status, body) = multipart(&sim, reqwest::Method::PATCH, &uri, form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body["ivr_theme"]["package"][0],
        "The theme package must be a ZIP file."
    );
    assert_eq!(
        sim.get("/_sim/files").await.json()[0]["size"],
        package.len()
    );

    // A JSON value cannot carry a file: ignored. `null` clears it.
    let a = sim.patch(&uri, &json!({"package": "other.zip"})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(sim.get(&uri).await.json()["package"], "blue.zip");
    let a = sim.patch(&uri, &json!({"package": null})).await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(sim.get(&uri).await.json()["package"], Value::Null);
    assert_eq!(sim.get("/_sim/files").await.json(), json!([]));

    // Deleting the theme forgets its file.
    let form = Form::new().part("package", Part::bytes(zip_bytes()).file_name("b.zip"));
    multipart(&sim, reqwest::Method::PATCH, &uri, form).await;
    assert_eq!(sim.delete(&uri).await.status, StatusCode::NO_CONTENT);
    assert_eq!(sim.get("/_sim/files").await.json(), json!([]));
}

/// A CA, and a node certificate it signed with the node's key.
struct Pki {
    ca_pem: String,
    leaf_pem: String,
    leaf_key_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Example Root CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params = CertificateParams::new(vec![
        "pexip.example.com".to_string(),
        "10.0.0.5".to_string(),
    ])
    .unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "pexip.example.com");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    Pki {
        ca_pem: ca.pem(),
        leaf_pem: leaf.pem(),
        leaf_key_pem: leaf_key.serialize_pem(),
    }
}

async fn import(sim: &Sim, bundle: &str, passphrase: Option<&str>) -> (StatusCode, Value) {
    let mut form = Form::new().part(
        "bundle",
        Part::bytes(bundle.as_bytes().to_vec()).file_name("bundle.pem"),
    );
    if let Some(p) = passphrase {
        form = form.text("private_key_passphrase", p.to_owned());
    }
    let (status, body) = multipart(sim, reqwest::Method::POST, IMPORT, form).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_bundle_becomes_a_tls_certificate_with_its_chain_and_a_trusted_ca() {
    let sim = Sim::start().await;
    let pki = pki();
    let bundle = format!("{}{}{}", pki.leaf_pem, pki.leaf_key_pem, pki.ca_pem);
    let (status, body) = import(&sim, &bundle, None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "success");

    let tls = sim
        .get("/api/admin/configuration/v1/tls_certificate/")
        .await
        .json();
    assert_eq!(tls["meta"]["total_count"], 1);
    let cert = &tls["objects"][0];
    assert!(
        cert["subject_name"]
            .as_str()
            .unwrap()
            .contains("pexip.example.com")
    );
    assert!(
        cert["issuer_name"]
            .as_str()
            .unwrap()
            .contains("Example Root CA")
    );
    assert_eq!(cert["subject_alt_names"], "pexip.example.com, 10.0.0.5");
    // The chain: the node's certificate, then its issuer from the file.
    let chain = cert["certificate"].as_str().unwrap();
    assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2);
    assert!(chain.starts_with(pki.leaf_pem.trim_end()));
    // The key reads back opaque, like every secret.
    assert!(cert["private_key"].as_str().unwrap().starts_with("$~!1"));
    assert!(cert["end_date"].as_str().unwrap() > cert["start_date"].as_str().unwrap());

    let ca = sim
        .get("/api/admin/configuration/v1/ca_certificate/")
        .await
        .json();
    assert_eq!(ca["meta"]["total_count"], 1);
    assert!(
        ca["objects"][0]["subject_name"]
            .as_str()
            .unwrap()
            .contains("Example Root CA")
    );

    // The same CA again is not added twice.
    let (status, _) = import(&sim, &pki.ca_pem, None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let ca = sim
        .get("/api/admin/configuration/v1/ca_certificate/")
        .await
        .json();
    assert_eq!(ca["meta"]["total_count"], 1);
}

#[tokio::test]
async fn bundles_the_node_cannot_use_are_refused_on_their_field() {
    let sim = Sim::start().await;
    let pki = pki();
    let other_key = KeyPair::generate().unwrap().serialize_pem();
    let encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAEC\n-----END ENCRYPTED PRIVATE KEY-----\n";
    for (bundle, passphrase, field, message) in [
        (
            "no PEM at all",
            None,
            "bundle",
            "The file holds no PEM certificate.",
        ),
        (
            pki.leaf_key_pem.as_str(),
            None,
            "bundle",
            "The file holds no PEM certificate.",
        ),
        (
            &*format!("{}{other_key}", pki.leaf_pem),
            None,
            "bundle",
            "A private key in the file matches none of its certificates.",
        ),
        (
            &*format!("{}{encrypted}", pki.leaf_pem),
            None,
            "private_key_passphrase",
            "The private key is encrypted: enter its passphrase.",
        ),
        (
            "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n",
            None,
            "bundle",
            "A certificate in the file could not be read.",
        ),
    ] {
        let (status, body) = import(&sim, bundle, passphrase).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bundle}");
        assert_eq!(body["certificates_import"][field][0], message, "{bundle}");
    }
    let tls = sim
        .get("/api/admin/configuration/v1/tls_certificate/")
        .await
        .json();
    assert_eq!(tls["meta"]["total_count"], 0);

    // With its passphrase, an encrypted key is kept with the node's certificate.
    let (status, _) = import(&sim, &format!("{}{encrypted}", pki.leaf_pem), Some("pw")).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let tls = sim
        .get("/api/admin/configuration/v1/tls_certificate/")
        .await
        .json();
    assert_eq!(tls["meta"]["total_count"], 1);
}
