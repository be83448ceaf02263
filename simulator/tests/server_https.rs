//! The server itself: HTTPS with a certificate clients can trust, Basic auth, `--cert-out`,
//! plain HTTP, graceful shutdown, and the `pexip-sim` binary.

mod server_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use server_support::{PASSWORD, Sim, USER, client_trusting, options};

const ROOT: &str = "/api/admin/configuration/v1/";

#[tokio::test]
async fn https_with_a_trusted_certificate_and_basic_auth() {
    let s = Sim::start().await;
    assert!(s.sim.url().starts_with("https://127.0.0.1:"));
    assert_ne!(s.sim.addr().port(), 0);

    let ok = s.get(ROOT).await;
    assert_eq!(ok.status, StatusCode::OK);

    // A client that does not trust the certificate refuses the connection.
    let stranger = reqwest::Client::builder()
        .tls_backend_preconfigured(
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        )
        .build()
        .unwrap();
    let err = stranger.get(s.url(ROOT)).send().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");

    // The certificate is valid for `localhost` too.
    let by_name = format!("https://localhost:{}{ROOT}", s.sim.addr().port());
    let r = s
        .client
        .get(by_name)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Without credentials, or with wrong ones: 401 with a Basic challenge.
    let r = s.client.get(s.url(ROOT)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    for (user, password) in [(USER, "wrong"), ("root", PASSWORD)] {
        let r = s
            .client
            .get(s.url(ROOT))
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{user}");
    }
    // The control endpoint is authenticated too.
    let r = s.client.get(s.url("/_sim/faults")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cert_out_plain_http_and_shutdown() {
    let dir = std::env::temp_dir().join(format!("pexip-sim-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    let sim = simulator::start(simulator::SimOptions {
        cert_out: Some(cert.clone()),
        ..options()
    })
    .await
    .unwrap();
    let written = std::fs::read_to_string(&cert).unwrap();
    assert_eq!(written, sim.cert_pem().unwrap());
    let client = client_trusting(&written);
    let r = client
        .get(format!("{}{ROOT}", sim.url()))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // After shutdown the port no longer accepts connections.
    let url = sim.url().to_owned();
    sim.shutdown().await;
    let fresh = client_trusting(&written);
    assert!(fresh.get(format!("{url}{ROOT}")).send().await.is_err());

    let plain = simulator::start(simulator::SimOptions {
        plain_http: true,
        ..options()
    })
    .await
    .unwrap();
    assert!(plain.url().starts_with("http://"));
    assert!(plain.cert_pem().is_none());
    let r = fresh
        .get(format!("{}{ROOT}", plain.url()))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    plain.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_binary_serves_with_its_flags() {
    let dir = std::env::temp_dir().join(format!("pexip-sim-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pexip-sim"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--admin-user",
            "admin",
            "--admin-password",
            "binpass",
        ])
        .arg("--cert-out")
        .arg(&cert)
        .args([
            "--data",
            "empty",
            "--profile",
            "v40",
            "--seed",
            "3",
            "--tick-ms",
            "100",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The URL is printed once the listener accepts (and the certificate is written).
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{line}");
    let client = client_trusting(&std::fs::read_to_string(&cert).unwrap());
    let r = client
        .get(format!("{url}{ROOT}"))
        .basic_auth("admin", Some("binpass"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let root: serde_json::Value = r.json().await.unwrap();
    assert!(root.get("end_user").is_some(), "--profile v40 is in effect");
    child.kill().unwrap();
    child.wait().unwrap();

    let help = Command::new(env!("CARGO_BIN_EXE_pexip-sim"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--listen",
        "--admin-user",
        "--admin-password",
        "--cert-out",
        "--plain-http",
        "--data",
        "--state-file",
        "--profile",
        "--tick-ms",
        "--seed",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
    let refused = Command::new(env!("CARGO_BIN_EXE_pexip-sim"))
        .args(["--admin-password", "x", "--profile", "v99"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_shutdown_handle_stops_it_from_elsewhere() {
    let s = Sim::start().await;
    let handle = s.sim.shutdown_handle();
    let url = s.url(ROOT);
    assert_eq!(s.get(ROOT).await.status, StatusCode::OK);
    tokio::spawn(async move { handle.shutdown().await })
        .await
        .unwrap();
    let fresh = client_trusting(s.sim.cert_pem().unwrap());
    assert!(fresh.get(&url).send().await.is_err());
    // Stopping again is harmless.
    s.sim.shutdown().await;
}
